from django.urls import path

from trackers.views import documents, trackers

app_name = "trackers"
urlpatterns = [
    path("", trackers.tracker_list, name="list"),
    path("<int:pk>/", trackers.tracker_detail, name="detail"),
    path("<int:pk>/submit/", trackers.tracker_submit, name="submit"),
    path("<int:pk>/documents/new/", documents.document_upload, name="document_upload"),
    path(
        "<int:pk>/documents/<int:document_pk>/",
        documents.document_download,
        name="document_download",
    ),
    path(
        "<int:pk>/documents/<int:document_pk>/delete/",
        documents.document_delete,
        name="document_delete",
    ),
]
