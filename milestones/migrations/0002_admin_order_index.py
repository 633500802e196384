"""The participant milestones' default order as an index, for the admin's changelist.

The order is ``projected_date`` (no date last), participant, id: PostgreSQL's ascending
B-tree puts NULL last, so this index answers it. SQLite puts NULL first in an index and
still sorts for ``NULLS LAST``. Created with SQL, not in the model's Meta, so that the
model stays as the milestones list's work leaves it.
"""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("milestones", "0001_participant_milestones")]

    operations = [
        migrations.RunSQL(
            "CREATE INDEX milestone_admin_order ON milestones_participantmilestone "
            "(projected_date, participant_id, id)",
            "DROP INDEX milestone_admin_order",
        )
    ]
