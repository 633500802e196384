"""Change history (django-simple-history) in the shape the history panels show."""

from dataclasses import dataclass


@dataclass(frozen=True)
class Change:
    record: object
    fields: list[str]

    @property
    def who(self) -> str:
        user = self.record.history_user
        return (user.get_full_name() or user.username) if user else "System"


def history_changes(records: list) -> list[Change]:
    """Each history record (newest first) with the names of the fields it changed."""
    changes = []
    for record, previous in zip(records, [*records[1:], None], strict=True):
        fields = []
        if previous is not None:
            model = record.instance_type._meta
            fields = [
                str(model.get_field(change.field).verbose_name)
                for change in record.diff_against(previous).changes
            ]
        changes.append(Change(record=record, fields=fields))
    return changes
