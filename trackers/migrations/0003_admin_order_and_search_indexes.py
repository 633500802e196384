"""Indexes for the admin at a prime provider's scale (issue 12): the default orders of
trackers (newest start first) and evidence documents, so a changelist page reads the
index instead of sorting the table, and a trigram index for the description search."""

from django.db import migrations, models

from common.trigram import trigram_index


class Migration(migrations.Migration):
    dependencies = [("trackers", "0002_review_status")]

    operations = [
        migrations.AddIndex(
            model_name="evidencedocument",
            index=models.Index(fields=["uploaded_at", "id"], name="document_upload_order"),
        ),
        migrations.AddIndex(
            model_name="tracker",
            index=models.Index(fields=["-start_date", "-id"], name="tracker_start_order"),
        ),
        trigram_index("trackers_tracker", "description", "tracker_description_trgm"),
    ]
