"""Pagination that never counts the whole table.

``COUNT(*)`` over a quarter of a million filtered rows costs more than the page itself,
so a page fetches one row more than it shows to learn whether there is a next page, and
the number of results is counted only up to COUNT_LIMIT ("More than 1,000").
"""

from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db.models import QuerySet
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


def paginate(queryset: QuerySet, number: int, per_page: int | None = None) -> Page:
    per_page = per_page or settings.PAGE_SIZE
    start = (number - 1) * per_page
    rows = list(queryset[start : start + per_page + 1])
    has_next = len(rows) > per_page
    if number == 1 and not has_next:
        found = len(rows)  # all of them are on this page: no need to ask again
    else:
        found = queryset.order_by()[: COUNT_LIMIT + 1].count()
    return Page(rows=rows[:per_page], number=number, has_next=has_next, found=found)


def page_of(request: HttpRequest, queryset: QuerySet) -> tuple[Page, str]:
    """The page of the queryset that the request asks for (``?page=``), and the request's
    other query parameters, for the links to the pages before and after it."""
    query = request.GET.copy()
    number = page_number(query.pop("page", [None])[-1])
    return paginate(queryset, number), query.urlencode()
