import io

import pytest
from django.core.management import CommandError, call_command

from participants import imports
from participants.models import Participant, ParticipantImport
from tests.factories import ParticipantFactory
from tests.participants.test_imports import referral, referral_csv

pytestmark = pytest.mark.django_db


@pytest.fixture
def csv_path(tmp_path):
    def write(text: str | bytes):
        path = tmp_path / "referrals.csv"
        if isinstance(text, str):
            path.write_text(text, encoding="utf-8")
        else:
            path.write_bytes(text)
        return path

    return write


def run(*args: str) -> list[str]:
    out = io.StringIO()
    call_command("import_participants", *args, stdout=out)
    return out.getvalue().splitlines()


def test_import_participants_command_imports_the_file_showing_progress(
    supervisor, north, programme, csv_path, monkeypatch
):
    monkeypatch.setattr(imports, "BATCH_SIZE", 2)
    ParticipantFactory(reference="RS-OLD", nino="", team=north)
    path = csv_path(
        referral_csv(
            referral(reference="RS-1", nino=""),
            referral(reference="RS-OLD", nino=""),
            referral(reference="RS-2", nino=""),
            referral(reference="RS-3", nino=""),
        )
    )

    output = run(str(path), "--user", "supervisor")

    participant_import = ParticipantImport.objects.get()
    assert output == [
        f"Checking {path} …",
        "Line 3 (RS-OLD): duplicate – will be skipped: reference RS-OLD is already on the tracker",
        "4 rows: 3 to import, 1 duplicate to skip, 0 with errors.",
        "Imported 2 of 3 participants…",
        "Imported 3 of 3 participants…",
        f"Done: 3 participants imported, 1 duplicate skipped (import {participant_import.pk}).",
    ]
    assert sorted(Participant.objects.values_list("reference", flat=True)) == [
        "RS-1",
        "RS-2",
        "RS-3",
        "RS-OLD",
    ]
    assert (participant_import.file_name, participant_import.imported_count) == (
        "referrals.csv",
        3,
    )
    assert participant_import.uploaded_by == supervisor
    assert sorted(
        Participant.history.filter(history_user=supervisor).values_list("reference", flat=True)
    ) == ["RS-1", "RS-2", "RS-3"]


def test_import_participants_command_with_errors_writes_nothing(
    supervisor, north, programme, csv_path
):
    path = csv_path(
        referral_csv(
            referral(reference="RS-1"),
            referral(reference="\x1b[2J", nino="", postcode="nowhere"),
        )
    )
    out = io.StringIO()

    with pytest.raises(CommandError) as error:
        call_command("import_participants", str(path), user="supervisor", stdout=out)

    assert str(error.value) == "Nothing was imported: 1 row with errors."
    assert out.getvalue().splitlines() == [
        f"Checking {path} …",
        "Line 3 (?[2J): error – postcode: Enter a real UK postcode, like SW1A 1AA.",
        "2 rows: 1 to import, 0 duplicates to skip, 1 with errors.",
    ]
    assert Participant.objects.count() == 0
    assert ParticipantImport.objects.count() == 0


def test_import_participants_command_dry_run_writes_nothing(supervisor, north, programme, csv_path):
    path = csv_path(referral_csv(referral()))

    output = run(str(path), "--user", "supervisor", "--dry-run")

    assert output == [
        f"Checking {path} …",
        "1 row: 1 to import, 0 duplicates to skip, 0 with errors.",
        "Dry run: nothing was imported.",
    ]
    assert Participant.objects.count() == 0
    assert ParticipantImport.objects.count() == 0


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "Zoë\r\n".encode("cp1252"),
            "referrals.csv: The file is not UTF-8 text. If it is a spreadsheet, save it as "
            "“CSV UTF-8 (comma delimited)” and try again.",
        ),
        ("", "referrals.csv: The file is empty."),
    ],
)
def test_import_participants_command_refuses_an_unreadable_file(
    supervisor, csv_path, text, message
):
    path = csv_path(text)

    with pytest.raises(CommandError) as error:
        run(str(path), "--user", "supervisor")

    assert str(error.value) == f"{path.parent}/{message}"
    assert ParticipantImport.objects.count() == 0


def test_import_participants_command_refuses_a_missing_file(supervisor, tmp_path):
    with pytest.raises(CommandError) as error:
        run(str(tmp_path / "missing.csv"), "--user", "supervisor")

    assert str(error.value) == f"Cannot read {tmp_path}/missing.csv: No such file or directory."


@pytest.mark.parametrize(
    ("username", "message"),
    [
        ("nobody", "There is no active member of staff with the username nobody."),
        ("admin", "admin does not have permission to import participants."),
    ],
)
def test_import_participants_command_refuses_a_user_who_cannot_import(
    administrator, csv_path, username, message
):
    path = csv_path(referral_csv(referral()))

    with pytest.raises(CommandError) as error:
        run(str(path), "--user", username)

    assert str(error.value) == message
    assert Participant.objects.count() == 0
