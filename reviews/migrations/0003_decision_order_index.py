"""The decisions' default order (newest first) as an index, for the admin's changelist."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("reviews", "0002_use_front_end_permission")]

    operations = [
        migrations.AddIndex(
            model_name="decision",
            index=models.Index(fields=["-decided_at", "-id"], name="decision_order"),
        ),
    ]
