from django.urls import path

from reconciliation.views import imports, payments, queue, worklist

app_name = "reconciliation"
urlpatterns = [
    path("", imports.import_list, name="imports"),
    path("upload/", imports.upload, name="upload"),
    path("<int:pk>/", imports.import_detail, name="import_detail"),
    path("unmatched/", queue.queue, name="queue"),
    path("unmatched/export.csv", queue.queue_export, name="queue_export"),
    path("unmatched/<int:pk>/", queue.resolve, name="resolve"),
    path("worklists/", worklist.worklist, name="worklist"),
    path("worklists/export.csv", worklist.worklist_export, name="worklist_export"),
    path("conflicts/<int:pk>/", worklist.resolve_conflict, name="resolve_conflict"),
    path("milestones/<int:pk>/payments/", payments.payments, name="payments"),
]
