"""Programmes, their financial milestones and the minimum wage rates, as they were made
by the ``milestones`` app before these models moved here. Their tables keep the names
they had (``milestones_…``); a database made before the move already has them, so this
migration stands in for the three that made them there (``replaces``).
"""

import django.db.models.deletion
import simple_history.models
from decimal import Decimal
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    replaces = [
        ("milestones", "0001_initial"),
        ("milestones", "0002_minimum_wage_rates"),
        ("milestones", "0004_financial_and_participant_milestones"),
    ]

    dependencies = [
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='HistoricalMinimumWageRate',
            fields=[
                ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                ('effective_from', models.DateField()),
                ('min_age', models.PositiveSmallIntegerField()),
                ('max_age', models.PositiveSmallIntegerField(blank=True, null=True)),
                ('apprentice', models.BooleanField(default=False)),
                ('hourly_rate', models.DecimalField(decimal_places=2, max_digits=6)),
                ('band', models.CharField(max_length=100)),
                ('history_id', models.AutoField(primary_key=True, serialize=False)),
                ('history_date', models.DateTimeField(db_index=True)),
                ('history_change_reason', models.CharField(max_length=100, null=True)),
                ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'verbose_name': 'historical minimum wage rate',
                'verbose_name_plural': 'historical minimum wage rates',
                'db_table': 'milestones_historicalminimumwagerate',
                'ordering': ('-history_date', '-history_id'),
                'get_latest_by': ('history_date', 'history_id'),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name='HistoricalProgramme',
            fields=[
                ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                ('name', models.CharField(db_index=True, max_length=200)),
                ('start_date', models.DateField()),
                ('end_date', models.DateField(blank=True, null=True)),
                ('outcome_window_days', models.PositiveIntegerField(default=638, help_text="Days from a participant's programme start in which earnings count.")),
                ('milestones_enabled', models.BooleanField(default=False, verbose_name='milestone feature')),
                ('scheme', models.CharField(blank=True, choices=[('dwp_restart', 'DWP Restart')], max_length=30)),
                ('history_id', models.AutoField(primary_key=True, serialize=False)),
                ('history_date', models.DateTimeField(db_index=True)),
                ('history_change_reason', models.CharField(max_length=100, null=True)),
                ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'verbose_name': 'historical programme',
                'verbose_name_plural': 'historical programmes',
                'db_table': 'milestones_historicalprogramme',
                'ordering': ('-history_date', '-history_id'),
                'get_latest_by': ('history_date', 'history_id'),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name='MinimumWageRate',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('effective_from', models.DateField()),
                ('min_age', models.PositiveSmallIntegerField()),
                ('max_age', models.PositiveSmallIntegerField(blank=True, null=True)),
                ('apprentice', models.BooleanField(default=False)),
                ('hourly_rate', models.DecimalField(decimal_places=2, max_digits=6)),
                ('band', models.CharField(max_length=100)),
            ],
            options={
                'db_table': 'milestones_minimumwagerate',
                'ordering': ['-effective_from', '-min_age'],
                'constraints': [models.UniqueConstraint(fields=('effective_from', 'min_age', 'apprentice'), name='one_rate_per_band'), models.CheckConstraint(condition=models.Q(('hourly_rate__gt', Decimal('0'))), name='rate_positive')],
            },
        ),
        migrations.CreateModel(
            name='Programme',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('name', models.CharField(max_length=200, unique=True)),
                ('start_date', models.DateField()),
                ('end_date', models.DateField(blank=True, null=True)),
                ('outcome_window_days', models.PositiveIntegerField(default=638, help_text="Days from a participant's programme start in which earnings count.")),
                ('milestones_enabled', models.BooleanField(default=False, verbose_name='milestone feature')),
                ('scheme', models.CharField(blank=True, choices=[('dwp_restart', 'DWP Restart')], max_length=30)),
            ],
            options={
                'db_table': 'milestones_programme',
                'ordering': ['name'],
                'constraints': [models.CheckConstraint(condition=models.Q(('end_date__isnull', True), ('end_date__gte', models.F('start_date')), _connector='OR'), name='programme_ends_after_start')],
            },
        ),
        migrations.CreateModel(
            name='HistoricalFinancialMilestone',
            fields=[
                ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                ('position', models.PositiveSmallIntegerField()),
                ('name', models.CharField(max_length=100)),
                ('amount', models.DecimalField(decimal_places=2, max_digits=10, verbose_name='cumulative amount (£)')),
                ('history_id', models.AutoField(primary_key=True, serialize=False)),
                ('history_date', models.DateTimeField(db_index=True)),
                ('history_change_reason', models.CharField(max_length=100, null=True)),
                ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('programme', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='programmes.programme')),
            ],
            options={
                'verbose_name': 'historical financial milestone',
                'verbose_name_plural': 'historical financial milestones',
                'db_table': 'milestones_historicalfinancialmilestone',
                'ordering': ('-history_date', '-history_id'),
                'get_latest_by': ('history_date', 'history_id'),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name='FinancialMilestone',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('position', models.PositiveSmallIntegerField()),
                ('name', models.CharField(max_length=100)),
                ('amount', models.DecimalField(decimal_places=2, max_digits=10, verbose_name='cumulative amount (£)')),
                ('programme', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='financial_milestones', to='programmes.programme')),
            ],
            options={
                'db_table': 'milestones_financialmilestone',
                'ordering': ['programme', 'position'],
                'constraints': [models.UniqueConstraint(fields=('programme', 'position'), name='one_milestone_per_position'), models.CheckConstraint(condition=models.Q(('amount__gt', 0)), name='milestone_amount_positive')],
            },
        ),
    ]
