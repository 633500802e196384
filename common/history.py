"""Change history (django-simple-history) in the shape the history panels show."""

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Change:
    record: object
    fields: list[str]
    subject: str = ""

    @property
    def who(self) -> str:
        user = self.record.history_user
        return (user.get_full_name() or user.username) if user else "System"


def history_changes(
    records: list, *, describe: Callable[[object], str] | None = None
) -> list[Change]:
    """Each history record (newest first; several objects may be mixed) with the names of
    the fields it changed since the same object's record before it, and, with
    ``describe``, what the record is about."""
    changes = []
    latest_seen = {}
    for record in reversed(records):
        model = record.instance_type._meta
        key = (model.label, getattr(record, model.pk.attname))
        previous = latest_seen.get(key)
        fields = []
        if previous is not None:
            fields = [
                str(model.get_field(change.field).verbose_name)
                for change in record.diff_against(previous).changes
            ]
        latest_seen[key] = record
        changes.append(Change(record, fields, describe(record) if describe else ""))
    return changes[::-1]
