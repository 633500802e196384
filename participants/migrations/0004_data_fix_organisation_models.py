"""Data-fix staff correct organisations' addresses, contacts and the address file in admin."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

MODELS = ["address", "contact", "postcodeaddress"]


def grant(apps, schema_editor):
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    permissions = Permission.objects.filter(
        content_type__app_label="organisations",
        codename__in=[f"{action}_{model}" for model in MODELS for action in ("view", "add", "change")],
    )
    Group.objects.get(name="Data fix").permissions.add(*permissions)


class Migration(migrations.Migration):
    dependencies = [
        ("participants", "0003_roles"),
        ("organisations", "0002_addresses_contacts_address_file"),
    ]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
