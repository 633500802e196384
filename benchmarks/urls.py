"""The project's URLs plus a default Django admin changelist to compare the grid against."""

from django.contrib import admin
from django.urls import path

from participants.models import Participant
from tracker_site.urls import urlpatterns as project_urlpatterns

default_admin = admin.AdminSite(name="default_admin")


@admin.register(Participant, site=default_admin)
class DefaultParticipantAdmin(admin.ModelAdmin):
    """What a first attempt would write: substring search over several columns."""

    list_display = ["reference", "last_name", "first_name", "nino", "postcode", "team"]
    search_fields = ["reference", "first_name", "last_name", "nino", "postcode"]


urlpatterns = [*project_urlpatterns, path("default-admin/", default_admin.urls)]
