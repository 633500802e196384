"""Optimistic locking: a record with a ``version`` is saved only over the version the user
loaded, so that a form left open while someone else saved never silently undoes their
change."""

from django.db import models

from common.history import history_changes


class ChangedSinceLoaded(Exception):
    """Someone else saved the record after this user loaded it."""

    def __init__(self, current: models.Model):
        self.current = current
        super().__init__(f"{current._meta.label} {current.pk} is at version {current.version}.")


def lock_at_version(instance: models.Model, loaded_version: int | None) -> models.Model:
    """The record as saved, locked until the transaction ends, with ``instance.version``
    moved on by one; ChangedSinceLoaded if it is no longer at ``loaded_version``."""
    current = type(instance)._default_manager.select_for_update().get(pk=instance.pk)
    if current.version != loaded_version:
        raise ChangedSinceLoaded(current)
    instance.version = current.version + 1
    return current


def next_version(instance: models.Model) -> int:
    """The version a save made without a form (a status change, an admin correction)
    gives the record: one more than the saved one, which stays locked until the
    transaction ends. Forms loaded before it are then refused, not silently applied."""
    manager = type(instance)._default_manager.select_for_update()
    return manager.values_list("version", flat=True).get(pk=instance.pk) + 1


def changed_since_loaded(current: models.Model, what: str) -> str:
    """What to tell the user whose save ChangedSinceLoaded refused (``what``: "tracker")."""
    latest = current.history.select_related("history_user").first()
    by = history_changes([latest])[0].who if latest and latest.history_user else "Someone else"
    return (
        f"{by} changed this {what} while you were editing it, so your changes were not "
        f"saved. Open the {what} again to see the latest version, then make your changes."
    )
