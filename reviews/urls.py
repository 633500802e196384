from django.urls import path

from reviews.views import caseload, claims, decisions, queue, sampling

app_name = "reviews"
urlpatterns = [
    path("", queue.review_queue, name="queue"),
    path("trackers/<int:pk>/", decisions.review_detail, name="detail"),
    path("trackers/<int:pk>/decide/", decisions.review_decide, name="decide"),
    path("trackers/<int:pk>/take/", queue.review_take, name="take"),
    path("trackers/<int:pk>/release/", queue.review_release, name="release"),
    path("caseload/", caseload.caseload, name="caseload"),
    path("ready-to-claim/", claims.ready_to_claim, name="ready_to_claim"),
    path("ready-to-claim/export/", claims.claim_export, name="claim_export"),
    path(
        "ready-to-claim/exports/<int:pk>.csv",
        claims.claim_export_download,
        name="claim_export_download",
    ),
    path("ready-to-claim/claimed/", claims.mark_claimed, name="mark_claimed"),
    path("samples/", sampling.sample_list, name="samples"),
    path("samples/<int:pk>/", sampling.sample_detail, name="sample_detail"),
    path("samples/<int:pk>/items/<int:item_pk>/", sampling.sample_item_record, name="sample_item"),
]
