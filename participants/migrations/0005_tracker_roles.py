"""What each role may do with trackers and evidence documents."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

GRANTS = {
    "Administrator": [
        "view_tracker", "add_tracker", "change_tracker",
        "view_evidencedocument", "add_evidencedocument",
    ],
    "Compliance officer": ["view_tracker", "change_tracker", "view_evidencedocument"],
    "Supervisor": [
        "view_tracker", "add_tracker", "change_tracker",
        "view_evidencedocument", "add_evidencedocument", "delete_evidence",
    ],
    "Data fix": [
        "view_tracker", "add_tracker", "change_tracker",
        "view_evidencedocument", "change_evidencedocument",
    ],
}  # fmt: skip


def grant(apps, schema_editor):
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for role, codenames in GRANTS.items():
        Group.objects.get(name=role).permissions.add(
            *Permission.objects.filter(content_type__app_label="trackers", codename__in=codenames)
        )


class Migration(migrations.Migration):
    dependencies = [
        ("participants", "0004_data_fix_organisation_models"),
        ("trackers", "0001_initial"),
    ]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
