"""Bulk writes of historical models (django-simple-history) that keep the audit trail
complete: each row written gets its history row, as ``save()`` and ``delete()`` would
give it, in a fixed number of queries however many rows are written.

The history rows are copied from the rows as the database holds them, by one
``INSERT … SELECT`` per batch, so that no second model object is built per row.
simple_history's own ``bulk_update_with_history`` is Django's ``bulk_update`` (one CASE
per field with a WHEN per row), whose cost grows with the square of the rows, and
``QuerySet.delete()`` writes the history rows one insert at a time.
"""

from collections.abc import Sequence

from django.conf import settings
from django.db import connections, models, transaction
from django.utils import timezone


def insert_with_history(
    objs: Sequence[models.Model], model: type[models.Model], *, batch_size: int
) -> None:
    """Insert new rows (their primary keys are set on the objects) and a "+" history row
    for each."""
    with transaction.atomic(savepoint=False):
        model._default_manager.bulk_create(objs, batch_size=batch_size)
        _copy_to_history(objs, model, "+", batch_size=batch_size)


def upsert_with_history(
    objs: Sequence[models.Model], model: type[models.Model], fields: list[str], *, batch_size: int
) -> None:
    """Write ``fields`` of existing rows and a "~" history row for each.

    One ``INSERT … ON CONFLICT (pk) DO UPDATE`` per batch: every row exists, so each
    insert becomes an update of the named fields, at the speed of a bulk insert. The
    objects must hold the whole stored row (read with ``from_db``), not a partial one."""
    with transaction.atomic(savepoint=False):
        model._default_manager.bulk_create(
            objs,
            batch_size=batch_size,
            update_conflicts=True,
            unique_fields=[model._meta.pk.name],
            update_fields=fields,
        )
        _copy_to_history(objs, model, "~", batch_size=batch_size)


def delete_with_history(pks: Sequence[int], model: type[models.Model], *, batch_size: int) -> None:
    """Delete the rows, each with the "-" history row ``delete()`` would give it (the row
    as it was, by the request's user), in two queries per batch.

    Only for models nothing refers to: the DELETE runs no cascade and sends no signals."""
    manager = model._default_manager
    with transaction.atomic(savepoint=False):
        _copy_to_history(pks, model, "-", batch_size=batch_size)
        for start in range(0, len(pks), batch_size):
            manager.filter(pk__in=pks[start : start + batch_size])._raw_delete(manager.db)


def _copy_to_history(
    rows: Sequence[models.Model] | Sequence[int],
    model: type[models.Model],
    history_type: str,
    *,
    batch_size: int,
) -> None:
    """Copy the rows (objects or primary keys) into the history table as they are stored
    now, with what simple_history's ``bulk_history_create`` gives each history row: one
    date and the request's user (nobody outside a request), and no change reason."""
    if not rows or not getattr(settings, "SIMPLE_HISTORY_ENABLED", True):
        return
    history = model.history.model
    using = model._default_manager.db
    connection = connections[using]
    quote = connection.ops.quote_name
    first = rows[0]
    user = history.get_default_history_user(first if isinstance(first, models.Model) else None)
    pks = [row.pk if isinstance(row, models.Model) else row for row in rows]
    tracked = ", ".join(quote(field.column) for field in history.tracked_fields)
    extra = ", ".join(
        quote(history._meta.get_field(name).column)
        for name in ("history_date", "history_type", "history_user", "history_change_reason")
    )
    history_date = history._meta.get_field("history_date").get_db_prep_save(
        timezone.now(), connection
    )
    with connection.cursor() as cursor:
        for start in range(0, len(pks), batch_size):
            batch = pks[start : start + batch_size]
            # Every name is the models' own, quoted; every value is a parameter.
            sql = (
                f"INSERT INTO {quote(history._meta.db_table)} ({tracked}, {extra}) "  # noqa: S608
                f"SELECT {tracked}, %s, %s, %s, NULL FROM {quote(model._meta.db_table)} "
                f"WHERE {quote(model._meta.pk.column)} IN ({', '.join(['%s'] * len(batch))})"
            )
            cursor.execute(sql, [history_date, history_type, user.pk if user else None, *batch])
