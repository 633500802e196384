"""Indexes for the admin at a prime provider's scale (issue 12): each model's default
order, so a changelist page reads the index instead of sorting the table, and trigram
indexes for the name searches of organisations and contacts."""

from django.db import migrations, models

from common.trigram import trigram_index


class Migration(migrations.Migration):
    dependencies = [("organisations", "0004_version")]

    operations = [
        migrations.AddIndex(
            model_name="address",
            index=models.Index(fields=["-is_primary", "line_1", "id"], name="address_order"),
        ),
        migrations.AddIndex(
            model_name="contact",
            index=models.Index(fields=["name", "id"], name="contact_name_order"),
        ),
        migrations.AddIndex(
            model_name="organisation",
            index=models.Index(fields=["name", "id"], name="organisation_name_order"),
        ),
        trigram_index("organisations_organisation", "name", "organisation_name_trgm"),
        trigram_index("organisations_contact", "name", "contact_name_trgm"),
    ]
