"""The demo's sample DWP file lands a row in every state."""

import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from reconciliation.demo import SAMPLE_FILE
from reconciliation.models import ImportedRow
from reconciliation.services import apply_import, preview_file, standard_mapping

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media_root")]
State = ImportedRow.State


def test_the_sample_file_exercises_every_state():
    call_command("load_demo", stdout=io.StringIO())
    supervisor = get_user_model().objects.get(username="supervisor")

    notification_import = apply_import(
        preview_file(
            data=SAMPLE_FILE.read_bytes(),
            file_name=SAMPLE_FILE.name,
            mapping=standard_mapping(),
            uploaded_by=supervisor,
        ),
        applied_by=supervisor,
    )

    assert notification_import.counts == {
        State.MATCHED_NEW: 3,
        State.MATCHED_UPDATED: 1,
        State.COMPLETE: 1,
        State.UNMATCHED: 2,
        State.CONFLICT: 3,
        State.INVALID: 3,
    }
    assert notification_import.ignored_columns == ["Provider notes"]
    proposed = notification_import.rows.get(state=State.UNMATCHED, surname="Adebayo")
    assert proposed.proposed_participant.reference == "RS4-DWP-005"

    # Loading the demo again changes nothing of it.
    call_command("load_demo", stdout=io.StringIO())
    again = preview_file(
        data=SAMPLE_FILE.read_bytes(),
        file_name=SAMPLE_FILE.name,
        mapping=standard_mapping(),
        uploaded_by=supervisor,
    )
    # The same file again: the rows it applied are held, and its unmatched rows and
    # conflicts are already waiting, so only the rows that cannot be read are not Complete.
    assert again.counts == {state: 0 for state in State.values} | {
        State.COMPLETE: 10,
        State.INVALID: 3,
    }
