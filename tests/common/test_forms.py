import re

import pytest
from django import forms
from django.core import validators
from django.db import connection
from django.template.loader import render_to_string
from django.test.utils import CaptureQueriesContext

from common.forms import (
    MAX_ID,
    FilterChoiceField,
    LongSelect,
    PlainTextForm,
    StaffChoiceField,
    id_or_none,
)
from participants.forms import ParticipantForm
from participants.models import Team
from tests.factories import ParticipantFactory, TeamFactory, UserFactory
from tests.participants.helpers import participant_data
from trackers.forms import TrackerForm


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("42", 42),
        (42, 42),
        (str(MAX_ID), MAX_ID),
        (str(MAX_ID + 1), None),
        ("0", None),
        ("-1", None),
        ("²", None),
        ("٣", None),
        ("4 2", None),
        ("abc", None),
        ("", None),
        (None, None),
    ],
)
def test_id_or_none_takes_only_ids_a_database_can_look_up(value, expected):
    assert id_or_none(value) == expected


class TwoProblems(forms.Form):
    nino = forms.CharField(
        label="National Insurance number",
        max_length=9,
        validators=[validators.RegexValidator(r"^[A-Z]{2}\d{6}[A-D]$", "Enter a real NI number.")],
        error_messages={"max_length": "NI number must be 9 characters or fewer."},
    )


def test_a_field_shows_only_its_first_problem_beside_it_and_in_the_summary():
    """GOV.UK: one message per field, the one to fix first."""
    form = TwoProblems({"nino": "not a national insurance number"})
    summary = render_to_string("includes/errors_summary.html", {"forms": [form]})

    assert len(form.errors["nino"]) == 2
    assert form.as_div().count('class="field__error"') == 1
    assert summary.count("<li>") == 1
    assert form.errors["nino"][0] in summary
    assert form.errors["nino"][1] not in summary


RIGHT_TO_LEFT_OVERRIDE = "\u202e"


def test_bidirectional_controls_are_removed_from_what_is_typed():
    class Note(PlainTextForm, forms.Form):
        name = forms.CharField()

    form = Note({"name": f"Smith{RIGHT_TO_LEFT_OVERRIDE}fdp.exe\u2066x\u2069\u200f"})

    assert form.is_valid()
    assert form.cleaned_data["name"] == "Smithfdp.exex"


@pytest.mark.django_db
def test_a_participant_s_name_and_a_job_title_are_stored_without_them():
    user = UserFactory(role="Supervisor")
    participant = ParticipantFactory()
    named = ParticipantForm(
        participant_data(
            participant.programme, participant.team, first_name=f"Ann{RIGHT_TO_LEFT_OVERRIDE}e"
        ),
        user=user,
    )
    job = TrackerForm(
        {"type": "self_employment", "description": f"Baker{RIGHT_TO_LEFT_OVERRIDE}",
         "start_date": "2025-06-02", "weekly_hours": "20", "hourly_rate": "12.71"},
        participant=participant,
        user=user,
    )  # fmt: skip

    assert named.is_valid(), named.errors
    assert job.is_valid(), job.errors
    assert named.cleaned_data["first_name"] == "Anne"
    assert job.instance.description == "Baker"


@pytest.mark.parametrize("value", ["", "2", "3"])
def test_a_long_select_writes_the_markup_of_djangos_select(value):
    """The same options (values, labels escaped, the chosen one selected, groups) as
    Django's own select, written without a template include per option."""
    choices = [
        ("", "All"),
        ("1", "Amelia O'Brien"),
        ("2", "Tom <b>& Jerry</b>"),
        ("Former staff", [("3", "Seán Patel"), ("4", "Zoë Smith")]),
    ]

    def html(widget):
        return re.sub(r"\s+", " ", widget.render("adviser", value, {"id": "id_adviser"}))

    ours = html(LongSelect(choices=choices))

    assert ours == html(forms.Select(choices=choices))
    assert ours.count(" selected") == 1
    assert "Tom &lt;b&gt;&amp; Jerry&lt;/b&gt;" in ours


@pytest.mark.django_db
def test_a_filter_select_reads_its_choices_in_one_plain_query():
    """Not through a server-side cursor (PostgreSQL's DECLARE … WITH HOLD, which
    ``QuerySet.iterator()`` opens), and once however often the select is shown."""
    TeamFactory(name="North"), TeamFactory(name="South")
    UserFactory(first_name="Ada", last_name="Lovelace")

    class Filters(forms.Form):
        team = FilterChoiceField(Team.objects.order_by("name"), choose="a team")
        adviser = StaffChoiceField(UserFactory._meta.model.objects.all(), required=False)

    form = Filters()
    with CaptureQueriesContext(connection) as captured:
        shown = [str(form["team"]), str(form["team"]), str(form["adviser"])]

    assert [query["sql"].split()[0] for query in captured.captured_queries] == ["SELECT"] * 2
    assert re.findall(r">([^<]+)</option>", shown[0]) == ["All", "North", "South"]
    assert shown[1] == shown[0]
    assert "Ada Lovelace" in shown[2]
