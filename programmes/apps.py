from importlib import import_module

from django.apps import AppConfig
from django.apps import apps as global_apps
from django.db import DEFAULT_DB_ALIAS
from django.db.models.signals import post_migrate


def restore_wage_rates(*, apps=global_apps, using: str = DEFAULT_DB_ALIAS, **kwargs) -> None:
    """Put back the wage rates migration 0002 loads when the table is empty again: after
    a flush (as the browser tests do between tests), which runs post_migrate."""
    MinimumWageRate = apps.get_model("programmes", "MinimumWageRate")
    if not MinimumWageRate.objects.using(using).exists():
        import_module("programmes.migrations.0002_load_minimum_wage_rates").load(apps, None)


class ProgrammesConfig(AppConfig):
    name = "programmes"
    verbose_name = "Programmes and wage rates"

    def ready(self) -> None:
        post_migrate.connect(restore_wage_rates, sender=self)
