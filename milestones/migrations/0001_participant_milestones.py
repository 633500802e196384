"""Participants' stored milestones. A database made before the programmes moved to their
own app already has these tables, made by the two migrations this stands in for.
"""

import django.db.models.deletion
import simple_history.models
from decimal import Decimal
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    replaces = [
        ("milestones", "0004_financial_and_participant_milestones"),
        ("milestones", "0005_participant_milestones_not_reachable_last"),
    ]

    dependencies = [
        ('participants', '0002_search_index'),
        ('programmes', '0002_load_minimum_wage_rates'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='HistoricalParticipantMilestone',
            fields=[
                ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                ('kind', models.CharField(choices=[('earnings', 'Earnings'), ('self_employment', 'Self-employment (26 weeks)')], default='earnings', max_length=20)),
                ('name', models.CharField(max_length=100)),
                ('amount', models.DecimalField(blank=True, decimal_places=2, max_digits=10, null=True)),
                ('earned_to_date', models.DecimalField(decimal_places=2, default=Decimal('0'), max_digits=12)),
                ('projected_date', models.DateField(blank=True, null=True)),
                ('weeks_left', models.PositiveIntegerField(blank=True, null=True)),
                ('status', models.CharField(choices=[('projected', 'Projected'), ('achieved', 'Achieved'), ('verified', 'Verified'), ('at_risk', 'At risk'), ('not_reachable', 'Not reachable')], default='projected', max_length=20)),
                ('claim_status', models.CharField(choices=[('not_claimed', 'Not claimed'), ('claimed', 'Claimed'), ('paid', 'Paid'), ('rejected', 'Rejected'), ('on_hold', 'On hold'), ('refunded', 'Refunded')], default='not_claimed', max_length=20)),
                ('paid_date', models.DateField(blank=True, null=True)),
                ('payment_reference', models.CharField(blank=True, max_length=100)),
                ('calculated_on', models.DateField()),
                ('history_id', models.AutoField(primary_key=True, serialize=False)),
                ('history_date', models.DateTimeField(db_index=True)),
                ('history_change_reason', models.CharField(max_length=100, null=True)),
                ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                ('financial_milestone', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='programmes.financialmilestone')),
                ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('participant', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='participants.participant')),
            ],
            options={
                'verbose_name': 'historical participant milestone',
                'verbose_name_plural': 'historical participant milestones',
                'ordering': ('-history_date', '-history_id'),
                'get_latest_by': ('history_date', 'history_id'),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name='ParticipantMilestone',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('kind', models.CharField(choices=[('earnings', 'Earnings'), ('self_employment', 'Self-employment (26 weeks)')], default='earnings', max_length=20)),
                ('name', models.CharField(max_length=100)),
                ('amount', models.DecimalField(blank=True, decimal_places=2, max_digits=10, null=True)),
                ('earned_to_date', models.DecimalField(decimal_places=2, default=Decimal('0'), max_digits=12)),
                ('projected_date', models.DateField(blank=True, null=True)),
                ('weeks_left', models.PositiveIntegerField(blank=True, null=True)),
                ('status', models.CharField(choices=[('projected', 'Projected'), ('achieved', 'Achieved'), ('verified', 'Verified'), ('at_risk', 'At risk'), ('not_reachable', 'Not reachable')], default='projected', max_length=20)),
                ('claim_status', models.CharField(choices=[('not_claimed', 'Not claimed'), ('claimed', 'Claimed'), ('paid', 'Paid'), ('rejected', 'Rejected'), ('on_hold', 'On hold'), ('refunded', 'Refunded')], default='not_claimed', max_length=20)),
                ('paid_date', models.DateField(blank=True, null=True)),
                ('payment_reference', models.CharField(blank=True, max_length=100)),
                ('calculated_on', models.DateField()),
                ('financial_milestone', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='+', to='programmes.financialmilestone')),
                ('participant', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='milestones', to='participants.participant')),
            ],
            options={
                'ordering': [models.OrderBy(models.F('projected_date'), nulls_last=True), 'participant', 'id'],
                'permissions': [('change_claim', 'Can record claims and payments of milestones'), ('export_milestones', 'Can export milestones to CSV')],
                'indexes': [models.Index(fields=['projected_date', 'id'], name='milestone_due'), models.Index(fields=['status', 'projected_date'], name='milestone_status_due'), models.Index(fields=['claim_status', 'projected_date'], name='milestone_claim_due')],
                'constraints': [models.UniqueConstraint(condition=models.Q(('financial_milestone__isnull', False)), fields=('participant', 'financial_milestone'), name='one_row_per_participant_milestone'), models.UniqueConstraint(condition=models.Q(('kind', 'self_employment')), fields=('participant',), name='one_self_employment_milestone')],
            },
        ),
    ]
