from django.urls import path

from reconciliation import views

app_name = "reconciliation"
urlpatterns = [
    path("", views.import_list, name="imports"),
    path("upload/", views.upload, name="upload"),
    path("<int:pk>/", views.import_detail, name="import_detail"),
    path("unmatched/", views.queue, name="queue"),
    path("unmatched/export.csv", views.queue_export, name="queue_export"),
    path("unmatched/<int:pk>/", views.resolve, name="resolve"),
    path("worklists/", views.worklist, name="worklist"),
    path("worklists/export.csv", views.worklist_export, name="worklist_export"),
    path("conflicts/<int:pk>/", views.resolve_conflict, name="resolve_conflict"),
    path("milestones/<int:pk>/payments/", views.payments, name="payments"),
]
