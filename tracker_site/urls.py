from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from common.front_end import front_end_role_not_required
from tracker_site import views
from tracker_site.accounts.middleware import verification_not_required

urlpatterns = [
    path("", views.home, name="home"),
    path("health/", views.health, name="health"),
    path("accounts/login/", auth_views.LoginView.as_view(), name="login"),
    path(
        "accounts/logout/",
        front_end_role_not_required(verification_not_required(auth_views.LogoutView.as_view())),
        name="logout",
    ),
    path("accounts/", include("tracker_site.accounts.urls")),
    path("participants/", include("participants.urls")),
    path(
        "participants/<int:pk>/subject-access.zip",
        views.subject_access_export,
        name="subject_access_export",
    ),
    path("participants/<int:participant_pk>/trackers/", include("trackers.urls")),
    path("organisations/", include("organisations.urls")),
    # The gathering layer's pages: the Milestones pages, and the participant and tracker
    # pages whose save moves milestones (their paths sit beside the other pages').
    path("", include("milestones.urls")),
    path("reviews/", include("reviews.urls")),
    path("jobs/", include("jobs.urls")),
    path("dwp-notifications/", include("reconciliation.urls")),
    path("admin/", admin.site.urls),
]
