"""The gathering layer's pages: Create Tracker, edit a tracker, end a job, and edit a
participant (milestones.views.casework)."""

import datetime
import io
from decimal import Decimal

import pytest
from django.core import mail
from django.core.files.storage import FileSystemStorage
from django.urls import reverse
from django.utils.http import urlencode
from PIL import Image

from milestones.models import ParticipantMilestone
from milestones.recalculation import recalculate_participant
from organisations.models import Organisation
from programmes.models import FinancialMilestone, Programme
from tests.factories import (
    MINIMAL_PDF,
    OrganisationFactory,
    ParticipantFactory,
    ProgrammeFactory,
    TrackerFactory,
    UserFactory,
)
from tests.participants.helpers import participant_data
from trackers.models import EvidenceDocument, Tracker

# Stored files go to a temporary folder, never into the project.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media_root")]

PDF = MINIMAL_PDF


@pytest.fixture
def participant(north):
    return ParticipantFactory(team=north, date_of_birth=datetime.date(1990, 5, 17))


@pytest.fixture
def employer(administrator):
    return OrganisationFactory(name="Harbour Bakery", status=Organisation.Status.CONFIRMED)


def create_url(participant):
    return reverse("milestones:tracker_create", args=[participant.pk])


def form_data(client, participant, **overrides) -> dict:
    """What the Create Tracker form would post, token included."""
    token = client.get(create_url(participant)).context["form"]["submission_token"].value()
    return {
        "type": "job",
        "status": "new",
        "assignee": "",
        "description": "Warehouse operative",
        "start_date": "2025-06-02",
        "end_date": "",
        "weekly_hours": "37.5",
        "hourly_rate": "12.21",
        "document_kind": "contract",
        "submission_token": str(token),
    } | overrides


def pdf_upload(name="contract.pdf"):
    file = io.BytesIO(PDF)
    file.name = name
    return file


def test_tracker_create_saves_the_tracker_with_its_document(
    administrator_client, administrator, participant, employer
):
    data = form_data(administrator_client, participant, organisation=employer.pk)

    response = administrator_client.post(
        create_url(participant), data | {"documents": [pdf_upload()]}
    )

    tracker = Tracker.objects.get()
    assert response["Location"] == reverse("trackers:list", args=[participant.pk])
    assert (tracker.participant, tracker.organisation, tracker.status) == (
        participant,
        employer,
        Tracker.Status.IN_REVIEW,  # created with evidence: submitted at once
    )
    assert (tracker.weekly_hours, tracker.hourly_rate, tracker.weekly_pay) == (
        Decimal("37.50"),
        Decimal("12.21"),
        Decimal("457.88"),
    )
    assert tracker.created_by == administrator
    assert [(d.original_name, d.kind) for d in tracker.documents.all()] == [
        ("contract.pdf", EvidenceDocument.Kind.CONTRACT)
    ]
    assert [h.history_user for h in tracker.history.all()] == [administrator]


def test_tracker_create_twice_with_the_same_form_makes_one_tracker(
    administrator_client, participant, employer
):
    data = form_data(administrator_client, participant, organisation=employer.pk)

    first = administrator_client.post(create_url(participant), data)
    second = administrator_client.post(create_url(participant), data)

    assert Tracker.objects.count() == 1
    assert first["Location"] == second["Location"]


def test_tracker_create_invalid_keeps_values_and_saves_nothing(
    administrator_client, participant, employer, settings
):
    data = form_data(
        administrator_client,
        participant,
        organisation=employer.pk,
        description="Chef's assistant <b>",
        weekly_hours="0",
        hourly_rate="-1",
        end_date="2025-05-01",
    )

    response = administrator_client.post(
        create_url(participant), data | {"documents": [pdf_upload()]}
    )

    assert Tracker.objects.count() == 0
    assert EvidenceDocument.objects.count() == 0
    assert list(settings.MEDIA_ROOT.rglob("*.*")) == []
    form = response.context["form"]
    assert set(form.errors) == {"weekly_hours", "hourly_rate", "end_date"}
    body = response.content.decode()
    assert "There is a problem" in body
    assert 'value="Chef&#x27;s assistant &lt;b&gt;"' in body
    assert "Choose your evidence again" in body and "contract.pdf" in body


def test_tracker_create_refuses_a_disguised_file(administrator_client, participant, employer):
    exe = io.BytesIO(b"MZ\x90\x00" + b"\x00" * 100)
    exe.name = "payslip.pdf"
    data = form_data(administrator_client, participant, organisation=employer.pk)

    response = administrator_client.post(create_url(participant), data | {"documents": [exe]})

    assert Tracker.objects.count() == 0
    assert list(response.context["form"].errors) == ["documents"]


def test_tracker_create_job_needs_a_confirmed_employer(
    administrator_client, participant, administrator
):
    unconfirmed = OrganisationFactory(name="New Start Ltd")
    data = form_data(administrator_client, participant, organisation=unconfirmed.pk)

    response = administrator_client.post(create_url(participant), data)

    assert Tracker.objects.count() == 0
    assert response.context["form"].errors["organisation"] == [
        "New Start Ltd is Unconfirmed: only Confirmed organisations can be the employer on a "
        "job. Tick “Confirm this organisation now” if you have checked it."
    ]
    assert "Confirm this organisation now" in response.content.decode()


def test_tracker_create_can_confirm_the_employer_in_the_same_save(
    administrator_client, participant, administrator
):
    unconfirmed = OrganisationFactory(name="New Start Ltd")
    data = form_data(
        administrator_client, participant, organisation=unconfirmed.pk, confirm_organisation="on"
    )

    administrator_client.post(create_url(participant), data)

    unconfirmed.refresh_from_db()
    assert Tracker.objects.get().organisation == unconfirmed
    assert (unconfirmed.status, unconfirmed.confirmed_by) == ("confirmed", administrator)


def test_tracker_create_self_employment_needs_no_employer(administrator_client, participant):
    data = form_data(
        administrator_client, participant, type="self_employment", description="Dog walker"
    )

    administrator_client.post(create_url(participant), data)

    assert Tracker.objects.get().organisation is None


def test_tracker_create_warns_below_minimum_wage_until_confirmed(
    administrator_client, participant, employer
):
    data = form_data(
        administrator_client, participant, organisation=employer.pk, hourly_rate="11.00"
    )

    warned = administrator_client.post(create_url(participant), data)
    confirmed = administrator_client.post(
        create_url(participant), data | {"confirm_below_minimum": "on"}
    )

    assert "below the legal minimum of £12.21" in warned.context["form"].errors["hourly_rate"][0]
    assert confirmed.status_code == 302
    assert Tracker.objects.get().below_minimum_confirmed is True


def test_tracker_create_outside_users_teams_is_404(administrator_client, south, employer):
    outsider = ParticipantFactory(team=south, last_name="Hidden")

    response = administrator_client.get(create_url(outsider))

    assert response.status_code == 404
    assert b"Hidden" not in response.content


def test_tracker_create_is_forbidden_to_compliance(client, compliance, participant, employer):
    client.force_login(compliance)
    data = {"type": "job", "description": "Porter", "organisation": employer.pk,
            "start_date": "2025-06-02", "weekly_hours": "30", "hourly_rate": "12.21"}  # fmt: skip

    page = client.get(create_url(participant))
    post = client.post(create_url(participant), data)

    assert (page.status_code, post.status_code) == (403, 403)
    assert "Create Tracker" not in page.content.decode()
    assert Tracker.objects.count() == 0


def test_tracker_create_lists_only_confirmed_employers_and_staff_who_can_see(
    administrator_client, participant, employer, south
):
    OrganisationFactory(name="Unconfirmed Co")
    insider = UserFactory(
        username="north.compliance", role="Compliance officer", teams=[participant.team]
    )
    UserFactory(username="south.compliance", role="Compliance officer", teams=[south])

    form = administrator_client.get(create_url(participant)).context["form"]

    assert [label for value, label in form.fields["organisation"].widget.choices] == [
        "Choose…",
        "Harbour Bakery",
    ]
    assert insider in form.fields["assignee"].queryset
    assert {u.username for u in form.fields["assignee"].queryset} == {"admin", "north.compliance"}


def test_tracker_overlap_with_the_same_employer_is_warned(
    administrator_client, participant, employer
):
    TrackerFactory(
        participant=participant, organisation=employer, start_date=datetime.date(2025, 5, 1)
    )
    data = form_data(administrator_client, participant, organisation=employer.pk)

    response = administrator_client.post(create_url(participant), data, follow=True)

    assert "This job overlaps" in response.content.decode()
    assert Tracker.objects.count() == 2


def test_image_evidence_is_accepted(administrator_client, participant, employer):
    buffer = io.BytesIO()
    Image.new("RGB", (20, 20), "white").save(buffer, "PNG")
    buffer.name = "payslip.png"
    buffer.seek(0)
    data = form_data(administrator_client, participant, organisation=employer.pk)

    administrator_client.post(create_url(participant), data | {"documents": [buffer]})

    assert EvidenceDocument.objects.get().content_type == "image/png"


def edit_data(tracker, **overrides) -> dict:
    return {
        "type": tracker.type,
        "status": tracker.status,
        "assignee": "",
        "description": tracker.description,
        "organisation": tracker.organisation_id,
        "start_date": tracker.start_date.isoformat(),
        "end_date": "",
        "weekly_hours": str(tracker.weekly_hours),
        "hourly_rate": str(tracker.hourly_rate),
        "loaded_version": tracker.version,
    } | overrides


def test_tracker_edit_saves_and_bumps_the_version(administrator_client, participant):
    tracker = TrackerFactory(participant=participant)
    url = reverse("milestones:tracker_edit", args=[participant.pk, tracker.pk])

    response = administrator_client.post(url, edit_data(tracker, weekly_hours="30"))

    tracker.refresh_from_db()
    assert response.status_code == 302
    assert (tracker.weekly_hours, tracker.version) == (Decimal("30.00"), 2)


def test_tracker_edit_refuses_the_second_of_two_edits(administrator_client, participant):
    tracker = TrackerFactory(participant=participant)
    url = reverse("milestones:tracker_edit", args=[participant.pk, tracker.pk])
    loaded_by_both = edit_data(tracker)

    administrator_client.post(url, loaded_by_both | {"weekly_hours": "30"})
    second = administrator_client.post(url, loaded_by_both | {"weekly_hours": "10"})

    tracker.refresh_from_db()
    assert tracker.weekly_hours == Decimal("30.00")
    assert "changed this tracker while you were editing it" in second.content.decode()
    assert tracker.history.count() == 2


def test_tracker_end_records_the_end_and_keeps_the_review(administrator_client, participant):
    tracker = TrackerFactory(
        participant=participant,
        start_date=datetime.date(2025, 6, 2),
        status=Tracker.Status.APPROVED,
    )
    url = reverse("milestones:tracker_end", args=[participant.pk, tracker.pk])

    administrator_client.post(
        url, {"end_date": "2025-09-30", "note": "Contract ended", "loaded_version": 1}
    )

    tracker.refresh_from_db()
    assert (tracker.end_date, tracker.end_note, tracker.status) == (
        datetime.date(2025, 9, 30),
        "Contract ended",
        Tracker.Status.APPROVED,
    )


def test_tracker_end_before_start_is_refused(administrator_client, participant):
    tracker = TrackerFactory(participant=participant, start_date=datetime.date(2025, 6, 2))
    url = reverse("milestones:tracker_end", args=[participant.pk, tracker.pk])

    response = administrator_client.post(url, {"end_date": "2025-06-01", "loaded_version": 1})

    tracker.refresh_from_db()
    assert tracker.end_date is None
    assert list(response.context["form"].errors) == ["end_date"]


def detail_url(participant):
    return reverse("participants:detail", args=[participant.pk])


def test_participant_edit_saves_changes(administrator_client, north):
    participant = ParticipantFactory(team=north)
    data = participant_data(participant.programme, north, reference=participant.reference)

    response = administrator_client.post(
        reverse("milestones:participant_edit", args=[participant.pk]), data
    )

    participant.refresh_from_db()
    assert response["Location"] == detail_url(participant)
    assert (participant.last_name, participant.postcode) == ("O'Connor", "LS1 4AP")
    assert participant.history.count() == 2


def test_participant_edit_outside_users_teams_is_404(administrator_client, south):
    participant = ParticipantFactory(team=south)

    url = reverse("milestones:participant_edit", args=[participant.pk])
    data = participant_data(participant.programme, south, reference=participant.reference)

    page = administrator_client.get(url)
    post = administrator_client.post(url, data)

    assert (page.status_code, post.status_code) == (404, 404)
    assert participant.last_name not in page.content.decode()
    participant.refresh_from_db()
    assert participant.first_name != "Mary-Jane"
    assert participant.history.count() == 1


def test_participant_edit_recalculates_milestones_when_the_programme_start_changes(
    administrator_client, north
):
    programme = ProgrammeFactory(
        name="Restart", milestones_enabled=True, scheme=Programme.Scheme.DWP_RESTART
    )
    FinancialMilestone.objects.create(programme=programme, position=1, name="M1", amount=100)
    participant = ParticipantFactory(team=north, programme=programme)
    TrackerFactory(participant=participant, start_date=datetime.date(2025, 6, 2))
    data = participant_data(
        programme, north, reference=participant.reference, programme_start_date="2021-07-01"
    )

    administrator_client.post(reverse("milestones:participant_edit", args=[participant.pk]), data)

    # The factory's tracker was saved without a recalculation; the edit made one. The job
    # earns £244.20 a week, so £100 is reached on its third day.
    milestone = participant.milestones.get()
    assert (milestone.projected_date, milestone.status) == (datetime.date(2025, 6, 4), "achieved")


def test_tracker_create_emails_the_assignee(
    administrator_client, participant, employer, compliance, django_capture_on_commit_callbacks
):
    compliance.email = "priya@example.org"
    compliance.save()
    data = form_data(
        administrator_client, participant, organisation=employer.pk, assignee=compliance.pk
    )

    with django_capture_on_commit_callbacks(execute=True):
        administrator_client.post(create_url(participant), data)

    (message,) = mail.outbox
    tracker = Tracker.objects.get()
    assert (message.to, message.subject) == (
        ["priya@example.org"],
        f"Tracker to review: Warehouse operative ({participant.reference})",
    )
    assert f"/participants/{participant.pk}/trackers/{tracker.pk}/" in message.body


def test_tracker_edit_of_an_approved_job_sends_it_back_to_review_and_says_so(
    administrator_client, participant
):
    tracker = TrackerFactory(
        participant=participant, status="approved", start_date=datetime.date(2025, 6, 2)
    )
    url = reverse("milestones:tracker_edit", args=[participant.pk, tracker.pk])
    form = administrator_client.get(url).context["form"]
    data = {name: form[name].value() or "" for name in form.fields} | {"weekly_hours": "30"}

    response = administrator_client.post(url, data, follow=True)

    tracker.refresh_from_db()
    assert (tracker.status, tracker.weekly_hours) == (Tracker.Status.IN_REVIEW, Decimal("30"))
    assert (
        "Its dates, hours, pay or employer changed, so it is back in review:"
        in response.content.decode()
    )


def test_tracker_create_shows_the_hints_of_its_declared_fields(administrator_client, participant):
    response = administrator_client.get(create_url(participant))

    body = response.content.decode()
    assert "Usually a compliance officer, who will check the evidence." in body
    assert "Only Confirmed organisations can be chosen." in body
    assert '<button type="submit" name="add_employer" value="1" formnovalidate' in body


def test_find_an_employer_without_javascript_lists_the_matches_and_keeps_the_form(
    administrator_client, participant, employer
):
    OrganisationFactory(name="Leeds Motors", status=Organisation.Status.CONFIRMED)
    data = form_data(
        administrator_client,
        participant,
        organisation="",
        organisation_search="harbour",
        find_employer="1",
        weekly_hours="abc",
    )

    response = administrator_client.post(create_url(participant), data)

    body = response.content.decode()
    form = response.context["form"]
    assert Tracker.objects.count() == 0
    assert [label for _, label in form.fields["organisation"].widget.choices] == [
        "Choose…",
        "Harbour Bakery",
    ]
    assert "There is a problem" not in body
    assert 'value="Warehouse operative"' in body
    assert 'value="abc"' in body  # kept as typed, checked when the form is sent
    assert 'value="harbour"' in body


def test_find_an_employer_works_on_the_edit_page_too(administrator_client, participant, employer):
    tracker = TrackerFactory(participant=participant, organisation=employer)
    OrganisationFactory(name="Leeds Motors", status=Organisation.Status.CONFIRMED)
    url = reverse("milestones:tracker_edit", args=[participant.pk, tracker.pk])
    data = {"organisation": employer.pk, "organisation_search": "leeds", "find_employer": "1"}
    data["description"] = "Changed"

    response = administrator_client.post(url, data)

    tracker.refresh_from_db()
    labels = [label for _, label in response.context["form"].fields["organisation"].widget.choices]
    assert labels == ["Choose…", "Leeds Motors", "Harbour Bakery"]  # the matches, and its own
    assert tracker.description != "Changed"


def test_add_employer_without_javascript_keeps_the_form_and_comes_back_to_it(
    administrator_client, participant, employer
):
    data = form_data(administrator_client, participant, add_employer="1", description="Baker")

    left = administrator_client.post(create_url(participant), data)
    back = f"{create_url(participant)}?draft=1"
    assert left.status_code == 302
    assert left["Location"] == reverse("organisations:create") + "?" + urlencode(
        {"employer": 1, "next": back}
    )
    assert Tracker.objects.count() == 0

    returned = administrator_client.get(
        create_url(participant), {"draft": "1", "organisation": employer.pk}
    )
    again = administrator_client.get(back)

    body = returned.content.decode()
    assert 'value="Baker"' in body
    assert f'<option value="{employer.pk}" selected>Harbour Bakery</option>' in body
    assert "There is a problem" not in body
    assert returned.context["form"]["submission_token"].value() == data["submission_token"]
    assert 'value="Baker"' not in again.content.decode()  # the draft is used once


def test_a_draft_belongs_to_its_own_page(administrator_client, participant, north):
    other = ParticipantFactory(team=north, date_of_birth=datetime.date(1990, 5, 17))
    data = form_data(administrator_client, participant, add_employer="1", description="Baker")
    administrator_client.post(create_url(participant), data)

    elsewhere = administrator_client.get(f"{create_url(other)}?draft=1")

    assert 'value="Baker"' not in elsewhere.content.decode()


def test_a_full_disk_during_create_tracker_says_so_and_saves_nothing(
    administrator_client, participant, employer, monkeypatch
):
    def no_space(storage, name, content):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(FileSystemStorage, "_save", no_space)
    data = form_data(administrator_client, participant, organisation=employer.pk)

    response = administrator_client.post(
        create_url(participant), data | {"documents": [pdf_upload()]}
    )

    assert response.status_code == 200
    assert response.context["form"].non_field_errors() == [
        "The tracker and its evidence could not be saved, so nothing was saved. Try again in a "
        "few minutes, and tell your administrator if it keeps happening."
    ]
    assert "There is a problem" in response.content.decode()
    assert (Tracker.objects.count(), EvidenceDocument.objects.count()) == (0, 0)
    assert Tracker.history.count() == 0


def test_participant_edit_refuses_a_form_loaded_before_someone_else_saved(
    administrator_client, north, supervisor
):
    """No lost update: the second of two edits from the same version is refused."""
    participant = ParticipantFactory(team=north, first_name="Ann")
    url = reverse("milestones:participant_edit", args=[participant.pk])
    data = participant_data(participant.programme, north, reference=participant.reference)
    administrator_client.post(url, data | {"first_name": "First"})

    response = administrator_client.post(url, data | {"first_name": "Second"})

    participant.refresh_from_db()
    assert (participant.first_name, participant.version) == ("First", 2)
    assert (
        "changed this participant while you were editing it"
        in (response.context["form"].non_field_errors()[0])
    )


@pytest.mark.parametrize("jobs", [1, 3])
def test_tracker_create_with_recalculation_query_count_is_constant(
    administrator_client, administrator, north, employer, jobs, django_assert_num_queries
):
    restart = Programme.objects.create(
        name="DWP Restart – CPA 5",
        start_date=datetime.date(2021, 7, 1),
        milestones_enabled=True,
        scheme=Programme.Scheme.DWP_RESTART,
    )
    for position, amount in enumerate(["1000", "4759.04"], start=1):
        FinancialMilestone.objects.create(
            programme=restart, position=position, name=f"M{position}", amount=Decimal(amount)
        )
    participant = ParticipantFactory(
        team=north, programme=restart, programme_start_date=datetime.date(2025, 1, 6)
    )
    for month in range(1, jobs + 1):
        TrackerFactory(
            participant=participant,
            organisation=employer,
            start_date=datetime.date(2025, month, 6),
            end_date=datetime.date(2025, month, 20),
        )
    recalculate_participant(participant)
    data = form_data(administrator_client, participant, organisation=employer.pk)

    # Of these, the recalculation: a savepoint, the participant with its programme, the
    # programme's milestones, the trackers, the stored rows, the update and its history
    # rows, the forecast's counts, and the release.
    with django_assert_num_queries(65):
        response = administrator_client.post(
            create_url(participant), data | {"documents": [pdf_upload()]}
        )

    assert response["Location"] == reverse("trackers:list", args=[participant.pk])
    assert participant.trackers.count() == jobs + 1
    # The new job brings both milestones forward: both rows are rewritten, and their
    # history rows name who saved the tracker.
    assert list(
        ParticipantMilestone.history.filter(history_type="~").values_list("history_user", flat=True)
    ) == [administrator.pk, administrator.pk]
