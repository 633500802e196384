"""The compliance review's tables."""

import django.db.models.deletion
import simple_history.models
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('trackers', '0002_review_status'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='EvidenceRequirement',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('tracker_type', models.CharField(choices=[('job', 'Job'), ('self_employment', 'Self-employment')], max_length=20)),
                ('name', models.CharField(max_length=200)),
                ('kinds', models.JSONField(help_text='The document types that meet it, e.g. ["payslip"]: payslip, contract, offer_letter, employer_confirmation, self_assessment, other')),
                ('required', models.BooleanField(default=True)),
                ('position', models.PositiveSmallIntegerField(default=0)),
            ],
            options={
                'ordering': ['tracker_type', 'position', 'id'],
            },
        ),
        migrations.CreateModel(
            name='ReviewReason',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('code', models.SlugField(max_length=40, unique=True)),
                ('label', models.CharField(max_length=100)),
                ('active', models.BooleanField(default=True, help_text='Only active reasons are offered.')),
                ('position', models.PositiveSmallIntegerField(default=0)),
            ],
            options={
                'ordering': ['position', 'label'],
            },
        ),
        migrations.CreateModel(
            name='ClaimExport',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('created_at', models.DateTimeField(auto_now_add=True)),
                ('filters', models.JSONField(blank=True, default=dict)),
                ('milestone_ids', models.JSONField(blank=True, default=list)),
                ('row_count', models.PositiveIntegerField()),
                ('content', models.TextField()),
                ('created_by', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'ordering': ['-created_at', '-id'],
            },
        ),
        migrations.CreateModel(
            name='HistoricalEvidenceRequirement',
            fields=[
                ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                ('tracker_type', models.CharField(choices=[('job', 'Job'), ('self_employment', 'Self-employment')], max_length=20)),
                ('name', models.CharField(max_length=200)),
                ('kinds', models.JSONField(help_text='The document types that meet it, e.g. ["payslip"]: payslip, contract, offer_letter, employer_confirmation, self_assessment, other')),
                ('required', models.BooleanField(default=True)),
                ('position', models.PositiveSmallIntegerField(default=0)),
                ('history_id', models.AutoField(primary_key=True, serialize=False)),
                ('history_date', models.DateTimeField(db_index=True)),
                ('history_change_reason', models.CharField(max_length=100, null=True)),
                ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'verbose_name': 'historical evidence requirement',
                'verbose_name_plural': 'historical evidence requirements',
                'ordering': ('-history_date', '-history_id'),
                'get_latest_by': ('history_date', 'history_id'),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name='HistoricalReviewReason',
            fields=[
                ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                ('code', models.SlugField(max_length=40)),
                ('label', models.CharField(max_length=100)),
                ('active', models.BooleanField(default=True, help_text='Only active reasons are offered.')),
                ('position', models.PositiveSmallIntegerField(default=0)),
                ('history_id', models.AutoField(primary_key=True, serialize=False)),
                ('history_date', models.DateTimeField(db_index=True)),
                ('history_change_reason', models.CharField(max_length=100, null=True)),
                ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'verbose_name': 'historical review reason',
                'verbose_name_plural': 'historical review reasons',
                'ordering': ('-history_date', '-history_id'),
                'get_latest_by': ('history_date', 'history_id'),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name='QaSample',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('drawn_at', models.DateTimeField(auto_now_add=True)),
                ('percent', models.DecimalField(decimal_places=2, max_digits=5)),
                ('seed', models.BigIntegerField()),
                ('population', models.PositiveIntegerField()),
                ('filters', models.JSONField(blank=True, default=dict)),
                ('drawn_by', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'ordering': ['-drawn_at', '-id'],
            },
        ),
        migrations.CreateModel(
            name='DigestSent',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('sent_on', models.DateField()),
                ('items', models.PositiveIntegerField()),
                ('reviewer', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'constraints': [models.UniqueConstraint(fields=('reviewer', 'sent_on'), name='one_digest_a_day')],
            },
        ),
        migrations.CreateModel(
            name='QaSampleItem',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('result', models.CharField(choices=[('pending', 'Not checked yet'), ('passed', 'Passed'), ('failed', 'Failed')], default='pending', max_length=10)),
                ('note', models.TextField(blank=True)),
                ('checked_at', models.DateTimeField(blank=True, null=True)),
                ('checked_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('sample', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='items', to='reviews.qasample')),
                ('tracker', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='trackers.tracker')),
            ],
            options={
                'ordering': ['sample', 'id'],
                'constraints': [models.UniqueConstraint(fields=('sample', 'tracker'), name='one_item_per_sampled_tracker')],
            },
        ),
        migrations.CreateModel(
            name='Decision',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('outcome', models.CharField(choices=[('approved', 'Approve'), ('rejected', 'Reject'), ('info_requested', 'Request information')], max_length=20)),
                ('note', models.TextField(blank=True)),
                ('tracker_version', models.PositiveIntegerField()),
                ('decided_at', models.DateTimeField(auto_now_add=True)),
                ('decided_by', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('tracker', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='decisions', to='trackers.tracker')),
                ('reason', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, to='reviews.reviewreason')),
            ],
            options={
                'ordering': ['-decided_at', '-id'],
                'permissions': [('review_tracker', 'Can take, release and decide on trackers of their teams'), ('assign_reviews', "Can see every reviewer's caseload and reassign trackers"), ('draw_sample', 'Can draw second-line QA samples and record their results')],
                'constraints': [models.CheckConstraint(condition=models.Q(('outcome', 'approved'), ('reason__isnull', False), _connector='OR'), name='decision_reason_unless_approved'), models.UniqueConstraint(fields=('tracker', 'tracker_version'), name='one_decision_per_tracker_version')],
            },
        ),
    ]
