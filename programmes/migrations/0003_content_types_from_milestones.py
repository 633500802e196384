"""Move the content types of the programme models from the ``milestones`` app to this one,
so that the permissions granted on them (to roles and to users) and the admin's log
entries follow the models. A new database has no content types yet: nothing to move."""

from django.db import migrations

MOVED = [
    "programme",
    "historicalprogramme",
    "financialmilestone",
    "historicalfinancialmilestone",
    "minimumwagerate",
    "historicalminimumwagerate",
]


def _move(apps, schema_editor, *, source: str, target: str) -> None:
    ContentType = apps.get_model("contenttypes", "ContentType")
    types = ContentType.objects.using(schema_editor.connection.alias)
    for model in MOVED:
        if not types.filter(app_label=target, model=model).exists():
            types.filter(app_label=source, model=model).update(app_label=target)


def forwards(apps, schema_editor):
    _move(apps, schema_editor, source="milestones", target="programmes")


def backwards(apps, schema_editor):
    _move(apps, schema_editor, source="programmes", target="milestones")


class Migration(migrations.Migration):
    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("programmes", "0002_load_minimum_wage_rates"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
