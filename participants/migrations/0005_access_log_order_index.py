"""The access log's default order (newest first, then id) as one index, which also serves
what the index on ``-at`` alone served."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("participants", "0004_access_log")]

    operations = [
        migrations.RemoveIndex(model_name="accesslogentry", name="access_log_at"),
        migrations.AddIndex(
            model_name="accesslogentry",
            index=models.Index(fields=["-at", "-id"], name="access_log_order"),
        ),
    ]
