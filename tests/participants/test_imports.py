import csv
import datetime
import io

import pytest
from django.contrib.auth.models import Permission

from participants import imports
from participants.imports import (
    ImportRefused,
    decode_csv,
    import_participants,
    preview_import,
    read_csv,
    start_import,
)
from participants.models import Participant
from tests.factories import ParticipantFactory, UserFactory

pytestmark = pytest.mark.django_db


def referral(**values: str) -> dict[str, str]:
    """One valid row of a referral file, for the North team, with any values replaced."""
    return {
        "reference": "RS-1",
        "first_name": "Ada",
        "last_name": "Lovelace",
        "date_of_birth": "1990-05-17",
        "nino": "AB123456C",
        "postcode": "ls1 4ap",
        "email": "ada@example.com",
        "phone": "07911 123456",
        "programme": "DWP Restart – CPA 4",
        "programme_start_date": "2025-01-06",
        "team": "North",
        "adviser": "",
    } | values


def referral_csv(*referrals: dict[str, str]) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=imports.COLUMNS, lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(referrals)
    return out.getvalue()


def import_file(text: str, user, **kwargs):
    participant_import = start_import(file_name="referrals.csv", content=text, uploaded_by=user)
    return import_participants(participant_import=participant_import, imported_by=user, **kwargs)


def test_import_participants_creates_every_row_with_history(supervisor, north, programme):
    text = referral_csv(
        referral(reference="rs-1", nino="ab 12 34 56 c"),
        referral(reference="RS-2", nino="", first_name="Grace", last_name="Hopper"),
    )

    participant_import = import_file(text, supervisor)

    assert list(
        Participant.objects.order_by("reference").values_list(
            "reference", "first_name", "nino", "postcode", "team", "programme"
        )
    ) == [
        ("RS-1", "Ada", "AB123456C", "LS1 4AP", north.pk, programme.pk),
        ("RS-2", "Grace", "", "LS1 4AP", north.pk, programme.pk),
    ]
    assert sorted(Participant.history.values_list("reference", "history_type", "history_user")) == [
        ("RS-1", "+", supervisor.pk),
        ("RS-2", "+", supervisor.pk),
    ]
    participant_import.refresh_from_db()
    assert participant_import.imported_count == 2
    assert participant_import.imported_at is not None


def test_import_participants_with_an_error_row_imports_nothing(supervisor, north, programme):
    text = referral_csv(
        referral(reference="RS-1"),
        referral(reference="RS-2", nino="", postcode="NOT A POSTCODE"),
    )
    participant_import = start_import(file_name="a.csv", content=text, uploaded_by=supervisor)

    with pytest.raises(ImportRefused) as refusal:
        import_participants(participant_import=participant_import, imported_by=supervisor)

    assert str(refusal.value) == (
        "1 row has errors, so nothing was imported. Correct the file and upload it again."
    )
    assert Participant.objects.count() == 0
    assert Participant.history.count() == 0
    participant_import.refresh_from_db()
    assert participant_import.imported_at is None


def test_import_participants_refuses_a_file_already_imported(supervisor, north, programme):
    participant_import = import_file(referral_csv(referral()), supervisor)

    with pytest.raises(ImportRefused) as refusal:
        import_participants(participant_import=participant_import, imported_by=supervisor)

    assert str(refusal.value) == "referrals.csv has already been imported."
    assert Participant.objects.count() == 1


def test_import_participants_reports_progress_after_each_batch(
    supervisor, north, programme, monkeypatch
):
    monkeypatch.setattr(imports, "BATCH_SIZE", 2)
    text = referral_csv(*(referral(reference=f"RS-{n}", nino="") for n in range(5)))
    calls = []

    import_file(text, supervisor, progress=lambda done, total: calls.append((done, total)))

    assert calls == [(2, 5), (4, 5), (5, 5)]
    assert Participant.objects.count() == 5


def test_preview_import_reports_duplicates_in_the_database_and_the_file(
    supervisor, north, programme
):
    ParticipantFactory(reference="RS-OLD", nino="AB111111A", team=north)
    text = referral_csv(
        referral(reference="rs-old", nino=""),
        referral(reference="RS-2", nino="ab 11 11 11 a"),
        referral(reference="RS-3", nino="AB333333C"),
        referral(reference="rs-3", nino=""),
        referral(reference="RS-4", nino="AB 33 33 33 C"),
        referral(reference="RS-5", nino="AB555555C"),
    )

    preview = preview_import(content=text, importer=supervisor)

    assert [(row.line, row.duplicate) for row in preview.rows] == [
        (2, "reference RS-OLD is already on the tracker"),
        (3, "National Insurance number AB 11 11 11 A is already on the tracker"),
        (4, ""),
        (5, "same reference as line 4"),
        (6, "same National Insurance number as line 4"),
        (7, ""),
    ]
    assert (preview.new_count, preview.duplicate_count, preview.error_count) == (2, 4, 0)


def test_import_participants_skips_duplicates(supervisor, north, programme):
    ParticipantFactory(reference="RS-OLD", nino="AB111111A", team=north)
    text = referral_csv(
        referral(reference="RS-OLD", nino=""),
        referral(reference="RS-3", nino="AB333333C"),
        referral(reference="RS-3", nino="AB444444C"),
    )

    participant_import = import_file(text, supervisor)

    assert sorted(Participant.objects.values_list("reference", "nino")) == [
        ("RS-3", "AB333333C"),
        ("RS-OLD", "AB111111A"),
    ]
    assert participant_import.imported_count == 1


def test_preview_import_does_not_check_duplicates_against_each_other_once_skipped(
    supervisor, north, programme
):
    text = referral_csv(
        referral(reference="RS-1", nino="AB111111A"),
        referral(reference="RS-2", nino="AB111111A"),
        referral(reference="RS-2", nino="AB222222A"),
    )

    preview = preview_import(content=text, importer=supervisor)

    assert [row.duplicate for row in preview.rows] == [
        "",
        "same National Insurance number as line 2",
        "",
    ]


def test_import_participants_reads_a_file_with_an_excel_byte_order_mark(
    supervisor, north, programme
):
    data = "\ufeff".encode() + referral_csv(referral()).encode()

    import_file(decode_csv(data), supervisor)

    assert list(Participant.objects.values_list("reference", flat=True)) == ["RS-1"]


def test_import_participants_accepts_day_month_year_dates(supervisor, north, programme):
    text = referral_csv(referral(date_of_birth="7/5/1990", programme_start_date="06/01/2025"))

    import_file(text, supervisor)

    assert list(Participant.objects.values_list("date_of_birth", "programme_start_date")) == [
        (datetime.date(1990, 5, 7), datetime.date(2025, 1, 6))
    ]


def test_preview_import_reports_dates_in_other_formats(supervisor, north, programme):
    text = referral_csv(referral(date_of_birth="May 1990", programme_start_date="31/02/2025"))

    preview = preview_import(content=text, importer=supervisor)

    assert preview.rows[0].errors == {
        "date_of_birth": ("Enter the date as YYYY-MM-DD or DD/MM/YYYY.",),
        "programme_start_date": ("Enter the date as YYYY-MM-DD or DD/MM/YYYY.",),
    }


def test_preview_import_reports_unknown_team_programme_and_adviser(supervisor, north, programme):
    text = referral_csv(referral(team="Nowhere", programme="Restart 2", adviser="nobody"))

    preview = preview_import(content=text, importer=supervisor)

    assert preview.rows[0].errors == {
        "programme": ("There is no programme called “Restart 2”.",),
        "team": ("There is no team called “Nowhere”.",),
        "adviser": ("There is no member of staff with the username “nobody”.",),
    }
    assert preview.error_count == 1


def test_preview_import_matches_names_in_any_case_and_advisers_by_username(
    supervisor, north, programme
):
    adviser = UserFactory(username="jbloggs", teams=[north])
    text = referral_csv(referral(team="NORTH", programme="dwp restart – cpa 4", adviser="jbloggs"))

    import_file(text, supervisor)

    assert list(Participant.objects.values_list("team", "programme", "adviser")) == [
        (north.pk, programme.pk, adviser.pk)
    ]


def test_preview_import_refuses_a_team_outside_the_importers_teams(north, south, programme):
    importer = UserFactory(username="lead", role="Administrator", teams=[north])
    importer.user_permissions.add(Permission.objects.get(codename="import_participants"))
    text = referral_csv(
        referral(reference="RS-1"), referral(reference="RS-2", nino="", team="South")
    )

    preview = preview_import(content=text, importer=importer)

    assert [row.errors for row in preview.rows] == [
        {},
        {"team": ("You cannot import into the team “South”.",)},
    ]


def test_preview_import_reports_each_field_error_by_column(supervisor, north, programme):
    text = referral_csv(
        referral(first_name="", nino="QQ12", programme_start_date="2021-06-30", phone="123")
    )

    preview = preview_import(content=text, importer=supervisor)

    assert preview.rows[0].error_messages == [
        "first_name: Enter the first name.",
        "nino: Enter a National Insurance number in the correct format, like AB 12 34 56 C.",
        "phone: Enter a phone number in the correct format, like 07912 345678.",
        "programme_start_date: DWP Restart – CPA 4 starts on 1 July 2021; a participant "
        "cannot start before it.",
    ]


def test_import_participants_keeps_formulas_and_markup_as_plain_text(supervisor, north, programme):
    text = referral_csv(referral(first_name='=HYPERLINK("http://x")', last_name="<b>Bold</b>"))

    import_file(text, supervisor)

    assert list(Participant.objects.values_list("first_name", "last_name")) == [
        ('=HYPERLINK("http://x")', "<b>Bold</b>")
    ]


def test_read_csv_matches_columns_in_any_case_and_ignores_others():
    text = (
        "Notes,Reference,First Name,last-name,DATE_OF_BIRTH,nino,postcode,email,phone,"
        "programme,programme_start_date,team\r\n"
        "call back,RS-1,Ada,Lovelace,1990-05-17,,LS1 4AP,,,Restart,2025-01-06,North\r\n"
    )

    rows = read_csv(text)

    assert rows == [
        (
            2,
            {
                "reference": "RS-1",
                "first_name": "Ada",
                "last_name": "Lovelace",
                "date_of_birth": "1990-05-17",
                "nino": "",
                "postcode": "LS1 4AP",
                "email": "",
                "phone": "",
                "programme": "Restart",
                "programme_start_date": "2025-01-06",
                "team": "North",
                "adviser": "",
            },
        )
    ]


def test_read_csv_skips_blank_rows_and_numbers_lines_from_the_file():
    text = referral_csv(
        referral(reference="RS-1", first_name="Two\nlines"), referral(reference="RS-2")
    )
    text = text.replace("\r\nRS-2", "\r\n,,,,,,,,,,,\r\n\r\nRS-2")

    rows = read_csv(text)

    assert [(line, values["reference"]) for line, values in rows] == [(2, "RS-1"), (6, "RS-2")]


def test_read_csv_refuses_a_file_missing_columns():
    text = "reference,first_name,last_name\r\nRS-1,Ada,Lovelace\r\n"

    with pytest.raises(ImportRefused) as refusal:
        read_csv(text)

    assert str(refusal.value) == (
        "The file is missing the columns date_of_birth, nino, postcode, email, phone, "
        "programme, programme_start_date, team. The first row must name the columns: "
        "reference, first_name, last_name, date_of_birth, nino, postcode, email, phone, "
        "programme, programme_start_date, team, adviser (adviser is optional)."
    )


def test_read_csv_refuses_a_column_given_twice():
    text = referral_csv(referral()).replace("adviser", "reference", 1)

    with pytest.raises(ImportRefused) as refusal:
        read_csv(text)

    assert str(refusal.value) == "These columns appear more than once: reference."


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "The file is empty."),
        ("\r\n\r\n", "The file is empty."),
        (",,,\r\n", "The file is empty."),
        (
            ",".join(imports.COLUMNS) + "\r\n\r\n",
            "The file has a header row but no referrals under it.",
        ),
    ],
)
def test_read_csv_refuses_a_file_without_referrals(text, message):
    with pytest.raises(ImportRefused) as refusal:
        read_csv(text)

    assert str(refusal.value) == message


def test_read_csv_refuses_a_field_too_large_for_a_csv_file():
    text = referral_csv(referral(first_name="x" * 200_000))

    with pytest.raises(ImportRefused) as refusal:
        read_csv(text)

    assert str(refusal.value) == (
        "The file is not a valid CSV file (line 2: field larger than field limit (131072))."
    )


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (
            "Zoë,Brontë\r\n".encode("cp1252"),
            "The file is not UTF-8 text. If it is a spreadsheet, save it as “CSV UTF-8 "
            "(comma delimited)” and try again.",
        ),
        (
            "reference\r\n".encode("utf-16"),
            "The file is saved as UTF-16. Save it as “CSV UTF-8 (comma delimited)” and try again.",
        ),
        (b"PK\x03\x04\x00\x00", "The file is not a CSV file: it contains binary data."),
    ],
)
def test_decode_csv_refuses_files_that_are_not_utf8_text(data, message):
    with pytest.raises(ImportRefused) as refusal:
        decode_csv(data)

    assert str(refusal.value) == message


def test_decode_csv_drops_the_byte_order_mark():
    text = decode_csv(b"\xef\xbb\xbfreference\r\n")

    assert text == "reference\r\n"
