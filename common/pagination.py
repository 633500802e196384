"""Pagination that never counts the whole table.

``COUNT(*)`` over a quarter of a million filtered rows costs more than the page itself,
so a page fetches one row more than it shows to learn whether there is a next page, and
the number of results is counted only up to COUNT_LIMIT ("More than 1,000").
"""

import base64
import binascii
import datetime
import json
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import F, QuerySet
from django.db.models.fields.tuple_lookups import Tuple, TupleGreaterThan, TupleLessThan
from django.http import HttpRequest

MAX_PAGE = 10_000
COUNT_LIMIT = 1_000


@dataclass(frozen=True)
class Page:
    rows: list[Any]
    number: int
    has_next: bool
    # How many rows the whole list has, counted up to COUNT_LIMIT + 1.
    found: int

    @property
    def found_more_than_limit(self) -> bool:
        return self.found > COUNT_LIMIT

    @property
    def count_limit(self) -> int:
        return COUNT_LIMIT

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def next_number(self) -> int:
        return self.number + 1

    @property
    def previous_number(self) -> int:
        return self.number - 1


def page_number(value: str | None) -> int:
    """The requested page as a number from 1 to MAX_PAGE; anything else is page 1."""
    try:
        number = int(value or 1)
    except ValueError:
        return 1
    return min(max(number, 1), MAX_PAGE)


def count_up_to_limit(queryset: QuerySet) -> int:
    """How many rows the queryset has, counted no further than COUNT_LIMIT + 1: past the
    limit a list says "More than 1,000", and the count stops costing more as data grows."""
    return queryset.order_by()[: COUNT_LIMIT + 1].count()


def paginate(queryset: QuerySet, number: int, per_page: int | None = None) -> Page:
    per_page = per_page or settings.PAGE_SIZE
    start = (number - 1) * per_page
    rows = list(queryset[start : start + per_page + 1])
    has_next = len(rows) > per_page
    # All of them on the first page: no need to ask again.
    found = len(rows) if number == 1 and not has_next else count_up_to_limit(queryset)
    return Page(rows=rows[:per_page], number=number, has_next=has_next, found=found)


def page_of(request: HttpRequest, queryset: QuerySet) -> tuple[Page, str]:
    """The page of the queryset that the request asks for (``?page=``), and the request's
    other query parameters, for the links to the pages before and after it."""
    query = request.GET.copy()
    number = page_number(query.pop("page", [None])[-1])
    return paginate(queryset, number), query.urlencode()


# Keyset ("seek") pagination: a page starts where the previous one ended, found by the
# index of the list's order, so page 3,000 costs what page 1 costs (OFFSET reads and
# discards every row before the page).

AFTER, BEFORE = "after", "before"


@dataclass(frozen=True)
class Keyset:
    """A list's order, unique as a whole (so it ends in ``id``), all one direction; the
    first field may be NULL, and those rows come last on both engines (``nulls_last``).
    An index on the same fields answers every page."""

    fields: tuple[str, ...]
    descending: bool = False
    nulls_last: bool = False
    # The least value of the first field that the list holds, when its filter says so in a
    # way the index cannot use ("on or after today, or no date"): repeated as a plain
    # bound on the dated rows, so that the first page starts its index scan there rather
    # than walking every row before it. Ascending keysets only.
    least: Any = None

    def ordering(self) -> list:
        """The order as ``order_by`` takes it (what the whole list, or its export, uses)."""
        first, *rest = self._order(self.fields, backwards=False)
        if self.nulls_last:
            first = first.copy()
            first.nulls_last = True
        return [first, *rest]

    def _order(self, fields, *, backwards: bool) -> list:
        descending = self.descending != backwards
        return [F(name).desc() if descending else F(name).asc() for name in fields]

    def segments(self, queryset: QuerySet, key: list | None, *, backwards: bool) -> list:
        """The querysets that, read in turn, give the rows after ``key`` (before it, going
        backwards), each one range of an index in its plain order: the dated rows, and
        then (nulls last) the undated ones, by the rest of the key. Plain, because SQLite
        cannot walk an index for ``NULLS LAST`` and would sort the whole list instead."""
        if not self.nulls_last:
            return [self._beyond(queryset, self.fields, key, backwards=backwards)]
        first, *rest = self.fields
        dated = queryset.filter(**{f"{first}__isnull": False})
        # From the start of the dated rows only: past a key, the key is the better bound
        # (SQLite would take the least value's and walk from it).
        all_dated = dated if self.least is None else dated.filter(**{f"{first}__gte": self.least})
        undated = queryset.filter(**{f"{first}__isnull": True})
        if key is None:
            return [self._beyond(all_dated, self.fields, None, backwards=False),
                    self._beyond(undated, rest, None, backwards=False)]  # fmt: skip
        if key[0] is None:
            in_undated = self._beyond(undated, rest, key[1:], backwards=backwards)
            if not backwards:
                return [in_undated]
            return [in_undated, self._beyond(all_dated, self.fields, None, backwards=True)]
        in_dated = self._beyond(dated, self.fields, key, backwards=backwards)
        if backwards:
            return [in_dated]
        return [in_dated, self._beyond(undated, rest, None, backwards=False)]

    def _beyond(self, queryset: QuerySet, fields, key, *, backwards: bool) -> QuerySet:
        """The rows after ``key`` in the order of ``fields``, as one row comparison:
        ``(a, b, id) > (x, y, z)`` is a range of the index on both engines, where the
        equivalent ORs are not."""
        queryset = queryset.order_by(*self._order(fields, backwards=backwards))
        if key is None:
            return queryset
        later = self.descending == backwards
        lookup = TupleGreaterThan if later else TupleLessThan
        return queryset.filter(lookup(Tuple(*(F(name) for name in fields)), tuple(key)))


class CursorRefused(ValueError):
    """A cursor that this list did not make (edited, or from another list)."""


@dataclass(frozen=True)
class KeysetPage:
    rows: list[Any]
    number: int
    has_next: bool
    has_previous: bool
    found: int
    next_cursor: str = ""
    previous_cursor: str = ""
    # The link's cursor could not be read, so this is the first page.
    cursor_refused: bool = False

    found_more_than_limit = Page.found_more_than_limit
    count_limit = Page.count_limit
    keyset = True


def encode_cursor(number: int, values: list) -> str:
    """A page's position as a short URL-safe token: its number and the key of the row it
    starts after (or before)."""
    data = json.dumps([number, [_plain(value) for value in values]], separators=(",", ":"))
    return base64.urlsafe_b64encode(data.encode()).decode().rstrip("=")


def decode_cursor(token: str, model, keyset: Keyset) -> tuple[int, list]:
    """The page number and the key in a cursor, each value read as its field reads it;
    CursorRefused for anything that is not a cursor of this list."""
    try:
        text = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)).decode()
        number, values = json.loads(text)
    except (ValueError, TypeError, UnicodeDecodeError, binascii.Error) as error:
        raise CursorRefused(str(error)) from error
    if (
        not isinstance(number, int)
        or isinstance(number, bool)
        or not 1 <= number <= MAX_PAGE
        or not isinstance(values, list)
        or len(values) != len(keyset.fields)
    ):
        raise CursorRefused("not this list's cursor")
    key = []
    for index, (name, value) in enumerate(zip(keyset.fields, values, strict=True)):
        if value is None and index == 0 and keyset.nulls_last:
            key.append(None)
            continue
        if not _plain_value(value):
            raise CursorRefused(f"{name} is not a value")
        try:
            key.append(model._meta.get_field(name).to_python(value))
        except ValidationError as error:
            raise CursorRefused(f"{name}: {error}") from error
    return number, key


def _plain_value(value) -> bool:
    """A number the database can hold, or short printable text (PostgreSQL refuses NUL)."""
    if isinstance(value, bool):
        return False
    if isinstance(value, int):
        return -(2**63) <= value < 2**63
    return isinstance(value, str) and len(value) <= 300 and value.isprintable()


def _plain(value):
    if isinstance(value, (datetime.date, datetime.datetime)):
        return value.isoformat()
    return value


def _key_of(row, keyset: Keyset) -> list:
    return [getattr(row, _attname(row, name)) for name in keyset.fields]


def _attname(row, name: str) -> str:
    return row._meta.get_field(name).attname


def keyset_paginate(
    queryset: QuerySet,
    keyset: Keyset,
    *,
    after: str = "",
    before: str = "",
    per_page: int | None = None,
    narrow: bool = False,
) -> KeysetPage:
    """The page after (or before) the cursor, or the first page without one: one query,
    two where the page runs from the dated rows into the undated, and the count.

    ``narrow`` is for a search that its own index answers better than the order's: the
    matches (up to COUNT_LIMIT + 1, which counts them) are found first, unordered, and
    when they are that few the page is sorted from them alone. Otherwise the planner
    walks the order's index testing each row, and a rare match far down the alphabet
    ("patel amelia") is reached only after tens of thousands of rows."""
    per_page = per_page or settings.PAGE_SIZE
    found = None
    if narrow:
        matches = list(queryset.order_by().values_list("pk", flat=True)[: COUNT_LIMIT + 1])
        found = len(matches)
        if found <= COUNT_LIMIT:
            queryset = queryset.filter(pk__in=matches)
    backwards = bool(before) and not after
    refused = False
    key = None
    number = 1
    if after or before:
        try:
            number, key = decode_cursor(after or before, queryset.model, keyset)
        except CursorRefused:
            refused, backwards = True, False
    rows: list = []
    for segment in keyset.segments(queryset, key, backwards=backwards):
        rows += segment[: per_page + 1 - len(rows)]
        if len(rows) > per_page:
            break
    if key is None:
        number = 1
    more = len(rows) > per_page
    rows = rows[:per_page]
    if backwards:
        rows.reverse()
        has_previous, has_next = more, True
        if not more:
            number = 1
    else:
        has_previous, has_next = key is not None, more
    if found is None and number == 1 and not has_next and not has_previous:
        found = len(rows)
    elif found is None:
        found = count_up_to_limit(queryset)
    return KeysetPage(
        rows=rows,
        number=number,
        has_next=has_next and bool(rows),
        has_previous=has_previous and bool(rows),
        found=found,
        next_cursor=encode_cursor(min(number + 1, MAX_PAGE), _key_of(rows[-1], keyset))
        if rows
        else "",
        previous_cursor=(
            encode_cursor(max(number - 1, 1), _key_of(rows[0], keyset)) if rows else ""
        ),
        cursor_refused=refused,
    )


def keyset_page_of(
    request: HttpRequest, queryset: QuerySet, keyset: Keyset, params=None, *, narrow=False
) -> tuple[KeysetPage, str]:
    """The page the request's ``?after=`` or ``?before=`` cursor asks for, and the other
    query parameters, for the links to the pages either side."""
    query = (request.GET if params is None else params).copy()
    after = query.pop(AFTER, [""])[-1]
    before = query.pop(BEFORE, [""])[-1]
    query.pop("page", None)  # an old numbered link starts at the first page
    page = keyset_paginate(queryset, keyset, after=after, before=before, narrow=narrow)
    return page, query.urlencode()
