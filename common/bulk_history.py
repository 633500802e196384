"""Bulk writes of historical models (django-simple-history) that keep the audit trail
complete: each row written gets its history row, as ``save()`` and ``delete()`` would
give it, in a fixed number of queries however many rows are written.

The history rows are copied from the rows as the database holds them, by one
``INSERT … SELECT`` per batch, so that no second model object is built per row.
simple_history's own ``bulk_update_with_history`` is Django's ``bulk_update`` (one CASE
per field with a WHEN per row), whose cost grows with the square of the rows, and
``QuerySet.delete()`` writes the history rows one insert at a time.

On PostgreSQL the rows go in as one array per column (``common.bulk``), not through
Django's bulk writes, which prepare each value through its field: there the objects
must hold each field's own Python type (a ``date``, not a string), as objects built by
code do; they are written as they are.
"""

from collections.abc import Sequence

from django.conf import settings
from django.db import connections, models, transaction
from django.db.models import F
from django.utils import timezone

from common.bulk import unnest, values_apart_cursor
from common.lookups import AnyOf


def insert_with_history(
    objs: Sequence[models.Model], model: type[models.Model], *, batch_size: int
) -> None:
    """Insert new rows (their primary keys are set on the objects) and a "+" history row
    for each."""
    with transaction.atomic(savepoint=False):
        if _in_arrays(model):
            _insert_arrays(objs, model, batch_size=batch_size)
        else:
            model._default_manager.bulk_create(objs, batch_size=batch_size)
        _copy_to_history(objs, model, "+", batch_size=batch_size)


def upsert_with_history(
    objs: Sequence[models.Model], model: type[models.Model], fields: list[str], *, batch_size: int
) -> None:
    """Write ``fields`` of existing rows and a "~" history row for each.

    One statement per batch: on PostgreSQL an ``UPDATE … FROM unnest(…)``; elsewhere an
    ``INSERT … ON CONFLICT (pk) DO UPDATE``, where every row exists, so each insert
    becomes an update of the named fields, at the speed of a bulk insert. The objects
    must hold the whole stored row (read with ``from_db``), not a partial one."""
    with transaction.atomic(savepoint=False):
        if _in_arrays(model):
            _update_arrays(objs, model, fields, batch_size=batch_size)
        else:
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
            manager.filter(AnyOf(F("pk"), pks[start : start + batch_size]))._raw_delete(manager.db)


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
    copy = (
        f"INSERT INTO {quote(history._meta.db_table)} ({tracked}, {extra}) "  # noqa: S608
        f"SELECT {tracked}, %s, %s, %s, NULL FROM {quote(model._meta.db_table)} "
        f"WHERE {quote(model._meta.pk.column)}"
    )  # Every name is the models' own, quoted; every value is a parameter.
    in_arrays = _in_arrays(model)
    with values_apart_cursor(connection) if in_arrays else connection.cursor() as cursor:
        for start in range(0, len(pks), batch_size):
            batch = pks[start : start + batch_size]
            given = [history_date, history_type, user.pk if user else None]
            if in_arrays:
                cursor.execute(f"{copy} = ANY(%b)", [*given, batch])
            else:
                cursor.execute(f"{copy} IN ({', '.join(['%s'] * len(batch))})", [*given, *batch])


def _in_arrays(model: type[models.Model]) -> bool:
    """Whether the model's rows are written as arrays: on PostgreSQL, unless a field
    fills itself in on save (``auto_now``), which only Django's own writes do."""
    connection = connections[model._default_manager.db]
    return connection.vendor == "postgresql" and not any(
        getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False)
        for field in model._meta.concrete_fields
    )


def _arrays(objs: Sequence[models.Model], fields: list[models.Field]) -> list[list]:
    return [[getattr(obj, field.attname) for obj in objs] for field in fields]


def _insert_arrays(objs: Sequence[models.Model], model: type[models.Model], *, batch_size: int):
    """Insert the objects, one ``INSERT … SELECT FROM unnest(…)`` per batch, and set
    their primary keys (taken from the sequence first, so that each is the object's)."""
    connection = connections[model._default_manager.db]
    quote = connection.ops.quote_name
    table, pk = model._meta.db_table, model._meta.pk
    fields = [field for field in model._meta.concrete_fields if field is not pk]
    columns = ", ".join(quote(field.column) for field in (pk, *fields))
    with values_apart_cursor(connection) as cursor:
        for start in range(0, len(objs), batch_size):
            batch = objs[start : start + batch_size]
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                [quote(table), pk.column, len(batch)],
            )
            for obj, (key,) in zip(batch, cursor.fetchall(), strict=True):
                obj.pk = key
                obj._state.adding, obj._state.db = False, connection.alias
            cursor.execute(
                f"INSERT INTO {quote(table)} ({columns}) "  # noqa: S608 (names from _meta)
                f"SELECT * FROM {unnest([pk, *fields], connection)}",
                _arrays(batch, [pk, *fields]),
            )


def _update_arrays(
    objs: Sequence[models.Model], model: type[models.Model], names: list[str], *, batch_size: int
) -> None:
    """Write the named fields of existing rows, one ``UPDATE … FROM unnest(…)`` a batch."""
    connection = connections[model._default_manager.db]
    quote = connection.ops.quote_name
    pk = model._meta.pk
    fields = [model._meta.get_field(name) for name in names]
    given = ", ".join(quote(field.column) for field in (pk, *fields))
    assignments = ", ".join(f"{quote(f.column)} = given.{quote(f.column)}" for f in fields)
    sql = (
        f"UPDATE {quote(model._meta.db_table)} AS stored SET {assignments} "  # noqa: S608
        f"FROM {unnest([pk, *fields], connection)} AS given ({given}) "
        f"WHERE stored.{quote(pk.column)} = given.{quote(pk.column)}"
    )  # Every name is the models' own, quoted; every value is a parameter.
    with values_apart_cursor(connection) as cursor:
        for start in range(0, len(objs), batch_size):
            cursor.execute(sql, _arrays(objs[start : start + batch_size], [pk, *fields]))
