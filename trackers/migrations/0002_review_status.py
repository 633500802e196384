"""The review status apart from the job's own state (DESIGN §2): "Closed" meant the job
had ended, which its end date already says, so a closed tracker gets back the review
status it had before it was closed (from its history), else New. Trackers in review
count as submitted when they were created; each tracker's last editor is the last
person its history names.
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def forwards(apps, schema_editor):
    Tracker = apps.get_model("trackers", "Tracker")
    HistoricalTracker = apps.get_model("trackers", "HistoricalTracker")
    for tracker in Tracker.objects.all().iterator():
        records = HistoricalTracker.objects.filter(id=tracker.pk).order_by("-history_date")
        if tracker.status == "closed":
            before = records.exclude(status="closed").values_list("status", flat=True).first()
            tracker.status = before or "new"
        if tracker.status == "in_review":
            tracker.submitted_at = tracker.created_at
        last_editor = records.exclude(history_user=None).values_list("history_user", flat=True)
        tracker.edited_by_id = last_editor.first() or tracker.created_by_id
        tracker.save(update_fields=["status", "submitted_at", "edited_by"])


def backwards(apps, schema_editor):
    apps.get_model("trackers", "Tracker").objects.filter(end_date__isnull=False).update(
        status="closed"
    )


class Migration(migrations.Migration):

    dependencies = [
        ('organisations', '0003_website_http_or_https'),
        ('participants', '0002_search_index'),
        ('trackers', '0001_initial'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name='evidencedocument',
            name='verified_at',
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name='evidencedocument',
            name='verified_by',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL),
        ),
        migrations.AddField(
            model_name='historicalevidencedocument',
            name='verified_at',
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name='historicalevidencedocument',
            name='verified_by',
            field=models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL),
        ),
        migrations.AddField(
            model_name='historicaltracker',
            name='edited_by',
            field=models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL),
        ),
        migrations.AddField(
            model_name='historicaltracker',
            name='submitted_at',
            field=models.DateTimeField(blank=True, null=True, verbose_name='submitted for review'),
        ),
        migrations.AddField(
            model_name='tracker',
            name='edited_by',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL),
        ),
        migrations.AddField(
            model_name='tracker',
            name='submitted_at',
            field=models.DateTimeField(blank=True, null=True, verbose_name='submitted for review'),
        ),
        migrations.AlterField(
            model_name='historicaltracker',
            name='status',
            field=models.CharField(choices=[('new', 'New'), ('in_review', 'In review'), ('approved', 'Approved'), ('rejected', 'Rejected'), ('info_requested', 'Info requested')], default='new', max_length=20, verbose_name='review status'),
        ),
        migrations.AlterField(
            model_name='tracker',
            name='status',
            field=models.CharField(choices=[('new', 'New'), ('in_review', 'In review'), ('approved', 'Approved'), ('rejected', 'Rejected'), ('info_requested', 'Info requested')], default='new', max_length=20, verbose_name='review status'),
        ),
        migrations.AddIndex(
            model_name='tracker',
            index=models.Index(fields=['status', 'submitted_at'], name='tracker_review_queue'),
        ),
        migrations.RunPython(forwards, backwards),
    ]
