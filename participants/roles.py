"""The staff roles: groups and what each may do.

Kept in code and brought up to date after every ``migrate`` (and after a test flush), so
a new permission is granted by editing ROLES. Roles are only ever given permissions
here, never stripped of them, so grants made in admin survive.
"""

from django.apps import apps as global_apps
from django.contrib.auth.management import create_permissions
from django.db import DEFAULT_DB_ALIAS

VIEW, ADD, CHANGE = "view", "add", "change"
# The casework pages (everything but the admin): refused to roles without it.
FRONT_END = "reviews.use_front_end"


def _crud(app: str, model: str, *actions: str) -> list[str]:
    return [f"{app}.{action}_{model}" for action in actions]


ROLES: dict[str, list[str]] = {
    "Administrator": [
        FRONT_END,
        *_crud("participants", "participant", VIEW, ADD, CHANGE),
        *_crud("organisations", "organisation", VIEW, ADD, CHANGE),
        *_crud("trackers", "tracker", VIEW, ADD, CHANGE),
        *_crud("trackers", "evidencedocument", VIEW, ADD),
    ],
    "Compliance officer": [
        FRONT_END,
        *_crud("participants", "participant", VIEW),
        *_crud("organisations", "organisation", VIEW),
        *_crud("trackers", "tracker", VIEW, CHANGE),
        *_crud("trackers", "evidencedocument", VIEW),
        "reviews.review_tracker",
        # Late, missing, unknown employment: the evidence to chase before DWP samples.
        "reconciliation.view_worklists",
    ],
    "Supervisor": [
        FRONT_END,
        *_crud("participants", "participant", VIEW, ADD, CHANGE),
        "participants.view_all_teams",
        "participants.import_participants",
        # UK GDPR: who read whose record, and everything held on one participant.
        *_crud("participants", "accesslogentry", VIEW),
        "participants.export_subject_access",
        *_crud("organisations", "organisation", VIEW, ADD, CHANGE),
        *_crud("programmes", "programme", VIEW, ADD, CHANGE),
        *_crud("trackers", "tracker", VIEW, ADD, CHANGE),
        *_crud("trackers", "evidencedocument", VIEW, ADD),
        "trackers.delete_evidence",
        "milestones.change_claim",
        "milestones.export_milestones",
        "reviews.assign_reviews",
        "reviews.draw_sample",
        "reconciliation.import_notifications",
        "reconciliation.view_worklists",
    ],
    # Django admin only, for corrections (the users also need "staff status"); without
    # FRONT_END the casework pages refuse them.
    "Data fix": [
        "participants.view_all_teams",
        *_crud("participants", "participant", VIEW, ADD, CHANGE),
        *_crud("participants", "team", VIEW, ADD, CHANGE),
        *_crud("organisations", "organisation", VIEW, ADD, CHANGE),
        *_crud("organisations", "address", VIEW, ADD, CHANGE),
        *_crud("organisations", "contact", VIEW, ADD, CHANGE),
        *_crud("organisations", "postcodeaddress", VIEW, ADD, CHANGE),
        *_crud("programmes", "programme", VIEW, ADD, CHANGE),
        *_crud("programmes", "minimumwagerate", VIEW, ADD, CHANGE),
        *_crud("programmes", "financialmilestone", VIEW, ADD, CHANGE),
        *_crud("milestones", "participantmilestone", VIEW, CHANGE),
        *_crud("milestones", "claimattempt", VIEW, CHANGE),
        *_crud("trackers", "tracker", VIEW, ADD, CHANGE),
        *_crud("trackers", "evidencedocument", VIEW, CHANGE),
        *_crud("reviews", "reviewreason", VIEW, ADD, CHANGE),
        *_crud("reviews", "evidencerequirement", VIEW, ADD, CHANGE),
        *_crud("reviews", "decision", VIEW),
        *_crud("reconciliation", "columnmapping", VIEW, ADD, CHANGE),
        *_crud("reconciliation", "notificationtype", VIEW, ADD, CHANGE),
        *_crud("reconciliation", "prapreference", VIEW, ADD, CHANGE),
    ],
}


def sync_roles(*, apps=global_apps, using: str = DEFAULT_DB_ALIAS, **kwargs) -> None:
    """Create the role groups and give each its permissions (post_migrate receiver)."""
    # Permissions are created per app after migrate; make sure every app's exist first.
    for app_config in global_apps.get_app_configs():
        create_permissions(app_config, verbosity=0, apps=apps, using=using)
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codes in ROLES.items():
        group, _ = Group.objects.using(using).get_or_create(name=name)
        wanted = {tuple(code.split(".")) for code in codes}
        permissions = [
            permission
            for permission in Permission.objects.using(using).select_related("content_type")
            if (permission.content_type.app_label, permission.codename) in wanted
        ]
        group.permissions.add(*permissions)
