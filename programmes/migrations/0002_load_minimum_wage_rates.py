"""Load the UK minimum wage rates, April 2016 – April 2026 (shared/data/minimum_wage_rates.csv;
sources in shared/reference/domain.md §3). Later changes are made as data, in admin."""

import datetime
from decimal import Decimal

from django.db import migrations

# effective from, minimum age, maximum age (None: no upper limit), apprentice, £/hour, band.
# The apprentice rate has no age band of its own (under 19, or in the first year): age 0 up.
RATES = [
    ("2016-04-01", 25, None, False, "7.20", "National Living Wage (25+)"),
    ("2016-04-01", 21, 24, False, "6.70", "21-24"),
    ("2016-04-01", 18, 20, False, "5.30", "18-20"),
    ("2016-04-01", 16, 17, False, "3.87", "Under 18"),
    ("2016-04-01", 0, None, True, "3.30", "Apprentice"),
    ("2016-10-01", 25, None, False, "7.20", "National Living Wage (25+)"),
    ("2016-10-01", 21, 24, False, "6.95", "21-24"),
    ("2016-10-01", 18, 20, False, "5.55", "18-20"),
    ("2016-10-01", 16, 17, False, "4.00", "Under 18"),
    ("2016-10-01", 0, None, True, "3.40", "Apprentice"),
    ("2017-04-01", 25, None, False, "7.50", "National Living Wage (25+)"),
    ("2017-04-01", 21, 24, False, "7.05", "21-24"),
    ("2017-04-01", 18, 20, False, "5.60", "18-20"),
    ("2017-04-01", 16, 17, False, "4.05", "Under 18"),
    ("2017-04-01", 0, None, True, "3.50", "Apprentice"),
    ("2018-04-01", 25, None, False, "7.83", "National Living Wage (25+)"),
    ("2018-04-01", 21, 24, False, "7.38", "21-24"),
    ("2018-04-01", 18, 20, False, "5.90", "18-20"),
    ("2018-04-01", 16, 17, False, "4.20", "Under 18"),
    ("2018-04-01", 0, None, True, "3.70", "Apprentice"),
    ("2019-04-01", 25, None, False, "8.21", "National Living Wage (25+)"),
    ("2019-04-01", 21, 24, False, "7.70", "21-24"),
    ("2019-04-01", 18, 20, False, "6.15", "18-20"),
    ("2019-04-01", 16, 17, False, "4.35", "Under 18"),
    ("2019-04-01", 0, None, True, "3.90", "Apprentice"),
    ("2020-04-01", 25, None, False, "8.72", "National Living Wage (25+)"),
    ("2020-04-01", 21, 24, False, "8.20", "21-24"),
    ("2020-04-01", 18, 20, False, "6.45", "18-20"),
    ("2020-04-01", 16, 17, False, "4.55", "Under 18"),
    ("2020-04-01", 0, None, True, "4.15", "Apprentice"),
    ("2021-04-01", 23, None, False, "8.91", "National Living Wage (23+)"),
    ("2021-04-01", 21, 22, False, "8.36", "21-22"),
    ("2021-04-01", 18, 20, False, "6.56", "18-20"),
    ("2021-04-01", 16, 17, False, "4.62", "Under 18"),
    ("2021-04-01", 0, None, True, "4.30", "Apprentice"),
    ("2022-04-01", 23, None, False, "9.50", "National Living Wage (23+)"),
    ("2022-04-01", 21, 22, False, "9.18", "21-22"),
    ("2022-04-01", 18, 20, False, "6.83", "18-20"),
    ("2022-04-01", 16, 17, False, "4.81", "Under 18"),
    ("2022-04-01", 0, None, True, "4.81", "Apprentice"),
    ("2023-04-01", 23, None, False, "10.42", "National Living Wage (23+)"),
    ("2023-04-01", 21, 22, False, "10.18", "21-22"),
    ("2023-04-01", 18, 20, False, "7.49", "18-20"),
    ("2023-04-01", 16, 17, False, "5.28", "Under 18"),
    ("2023-04-01", 0, None, True, "5.28", "Apprentice"),
    ("2024-04-01", 21, None, False, "11.44", "National Living Wage (21+)"),
    ("2024-04-01", 18, 20, False, "8.60", "18-20"),
    ("2024-04-01", 16, 17, False, "6.40", "Under 18"),
    ("2024-04-01", 0, None, True, "6.40", "Apprentice"),
    ("2025-04-01", 21, None, False, "12.21", "National Living Wage (21+)"),
    ("2025-04-01", 18, 20, False, "10.00", "18-20"),
    ("2025-04-01", 16, 17, False, "7.55", "Under 18"),
    ("2025-04-01", 0, None, True, "7.55", "Apprentice"),
    ("2026-04-01", 21, None, False, "12.71", "National Living Wage (21+)"),
    ("2026-04-01", 18, 20, False, "10.85", "18-20"),
    ("2026-04-01", 16, 17, False, "8.00", "Under 18"),
    ("2026-04-01", 0, None, True, "8.00", "Apprentice"),
]


def load(apps, schema_editor):
    MinimumWageRate = apps.get_model("programmes", "MinimumWageRate")
    MinimumWageRate.objects.bulk_create(
        MinimumWageRate(
            effective_from=datetime.date.fromisoformat(effective_from),
            min_age=min_age,
            max_age=max_age,
            apprentice=apprentice,
            hourly_rate=Decimal(rate),
            band=band,
        )
        for effective_from, min_age, max_age, apprentice, rate, band in RATES
    )


def unload(apps, schema_editor):
    apps.get_model("programmes", "MinimumWageRate").objects.all().delete()


class Migration(migrations.Migration):
    replaces = [("milestones", "0003_load_minimum_wage_rates")]
    dependencies = [("programmes", "0001_initial")]

    operations = [migrations.RunPython(load, unload)]
