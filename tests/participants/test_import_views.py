import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import TestCase
from django.urls import resolve, reverse

from jobs.models import Job
from participants import import_views
from participants.imports import start_import
from participants.models import Participant, ParticipantImport
from tests.factories import ParticipantFactory, UserFactory
from tests.participants.test_imports import referral, referral_csv

pytestmark = pytest.mark.django_db

UPLOAD_URL = reverse("participants:import")


def preview_url(participant_import) -> str:
    return reverse("participants:import_preview", args=[participant_import.pk])


def confirm(client, participant_import):
    """Confirm the preview as its button does, letting the job it starts run (the tests'
    ImmediateBackend runs it once the request's transaction commits)."""
    with TestCase.captureOnCommitCallbacks(execute=True):
        return client.post(preview_url(participant_import))


def csv_file(text: str | bytes, name: str = "referrals.csv") -> SimpleUploadedFile:
    data = text.encode() if isinstance(text, str) else text
    return SimpleUploadedFile(name, data, content_type="text/csv")


@pytest.fixture
def uploaded(supervisor, north, programme):
    """A file of two new referrals, uploaded by the supervisor and not yet imported."""
    text = referral_csv(referral(reference="RS-1"), referral(reference="RS-2", nino=""))
    return start_import(file_name="referrals.csv", content=text, uploaded_by=supervisor)


def test_participant_import_upload_preview_and_confirm_creates_the_participants(
    supervisor_client, supervisor, north, programme
):
    text = referral_csv(referral(reference="RS-1"), referral(reference="RS-2", nino=""))

    upload = supervisor_client.post(UPLOAD_URL, {"file": csv_file(text)})
    preview = supervisor_client.get(upload["Location"])
    participant_import = ParticipantImport.objects.get()
    confirmed = confirm(supervisor_client, participant_import)
    job_page = supervisor_client.get(confirmed["Location"])

    assert upload["Location"] == preview_url(participant_import)
    assert (participant_import.file_name, participant_import.content) == ("referrals.csv", text)
    assert participant_import.uploaded_by == supervisor
    assert preview.context["preview"].new_count == 2
    job = Job.objects.get()
    assert confirmed["Location"] == reverse("jobs:detail", args=[job.pk])
    assert (job.kind, job.title, job.started_by) == (
        "participants_import",
        "Import of referrals.csv",
        supervisor,
    )
    assert (job.status, job.row_count, job.progress_done, job.progress_total) == (
        Job.Status.DONE,
        2,
        2,
        2,
    )
    assert sorted(Participant.objects.values_list("reference", "team")) == [
        ("RS-1", north.pk),
        ("RS-2", north.pk),
    ]
    body = job_page.content.decode()
    assert "2 rows." in body
    assert f'<a href="{reverse("participants:list")}">Go to participants</a>' in body


def test_participant_import_confirm_starts_the_job_and_shows_its_page_before_it_runs(
    supervisor_client, uploaded
):
    started = supervisor_client.post(preview_url(uploaded))  # on_commit not run: still queued
    page = supervisor_client.get(started["Location"])

    job = Job.objects.get()
    assert resolve(started["Location"]).kwargs == {"pk": job.pk}
    assert job.status == Job.Status.QUEUED
    assert job.parameters["import"] == uploaded.pk
    assert "Waiting for a worker to start it." in page.content.decode()
    assert "Go to participants" not in page.content.decode()
    assert Participant.objects.count() == 0


def test_participant_import_upload_accepts_an_excel_file_with_a_byte_order_mark(
    supervisor_client, north, programme
):
    data = b"\xef\xbb\xbf" + referral_csv(referral()).encode()

    supervisor_client.post(UPLOAD_URL, {"file": csv_file(data)})

    assert ParticipantImport.objects.get().content == referral_csv(referral())


def test_participant_import_get_shows_the_upload_form(supervisor_client):
    response = supervisor_client.get(UPLOAD_URL)

    body = response.content.decode()
    assert '<label for="id_file" class="field__label">CSV file</label>' in body
    assert 'enctype="multipart/form-data"' in body


@pytest.mark.parametrize(
    ("upload", "error"),
    [
        (None, "Choose a CSV file to import."),
        (csv_file(b"", "empty.csv"), "The file is empty."),
        (csv_file("a,b\r\n", "referrals.xlsx"), "The file must be a CSV file (ending .csv)."),
        (
            csv_file("Zoë\r\n".encode("cp1252")),
            "The file is not UTF-8 text. If it is a spreadsheet, save it as “CSV UTF-8 "
            "(comma delimited)” and try again.",
        ),
        (csv_file("\r\n\r\n"), "The file is empty."),
        (
            csv_file("reference,first_name,last_name,date_of_birth,nino,postcode,email,phone\r\n"),
            "The file is missing the columns programme, programme_start_date, team. The first "
            "row must name the columns: reference, first_name, last_name, date_of_birth, nino, "
            "postcode, email, phone, programme, programme_start_date, team, adviser (adviser "
            "is optional).",
        ),
        (csv_file(b"x" * (10 * 1024 * 1024 + 1)), "The file must be smaller than 10 MB."),
    ],
)
def test_participant_import_invalid_upload_shows_errors_and_saves_nothing(
    supervisor_client, upload, error
):
    response = supervisor_client.post(UPLOAD_URL, {"file": upload} if upload else {})

    assert response.context["form"].errors == {"file": [error]}
    assert "There is a problem" in response.content.decode()
    assert ParticipantImport.objects.count() == 0


def test_participant_import_refuses_more_rows_than_a_page_can_check(supervisor_client, monkeypatch):
    monkeypatch.setattr(import_views, "MAX_ROWS", 2)
    text = referral_csv(*(referral(reference=f"RS-{n}") for n in range(3)))

    response = supervisor_client.post(UPLOAD_URL, {"file": csv_file(text)})

    assert response.context["form"].errors == {
        "file": [
            "The file has 3 rows; at most 2 can be imported here. Split it into smaller files."
        ]
    }
    assert ParticipantImport.objects.count() == 0


def test_participant_import_preview_shows_each_rows_status(
    supervisor_client, supervisor, north, programme
):
    ParticipantFactory(reference="RS-OLD", team=north)
    text = referral_csv(
        referral(reference="RS-1"),
        referral(reference="RS-OLD", nino=""),
        referral(reference="RS-3", nino="", postcode="nowhere", last_name="<script>x</script>"),
    )
    participant_import = start_import(file_name="<b>.csv", content=text, uploaded_by=supervisor)

    response = supervisor_client.get(preview_url(participant_import))

    body = response.content.decode()
    assert [row.line for row in response.context["rows"]] == [2, 3, 4]
    assert "Will be imported" in body
    assert "Duplicate – will be skipped: reference RS-OLD is already on the tracker" in body
    assert "<li>postcode: Enter a real UK postcode, like SW1A 1AA.</li>" in body
    assert "Ada &lt;script&gt;x&lt;/script&gt;" in body
    assert "<script>x" not in body
    assert "&lt;b&gt;.csv" in body
    assert "Import 1 participant" not in body
    assert Participant.objects.count() == 1


def test_participant_import_preview_offers_to_import_a_file_without_errors(
    supervisor_client, uploaded
):
    response = supervisor_client.get(preview_url(uploaded))

    assert '<button type="submit" class="button">Import 2 participants</button>' in (
        response.content.decode()
    )
    assert Participant.objects.count() == 0


def test_participant_import_preview_of_a_large_file_shows_only_the_first_problems(
    supervisor_client, supervisor, north, programme, monkeypatch
):
    monkeypatch.setattr(import_views, "MAX_ROWS_SHOWN", 2)
    text = referral_csv(
        *(
            referral(reference=f"RS-{n}", nino="", postcode="bad" if n % 2 else "LS1 4AP")
            for n in range(6)
        )
    )
    participant_import = start_import(file_name="big.csv", content=text, uploaded_by=supervisor)

    response = supervisor_client.get(preview_url(participant_import))

    assert [row.values["reference"] for row in response.context["rows"]] == ["RS-1", "RS-3"]
    assert "The first 2 of 3 rows with errors or duplicates" in response.content.decode()


def test_participant_import_preview_confirm_with_errors_imports_nothing(
    supervisor_client, supervisor, north, programme
):
    text = referral_csv(
        referral(reference="RS-1"), referral(reference="RS-2", nino="", team="Nowhere")
    )
    participant_import = start_import(file_name="a.csv", content=text, uploaded_by=supervisor)

    confirmed = confirm(supervisor_client, participant_import)
    page = supervisor_client.get(confirmed["Location"])

    job = Job.objects.get()
    assert (job.status, job.row_count) == (Job.Status.FAILED, None)
    assert job.error == (
        "1 row has errors, so nothing was imported. Correct the file and upload it again."
    )
    assert "1 row has errors, so nothing was imported." in page.content.decode()
    assert "Go to participants" not in page.content.decode()
    assert Participant.objects.count() == 0
    participant_import.refresh_from_db()
    assert participant_import.imported_at is None


def test_participant_import_preview_after_import_shows_the_result(supervisor_client, uploaded):
    confirm(supervisor_client, uploaded)

    again = confirm(supervisor_client, uploaded)
    page = supervisor_client.get(preview_url(uploaded))

    assert again.context["refusal"] == "referrals.csv has already been imported."
    assert "2 participants were imported from this file" in page.content.decode()
    assert "preview" not in page.context
    assert Participant.objects.count() == 2
    assert Job.objects.count() == 1


@pytest.mark.parametrize("rows", [1, 3])
def test_participant_import_confirm_query_count_does_not_depend_on_rows(
    supervisor_client, supervisor, north, programme, rows, django_assert_num_queries
):
    text = referral_csv(*(referral(reference=f"RS-{n}", nino="") for n in range(rows)))
    participant_import = start_import(file_name="a.csv", content=text, uploaded_by=supervisor)

    # session, user, permissions (2), import; the job: savepoint, its user's full_clean
    # check, insert, release
    with django_assert_num_queries(9):
        supervisor_client.post(preview_url(participant_import))

    assert Job.objects.get().status == Job.Status.QUEUED


@pytest.mark.parametrize("rows", [1, 3])
def test_participant_import_preview_query_count_does_not_depend_on_rows(
    supervisor_client, supervisor, north, programme, rows, django_assert_num_queries
):
    text = referral_csv(*(referral(reference=f"RS-{n}", nino="") for n in range(rows)))
    participant_import = start_import(file_name="a.csv", content=text, uploaded_by=supervisor)

    # session, user, permissions (2), import, references, choices (3), names (3)
    with django_assert_num_queries(12):
        response = supervisor_client.get(preview_url(participant_import))

    assert response.context["preview"].new_count == rows


@pytest.mark.parametrize("role", ["Administrator", "Compliance officer"])
def test_participant_import_is_forbidden_without_the_import_permission(
    client, north, uploaded, role
):
    client.force_login(UserFactory(role=role, teams=[north]))

    upload = client.post(UPLOAD_URL, {"file": csv_file(referral_csv(referral()))})
    preview = client.get(preview_url(uploaded))
    confirm = client.post(preview_url(uploaded))

    assert [upload.status_code, preview.status_code, confirm.status_code] == [403, 403, 403]
    assert ParticipantImport.objects.count() == 1
    assert Job.objects.count() == 0
    assert Participant.objects.count() == 0


def test_participant_import_preview_of_another_supervisors_file_is_404(client, uploaded):
    client.force_login(UserFactory(username="other", role="Supervisor"))

    preview = client.get(preview_url(uploaded))
    confirm = client.post(preview_url(uploaded))

    assert [preview.status_code, confirm.status_code] == [404, 404]
    assert b"RS-1" not in preview.content
    assert Participant.objects.count() == 0
    assert Job.objects.count() == 0


@pytest.mark.parametrize("method", ["put", "delete", "patch"])
def test_participant_import_pages_reject_other_methods(supervisor_client, uploaded, method):
    upload = getattr(supervisor_client, method)(UPLOAD_URL)
    preview = getattr(supervisor_client, method)(preview_url(uploaded))

    assert [upload.status_code, preview.status_code] == [405, 405]
    assert Participant.objects.count() == 0


def test_participant_import_anonymous_redirects_to_sign_in(client, uploaded):
    upload = client.post(UPLOAD_URL, {"file": csv_file(referral_csv(referral()))})
    confirm = client.post(preview_url(uploaded))

    assert upload["Location"] == f"/accounts/login/?next={UPLOAD_URL}"
    assert confirm["Location"] == f"/accounts/login/?next={preview_url(uploaded)}"
    assert ParticipantImport.objects.count() == 1
    assert Job.objects.count() == 0
    assert Participant.objects.count() == 0
