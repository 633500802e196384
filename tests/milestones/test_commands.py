import re
from io import StringIO

import pytest
from django.core.management import call_command

from milestones.models import ParticipantMilestone
from tests.factories import (
    FinancialMilestoneFactory,
    ParticipantFactory,
    ProgrammeFactory,
    RestartProgrammeFactory,
)
from tests.milestones.helpers import job

pytestmark = pytest.mark.django_db


def recalculate_command(*args) -> str:
    out = StringIO()
    call_command("recalculate_milestones", *args, stdout=out)
    return out.getvalue()


def test_recalculate_milestones_command_writes_rows_and_reports_progress(
    participant, restart, monkeypatch
):
    job(participant, "2025-01-06")
    job(ParticipantFactory(programme=restart), "2025-02-03")
    ParticipantFactory(programme=ProgrammeFactory())
    monkeypatch.setattr("milestones.recalculation.BATCH", 2)

    output = recalculate_command()

    lines = output.splitlines()
    assert lines[:2] == [
        "  2 of 3 participants, 4 milestone rows written",
        "  3 of 3 participants, 4 milestone rows written",
    ]
    assert re.fullmatch(
        r"Recalculated 3 participants in \d+\.\d s: 4 milestones added, 0 changed, 0 removed "
        r"\([\d,]+ participants/s, [\d,]+ rows/s\)\.",
        lines[2],
    )
    assert ParticipantMilestone.objects.count() == 4


def test_recalculate_milestones_command_limits_to_one_programme(participant, restart):
    job(participant, "2025-01-06")
    other = RestartProgrammeFactory(name="DWP Restart – CPA 6")
    FinancialMilestoneFactory(programme=other, position=1, amount=1000)
    elsewhere = ParticipantFactory(programme=other)
    job(elsewhere, "2025-01-06")

    output = recalculate_command("--programme", str(restart.pk))

    assert "Recalculated 1 participant in" in output
    assert list(ParticipantMilestone.objects.values_list("participant", flat=True)) == [
        participant.pk,
        participant.pk,
    ]
