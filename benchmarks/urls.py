"""The project's URLs plus the floor (a minimal signed-in page) and a default Django
admin with every model of the tuned one, to compare pages against."""

from django.contrib import admin
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.template import engines
from django.urls import path

from participants.models import Participant
from tracker_site.urls import urlpatterns as project_urlpatterns

FLOOR = engines["django"].from_string('{% extends "base.html" %}{% block content %}{% endblock %}')


@login_required
def floor(request: HttpRequest) -> HttpResponse:
    """The base layout for a signed-in member of staff, and nothing else: every page
    pays this much (sessions, two-factor, roles, the menu), so pages are measured as
    multiples of it."""
    return HttpResponse(FLOOR.render({}, request))


default_admin = admin.AdminSite(name="default_admin")


@admin.register(Participant, site=default_admin)
class DefaultParticipantAdmin(admin.ModelAdmin):
    """What a first attempt would write: substring search over several columns."""

    list_display = ["reference", "last_name", "first_name", "nino", "postcode", "team"]
    search_fields = ["reference", "first_name", "last_name", "nino", "postcode"]


def register_defaults() -> None:
    """Every other model of the tuned admin with a plain ModelAdmin: the same search
    fields as plain substring searches, nothing else."""
    for model, tuned in admin.site._registry.items():
        if model in default_admin._registry:
            continue
        fields = [field.lstrip("^=@") for field in tuned.search_fields]
        default_admin.register(
            model, type("DefaultAdmin", (admin.ModelAdmin,), {"search_fields": fields})
        )


register_defaults()

urlpatterns = [
    *project_urlpatterns,
    path("bench/floor/", floor, name="bench_floor"),
    path("default-admin/", default_admin.urls),
]
