"""Django admin changelists that stay fast at a prime provider's scale (~1M rows).

Stock changelists run ``COUNT(*)`` over the whole (filtered) table on every page, turn
``=field`` searches into ``UPPER(col) = UPPER(…)``, which no B-tree index answers, and
count facets. ``LargeTableAdmin`` replaces those three:

- ``LargeTablePaginator`` counts at most COUNT_LIMIT + 1 rows ("More than 1,000"); the
  whole unfiltered table on PostgreSQL gets the planner's estimate (``pg_class.reltuples``,
  "About 250,000") for the cost of one catalogue lookup. A page fetches one row more than
  it shows to learn whether a next page exists, so the page links never promise a page
  that is not there.
- ``search_fields`` entries marked ``=`` are identifiers (references, NINOs, postcodes,
  email addresses): a search term shaped like one is normalised the way the column is
  stored and looked up with ``=``, which the unique indexes answer. The other fields are
  searched as free text only when the term is not shaped like an identifier or no row
  has that identifier ("fork-lift", a reference typed in part).
"""

import math
import re
from collections.abc import Callable, Iterator

from django.contrib import admin
from django.contrib.admin.utils import lookup_spawns_duplicates
from django.core.paginator import EmptyPage, Page, PageNotAnInteger, Paginator
from django.db import connections
from django.db.models import Q
from django.utils.functional import cached_property
from django.utils.text import smart_split, unescape_string_literal

from common.pagination import COUNT_LIMIT, MAX_PAGE, count_up_to_limit
from common.uk import NINO_RE, POSTCODE_RE, normalise_nino, normalise_postcode

# A reference is one word of letters, digits and separators with at least one digit or
# separator ("RS000123", "CPA4/2021/17", "RS-OLD"): most names and job titles are not.
REFERENCE_RE = re.compile(r"^(?=.*[\d/_.-])[A-Z0-9/_.-]{3,30}$")


def reference_values(term: str) -> list[str]:
    """A reference as typed and as stored (the forms store it upper-case)."""
    compact = "".join(term.split())
    if not REFERENCE_RE.match(compact.upper()):
        return []
    return sorted({compact, compact.upper()})


def nino_values(term: str) -> list[str]:
    nino = normalise_nino(term)
    return [nino] if NINO_RE.match(nino) else []


def postcode_values(term: str) -> list[str]:
    postcode = normalise_postcode(term)
    return [postcode] if POSTCODE_RE.match(postcode) else []


def email_values(term: str) -> list[str]:
    email = term.strip()
    if "@" not in email or any(c.isspace() for c in email):
        return []
    return sorted({email, email.lower()})


# By the last part of the lookup ("participant__reference" -> "reference").
IDENTIFIERS: dict[str, Callable[[str], list[str]]] = {
    "reference": reference_values,
    "nino": nino_values,
    "postcode": postcode_values,
    "email": email_values,
}


def identifier_q(lookups: list[str], term: str) -> Q | None:
    """Exact matches of the term on each identifier lookup it is shaped like, or None
    when it is shaped like none of them."""
    q = Q()
    for lookup in lookups:
        values = IDENTIFIERS.get(lookup.rsplit("__", 1)[-1], lambda t: [t.strip()])(term)
        if values:
            q |= Q(**{f"{lookup}__in": values})
    return q or None


ESTIMATE_OR_COUNT_SQL = (
    "SELECT CASE WHEN e.n > %s THEN e.n"
    " ELSE (SELECT COUNT(*) FROM ({capped}) capped) END, e.n > %s"
    " FROM (SELECT COALESCE((SELECT reltuples::bigint FROM pg_class"
    " WHERE oid = to_regclass(%s)), -1) AS n) e"
)


class LargeTablePaginator(Paginator):
    """A paginator that never counts more than COUNT_LIMIT + 1 rows.

    ``count`` is exact up to COUNT_LIMIT. Beyond it, ``count_is_exact`` is False and
    ``count`` is either COUNT_LIMIT + 1 (a lower bound) or, for a whole table on
    PostgreSQL, the planner's estimate; ``count_text`` says which ("More than 1,000",
    "About 250,000"). Pages are then fetched without checking the page number against a
    count: a page beyond the last is empty (EmptyPage, which the admin turns into a
    redirect to the first page), and the page links end at the next page.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._has_next: dict[int, bool] = {}

    @cached_property
    def _counted(self) -> tuple[int, bool, bool]:
        """(count, exact, estimated)."""
        queryset = self.object_list
        if not hasattr(queryset, "query"):
            return len(queryset), True, False
        if self._may_estimate():
            return self._estimate_or_count()
        counted = count_up_to_limit(queryset)
        return counted, counted <= COUNT_LIMIT, False

    def _may_estimate(self) -> bool:
        """The planner's estimate stands for the whole table only: no WHERE, on PostgreSQL."""
        query = self.object_list.query
        vendor = connections[self.object_list.db].vendor
        return vendor == "postgresql" and not query.where and not query.distinct

    def _estimate_or_count(self) -> tuple[int, bool, bool]:
        """The table's ``reltuples`` if it is above COUNT_LIMIT, else a count up to it, in
        one query: the count is a subquery that PostgreSQL runs only if it is needed.
        (``reltuples`` is -1 until the table has been analysed.)"""
        queryset = self.object_list
        connection = connections[queryset.db]
        capped, params = queryset.order_by().values("pk")[: COUNT_LIMIT + 1].query.sql_with_params()
        # The ORM's own SQL for the count; every value is a parameter.
        sql = ESTIMATE_OR_COUNT_SQL.replace("{capped}", capped)
        table = connection.ops.quote_name(queryset.model._meta.db_table)
        with connection.cursor() as cursor:
            cursor.execute(sql, [COUNT_LIMIT, *params, COUNT_LIMIT, table])
            count, estimated = cursor.fetchone()
        return count, not estimated and count <= COUNT_LIMIT, estimated

    @property
    def count(self) -> int:
        return self._counted[0]

    @property
    def count_is_exact(self) -> bool:
        return self._counted[1]

    @property
    def count_is_estimate(self) -> bool:
        return self._counted[2]

    @property
    def count_text(self) -> str:
        """The number of rows, said truthfully."""
        if self.count_is_estimate:
            return f"About {self.count:,}"
        if not self.count_is_exact:
            return f"More than {COUNT_LIMIT:,}"
        return f"{self.count:,}"

    def validate_number(self, number) -> int:
        if self.count_is_exact:
            return super().validate_number(number)
        try:
            number = int(number)
        except (TypeError, ValueError):
            raise PageNotAnInteger("That page number is not an integer") from None
        if number < 1 or number > MAX_PAGE:
            raise EmptyPage("That page contains no results")
        return number

    def page(self, number) -> Page:
        if self.count_is_exact:
            return super().page(number)
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        rows = list(self.object_list[bottom : bottom + self.per_page + 1])
        if not rows and number > 1:
            raise EmptyPage("That page contains no results")
        self._has_next[number] = len(rows) > self.per_page
        return _Page(rows[: self.per_page], number, self, self._has_next[number])

    def get_elided_page_range(self, number=1, *, on_each_side=3, on_ends=2) -> Iterator:
        if self.count_is_exact:
            yield from super().get_elided_page_range(
                number, on_each_side=on_each_side, on_ends=on_ends
            )
            return
        number = self.validate_number(number)
        has_next = self._has_next.get(number, True)
        # Pages known to exist: those the lower bound fills, and those up to this one.
        sure = 0 if self.count_is_estimate else math.ceil((COUNT_LIMIT + 1) / self.per_page)
        last = max(sure, number + int(has_next))
        yield from Paginator(range(last), 1).get_elided_page_range(
            number, on_each_side=on_each_side, on_ends=on_ends
        )
        if has_next:
            yield self.ELLIPSIS


class _Page(Page):
    def __init__(self, object_list, number, paginator, has_next):
        super().__init__(object_list, number, paginator)
        self._next = has_next

    def has_next(self) -> bool:
        return self._next

    def end_index(self) -> int:
        return (self.number - 1) * self.paginator.per_page + len(self.object_list)


class LargeTableAdmin:
    """A ModelAdmin mixin for models with many rows (see the module's docstring).

    Mark identifier fields in ``search_fields`` with ``=``: a term shaped like one of them
    is matched exactly there; other terms, and identifiers no row has, search the
    remaining fields (``^`` prefix, ``@`` full text or plain ``icontains``, as stock
    Django, or what ``free_text_search`` does instead).
    """

    paginator = LargeTablePaginator
    show_full_result_count = False
    # Facets count every filter choice over the whole table.
    show_facets = admin.ShowFacets.NEVER

    def get_search_results(self, request, queryset, search_term):
        fields = list(self.get_search_fields(request))
        if not search_term.strip() or not fields:
            return queryset, False
        identifiers = [field[1:] for field in fields if field.startswith("=")]
        free_text = [field for field in fields if not field.startswith("=")]
        exact = identifier_q(identifiers, search_term) if identifiers else None
        if exact is not None:
            found = queryset.filter(exact)
            if not free_text or found.exists():
                return found, self._spawn_duplicates(identifiers)
        if not free_text:
            return queryset.none(), False
        return self.free_text_search(queryset, free_text, search_term)

    def free_text_search(self, queryset, fields, search_term):
        """Every word of the term in one of the fields, as stock Django searches."""
        lookups = [_free_text_lookup(field) for field in fields]
        for word in smart_split(search_term):
            if word.startswith(('"', "'")) and word[0] == word[-1]:
                word = unescape_string_literal(word)
            any_field = Q()
            for lookup in lookups:
                any_field |= Q(**{lookup: word})
            queryset = queryset.filter(any_field)
        return queryset, self._spawn_duplicates(lookups)

    def _spawn_duplicates(self, lookups) -> bool:
        return any(lookup_spawns_duplicates(self.opts, lookup) for lookup in lookups)


def _free_text_lookup(field: str) -> str:
    if field.startswith("^"):
        return f"{field[1:]}__istartswith"
    if field.startswith("@"):
        return f"{field[1:]}__search"
    return f"{field}__icontains"
