"""The staff roles, as groups with permissions. Later migrations extend them."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

ROLES = {
    "Administrator": [
        "participants.view_participant",
        "participants.add_participant",
        "participants.change_participant",
        "organisations.view_organisation",
        "organisations.add_organisation",
        "organisations.change_organisation",
    ],
    "Compliance officer": [
        "participants.view_participant",
        "organisations.view_organisation",
    ],
    "Supervisor": [
        "participants.view_participant",
        "participants.add_participant",
        "participants.change_participant",
        "participants.view_all_teams",
        "participants.import_participants",
        "organisations.view_organisation",
        "organisations.add_organisation",
        "organisations.change_organisation",
        "milestones.view_programme",
        "milestones.add_programme",
        "milestones.change_programme",
    ],
    "Data fix": [
        f"{app}.{action}_{model}"
        for app, model in [
            ("participants", "participant"),
            ("participants", "team"),
            ("organisations", "organisation"),
            ("milestones", "programme"),
        ]
        for action in ("view", "add", "change")
    ]
    + ["participants.view_all_teams"],
}


def create_roles(apps, schema_editor):
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codes in ROLES.items():
        group, _ = Group.objects.get_or_create(name=name)
        for code in codes:
            app_label, codename = code.split(".")
            group.permissions.add(
                Permission.objects.get(content_type__app_label=app_label, codename=codename)
            )


def remove_roles(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=ROLES).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("participants", "0002_search_index"),
        ("organisations", "0001_initial"),
        ("milestones", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_roles, remove_roles)]
