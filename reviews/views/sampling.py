"""Second-line QA sampling: drawing a sample of approved trackers, the samples drawn, and
recording each sampled tracker's result.

A sample is opened by whoever drew it and by those who see every team; its items are
always narrowed to the trackers of the user's teams.
"""

import datetime
import secrets

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db.models import Count, Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from common.pagination import page_of
from participants.access import participants_for, sees_every_team, teams_for
from participants.models import Team
from programmes.models import Programme
from reviews.models import QaSample, QaSampleItem
from reviews.sampling import approved_trackers_for, draw_sample, error_rates, record_result
from reviews.sampling_forms import SampleDrawForm, SampleResultForm

# A seed picked when none is given is below this: short enough to read out and type again.
RANDOM_SEEDS = 2**31


def _visible_samples(user: AbstractBaseUser) -> QuerySet[QaSample]:
    if sees_every_team(user):
        return QaSample.objects.all()
    return QaSample.objects.filter(drawn_by=user)


def _get_sample_for(user: AbstractBaseUser, pk: int) -> QaSample:
    """The sample, or 404 when the user neither drew it nor sees every team."""
    return get_object_or_404(_visible_samples(user).select_related("drawn_by"), pk=pk)


def _visible_items(user: AbstractBaseUser, sample: QaSample) -> QuerySet[QaSampleItem]:
    return sample.items.filter(tracker__participant__in=participants_for(user))


@permission_required("reviews.draw_sample", raise_exception=True)
@require_http_methods(["GET", "POST"])
def sample_list(request: HttpRequest) -> HttpResponse:
    form = SampleDrawForm(request.POST or None, teams=teams_for(request.user))
    if request.method == "POST" and form.is_valid():
        seed = form.cleaned_data["seed"]
        if seed is None:
            seed = secrets.randbelow(RANDOM_SEEDS)
        try:
            sample = draw_sample(
                trackers=form.narrow(approved_trackers_for(request.user)),
                percent=form.cleaned_data["percent"],
                seed=seed,
                filters=form.filters(),
                drawn_by=request.user,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, f"Sample drawn: {sample.items.count()} trackers to check.")
            return redirect("reviews:sample_detail", sample.pk)
    samples = (
        _visible_samples(request.user)
        .select_related("drawn_by")
        .annotate(
            size=Count("items"),
            checked=Count("items", filter=~Q(items__result=QaSampleItem.Result.PENDING)),
            failed=Count("items", filter=Q(items__result=QaSampleItem.Result.FAILED)),
        )
        # An aggregate query drops Meta.ordering: newest first, said again.
        .order_by("-drawn_at", "-id")
    )
    page, query = page_of(request, samples)
    return render(request, "reviews/sample_list.html", {"form": form, "page": page, "query": query})


@permission_required("reviews.draw_sample", raise_exception=True)
@require_GET
def sample_detail(request: HttpRequest, pk: int) -> HttpResponse:
    sample = _get_sample_for(request.user, pk)
    return _detail_page(request, sample)


@permission_required("reviews.draw_sample", raise_exception=True)
@require_POST
def sample_item_record(request: HttpRequest, pk: int, item_pk: int) -> HttpResponse:
    sample = _get_sample_for(request.user, pk)
    item = get_object_or_404(
        _visible_items(request.user, sample).select_related("tracker__participant"), pk=item_pk
    )
    form = SampleResultForm(request.POST, prefix=_prefix(item))
    if form.is_valid():
        try:
            record_result(item=item, checked_by=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, f"Result recorded for {item.tracker.participant.full_name}.")
            return redirect("reviews:sample_detail", sample.pk)
    return _detail_page(request, sample, invalid=(item.pk, form))


def _detail_page(
    request: HttpRequest,
    sample: QaSample,
    *,
    invalid: tuple[int, SampleResultForm] | None = None,
) -> HttpResponse:
    """The sample's page; ``invalid`` is the item whose result form has errors, and its
    form, shown in place of that item's empty form."""
    items = _visible_items(request.user, sample)
    rows = [
        (item, _result_form(item, invalid))
        for item in items.select_related(
            "tracker__participant__adviser", "tracker__organisation", "checked_by"
        )
    ]
    return render(
        request,
        "reviews/sample_detail.html",
        {
            "sample": sample,
            "drawn_from": _drawn_from(sample.filters),
            "rows": rows,
            "rates": error_rates(items),
            "invalid_form": invalid[1] if invalid else None,
        },
    )


def _prefix(item: QaSampleItem) -> str:
    # Every item's form on the page needs its own field names and ids.
    return f"item-{item.pk}"


def _result_form(
    item: QaSampleItem, invalid: tuple[int, SampleResultForm] | None
) -> SampleResultForm | None:
    if item.result != QaSampleItem.Result.PENDING:
        return None
    if invalid and invalid[0] == item.pk:
        return invalid[1]
    return SampleResultForm(prefix=_prefix(item))


def _drawn_from(filters: dict) -> dict:
    """The filters a sample was drawn with (as ``SampleDrawForm.filters`` stored them),
    as the team, programme and dates they name; None where no filter was given."""
    return {
        "team": Team.objects.filter(pk=filters["team"]).first() if "team" in filters else None,
        "programme": (
            Programme.objects.filter(pk=filters["programme"]).first()
            if "programme" in filters
            else None
        ),
        **{
            name: datetime.date.fromisoformat(filters[name]) if name in filters else None
            for name in ("started_from", "started_to")
        },
    }
