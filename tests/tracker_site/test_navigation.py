import re

import pytest
from django.urls import reverse

from tests.factories import ParticipantFactory, ProgrammeFactory

pytestmark = pytest.mark.django_db


def current(response) -> list[str]:
    """The main menu items marked as the current page."""
    return re.findall(r'aria-current="page">([^<]+)</a>', response.content.decode())


def test_the_menu_marks_the_section_of_each_page(supervisor_client, north):
    participant = ParticipantFactory(team=north)
    programme = ProgrammeFactory()
    pages = {
        "participants:list": [],
        "milestones:list": [],
        "milestones:forecast": [],
        "milestones:programme_list": [],
        "organisations:list": [],
        "reviews:ready_to_claim": [],
        "reviews:samples": [],
        "reviews:caseload": [],
    }
    pages = {name: reverse(name) for name in pages} | {
        "create tracker": reverse("milestones:tracker_create", args=[participant.pk]),
        "trackers": reverse("trackers:list", args=[participant.pk]),
        "programme builder": reverse("milestones:programme_edit", args=[programme.pk]),
    }

    marked = {name: current(supervisor_client.get(url)) for name, url in pages.items()}

    assert marked == {
        "participants:list": ["Participants"],
        "milestones:list": ["Milestones"],
        "milestones:forecast": ["Milestones"],
        "milestones:programme_list": ["Programmes"],
        "organisations:list": ["Organisations"],
        "reviews:ready_to_claim": ["Ready to claim"],
        "reviews:samples": ["QA samples"],
        "reviews:caseload": ["Caseloads"],
        "create tracker": ["Participants"],
        "trackers": ["Participants"],
        "programme builder": ["Programmes"],
    }
