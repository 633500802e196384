from django.urls import path

from milestones.views import casework, milestones, programmes

app_name = "milestones"
urlpatterns = [
    path("milestones/", milestones.milestone_list, name="list"),
    path("milestones/export/", milestones.milestone_export, name="export"),
    path("milestones/forecast/", milestones.forecast, name="forecast"),
    path("milestones/<int:pk>/claim/", milestones.milestone_claim, name="claim"),
    path("milestones/<int:pk>/claim/attempts/", milestones.claim_submit, name="claim_submit"),
    path(
        "milestones/<int:pk>/claim/attempts/<int:attempt_pk>/outcome/",
        milestones.claim_outcome,
        name="claim_outcome",
    ),
    path("milestones/programmes/", programmes.programme_list, name="programme_list"),
    path("milestones/programmes/new/", programmes.programme_create, name="programme_create"),
    path("milestones/programmes/<int:pk>/", programmes.programme_edit, name="programme_edit"),
    # Under the participant, beside the pages of participants and trackers.
    path("participants/<int:pk>/edit/", casework.participant_edit, name="participant_edit"),
    path(
        "participants/<int:participant_pk>/trackers/new/",
        casework.tracker_create,
        name="tracker_create",
    ),
    path(
        "participants/<int:participant_pk>/trackers/<int:pk>/edit/",
        casework.tracker_edit,
        name="tracker_edit",
    ),
    path(
        "participants/<int:participant_pk>/trackers/<int:pk>/end/",
        casework.tracker_end,
        name="tracker_end",
    ),
]
