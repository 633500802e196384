from django.urls import path

from participants import import_views, views

app_name = "participants"
urlpatterns = [
    path("", views.participant_list, name="list"),
    path("new/", views.participant_create, name="create"),
    path("<int:pk>/", views.participant_detail, name="detail"),
    path("access-log/", views.access_log, name="access_log"),
    path("import/", import_views.participant_import, name="import"),
    path("import/<int:pk>/", import_views.participant_import_preview, name="import_preview"),
]
