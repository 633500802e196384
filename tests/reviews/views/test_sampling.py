"""The QA samples pages: drawing a sample, a sample's page, and recording results
(reviews.views.sampling)."""

import random
import re
from decimal import Decimal

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from reviews.models import QaSample, QaSampleItem
from reviews.sampling import AdviserRate, draw_sample
from tests.factories import ParticipantFactory, TrackerFactory, UserFactory
from trackers.models import Tracker

pytestmark = pytest.mark.django_db

LIST_URL = reverse("reviews:samples")
PERCENT_RANGE = "Enter a percentage more than 0 and no more than 100."
APPROVED = Tracker.Status.APPROVED
Result = QaSampleItem.Result


def detail_url(sample: QaSample) -> str:
    return reverse("reviews:sample_detail", args=[sample.pk])


def record_url(item: QaSampleItem) -> str:
    return reverse("reviews:sample_item", args=[item.sample_id, item.pk])


def sampler(*, teams):
    """A member of staff of the front end who may only draw samples, in these teams only."""
    user = UserFactory(teams=teams)
    user.user_permissions.add(
        *Permission.objects.filter(codename__in=["draw_sample", "use_front_end"])
    )
    return user


def approved(count: int, **fields) -> list[Tracker]:
    return TrackerFactory.create_batch(count, status=APPROVED, **fields)


def drawn(sample: QaSample) -> list[int]:
    return list(sample.items.order_by("tracker_id").values_list("tracker_id", flat=True))


def sample_of(trackers, *, drawn_by, percent="100") -> QaSample:
    return draw_sample(
        trackers=Tracker.objects.filter(pk__in=[t.pk for t in trackers]),
        percent=Decimal(percent),
        seed=1,
        filters={},
        drawn_by=drawn_by,
    )


def draw_data(**fields) -> dict:
    return {"percent": "10", "seed": "", "team": "", "programme": ""} | fields


def listed_trackers(response) -> list[int]:
    return [item.tracker_id for item, _ in response.context["rows"]]


# Drawing a sample


def test_sample_list_draws_a_sample_and_redirects_to_it(supervisor_client, supervisor, north):
    trackers = approved(25, participant__team=north)
    TrackerFactory(status=Tracker.Status.IN_REVIEW, participant__team=north)

    response = supervisor_client.post(LIST_URL, draw_data(percent="10", seed="42"))

    sample = QaSample.objects.get()
    ids = sorted(tracker.pk for tracker in trackers)
    assert response["Location"] == detail_url(sample)
    assert (sample.drawn_by, sample.percent, sample.seed, sample.population, sample.filters) == (
        supervisor,
        Decimal("10.00"),
        42,
        25,
        {},
    )
    assert drawn(sample) == sorted(random.Random(42).sample(ids, 3))


def test_sample_list_draws_from_the_filters_and_records_them(
    supervisor_client, north, south, programme
):
    ours = TrackerFactory(
        status=APPROVED,
        participant__team=north,
        start_date="2025-03-03",
        participant__programme=programme,
    )
    TrackerFactory(status=APPROVED, participant__team=north, start_date="2025-02-28")
    TrackerFactory(status=APPROVED, participant__team=north, start_date="2025-04-01")
    TrackerFactory(status=APPROVED, participant__team=south, start_date="2025-03-03")
    filters = {
        "team": north.pk,
        "programme": programme.pk,
        "started_from": "2025-03-01",
        "started_to": "2025-03-31",
    }

    supervisor_client.post(LIST_URL, draw_data(percent="100", **filters))

    sample = QaSample.objects.get()
    assert (sample.population, drawn(sample), sample.filters) == (1, [ours.pk], filters)


def test_sample_list_blank_seed_is_recorded_and_repeats_the_draw(supervisor_client, north):
    approved(30, participant__team=north)

    supervisor_client.post(LIST_URL, draw_data(percent="20", seed=""))
    first = QaSample.objects.get()
    supervisor_client.post(LIST_URL, draw_data(percent="20", seed=str(first.seed)))

    second = QaSample.objects.exclude(pk=first.pk).get()
    assert 0 <= first.seed < 2**31
    assert (second.seed, len(drawn(first)), drawn(second)) == (first.seed, 6, drawn(first))


@pytest.mark.parametrize("percent", ["0", "101", "abc", "-1", ""])
def test_sample_list_invalid_percent_shows_the_error_and_draws_nothing(
    supervisor_client, north, percent
):
    approved(3, participant__team=north)

    response = supervisor_client.post(LIST_URL, draw_data(percent=percent))

    assert response.context["form"].errors == {"percent": [PERCENT_RANGE]}
    assert PERCENT_RANGE in response.content.decode()
    assert (QaSample.objects.count(), QaSampleItem.objects.count()) == (0, 0)


def test_sample_list_started_dates_the_wrong_way_round_draw_nothing(supervisor_client, north):
    approved(3, participant__team=north)

    response = supervisor_client.post(
        LIST_URL, draw_data(started_from="2025-06-01", started_to="2025-05-31")
    )

    assert response.context["form"].errors == {
        "started_to": ["Enter a date on or after the first date."]
    }
    assert QaSample.objects.count() == 0


def test_sample_list_no_approved_trackers_says_so_and_draws_nothing(supervisor_client, north):
    TrackerFactory(status=Tracker.Status.NEW, participant__team=north)

    response = supervisor_client.post(LIST_URL, draw_data(percent="50"))

    assert response.context["form"].non_field_errors() == ["No approved trackers match."]
    assert "No approved trackers match." in response.content.decode()
    assert QaSample.objects.count() == 0


def test_sample_list_population_is_only_the_users_teams(client, north, south):
    user = sampler(teams=[north])
    ours = approved(2, participant__team=north)
    approved(3, participant__team=south)
    client.force_login(user)

    client.post(LIST_URL, draw_data(percent="100"))

    sample = QaSample.objects.get()
    assert (sample.drawn_by, sample.population, drawn(sample)) == (
        user,
        2,
        sorted(tracker.pk for tracker in ours),
    )


def test_sample_list_team_outside_the_users_teams_is_refused(client, north, south):
    client.force_login(sampler(teams=[north]))
    approved(3, participant__team=south)

    response = client.post(LIST_URL, draw_data(percent="100", team=str(south.pk)))

    assert response.context["form"].errors == {"team": ["Choose a team from the list."]}
    assert QaSample.objects.count() == 0


# The list of samples


def test_sample_list_shows_samples_newest_first(supervisor_client, supervisor, north):
    trackers = approved(2, participant__team=north)
    older = sample_of(trackers, drawn_by=supervisor)
    newer = sample_of(trackers[:1], drawn_by=supervisor)
    record_item = newer.items.get()
    supervisor_client.post(
        record_url(record_item),
        {f"item-{record_item.pk}-result": "failed", f"item-{record_item.pk}-note": "No payslip."},
    )

    response = supervisor_client.get(LIST_URL)

    rows = response.context["page"].rows
    assert [(s.pk, s.size, s.checked, s.failed) for s in rows] == [
        (newer.pk, 1, 1, 1),
        (older.pk, 2, 0, 0),
    ]
    assert f'href="{detail_url(newer)}"' in response.content.decode()


def test_sample_list_shows_only_the_users_own_samples(client, supervisor, north):
    user = sampler(teams=[north])
    trackers = approved(1, participant__team=north)
    theirs = sample_of(trackers, drawn_by=supervisor)
    ours = sample_of(trackers, drawn_by=user)
    client.force_login(user)

    response = client.get(LIST_URL)

    body = response.content.decode()
    assert [sample.pk for sample in response.context["page"].rows] == [ours.pk]
    assert detail_url(theirs) not in body


def test_sample_list_without_samples_says_so(supervisor_client):
    response = supervisor_client.get(LIST_URL)

    assert response.context["page"].rows == []
    assert "No samples drawn yet." in response.content.decode()


@pytest.mark.parametrize("samples", [1, 3])
def test_sample_list_query_count_is_constant(
    supervisor_client, supervisor, north, samples, django_assert_num_queries
):
    trackers = approved(2, participant__team=north)
    for _ in range(samples):
        sample_of(trackers, drawn_by=supervisor)

    # session, user, permissions (2), page rows, form choices (2)
    with django_assert_num_queries(7):
        response = supervisor_client.get(LIST_URL)

    assert len(response.context["page"].rows) == samples


# A sample's page


def test_sample_detail_lists_items_and_error_rates(supervisor_client, supervisor, north):
    ann = UserFactory(first_name="Ann", last_name="Adams")
    checked, pending = [
        TrackerFactory(
            status=APPROVED,
            description=description,
            participant=ParticipantFactory(team=north, adviser=ann),
        )
        for description in ["Barista", "Chef"]
    ]
    sample = sample_of([checked, pending], drawn_by=supervisor)
    item = sample.items.get(tracker=checked)
    supervisor_client.post(
        record_url(item), {f"item-{item.pk}-result": "passed", f"item-{item.pk}-note": ""}
    )

    response = supervisor_client.get(detail_url(sample))

    body = response.content.decode()
    tracker_url = reverse("trackers:detail", args=[checked.participant_id, checked.pk])
    pending_item = sample.items.get(tracker=pending)
    assert listed_trackers(response) == [checked.pk, pending.pk]
    assert response.context["rates"] == [
        AdviserRate(adviser="Ann Adams", checked=1, failed=0, rate=Decimal("0.0"))
    ]
    assert f'href="{tracker_url}"' in body
    # Only the pending item has a form, its fields named and labelled for that item.
    assert re.findall(r'<label for="(id_item-\d+-\w+)"', body) == [
        f"id_item-{pending_item.pk}-result",
        f"id_item-{pending_item.pk}-note",
    ]
    assert f'action="{record_url(pending_item)}"' in body
    assert record_url(item) not in body


def test_sample_detail_of_another_users_sample_is_404(client, supervisor, north):
    user = sampler(teams=[north])
    trackers = approved(1, participant__team=north)
    theirs = sample_of(trackers, drawn_by=supervisor)
    ours = sample_of(trackers, drawn_by=user)
    client.force_login(user)

    outside = client.get(detail_url(theirs))
    inside = client.get(detail_url(ours))

    assert (outside.status_code, inside.status_code) == (404, 200)
    assert listed_trackers(inside) == [trackers[0].pk]


def test_sample_detail_is_open_to_who_sees_every_team(client, supervisor, north):
    user = sampler(teams=[north])
    trackers = approved(1, participant__team=north)
    sample = sample_of(trackers, drawn_by=user)
    client.force_login(supervisor)

    response = client.get(detail_url(sample))

    assert listed_trackers(response) == [trackers[0].pk]


def test_sample_detail_never_lists_items_outside_the_users_teams(client, north, south):
    user = sampler(teams=[north])
    ours = TrackerFactory(status=APPROVED, participant__team=north)
    theirs = TrackerFactory(status=APPROVED, participant__team=south)
    # Drawn when the user was also in South, say.
    sample = sample_of([ours, theirs], drawn_by=user)
    client.force_login(user)

    response = client.get(detail_url(sample))

    assert listed_trackers(response) == [ours.pk]
    assert reverse("trackers:detail", args=[theirs.participant_id, theirs.pk]) not in (
        response.content.decode()
    )


# Recording a result


def test_sample_item_record_records_the_result(supervisor_client, supervisor, north):
    sample = sample_of(approved(2, participant__team=north), drawn_by=supervisor)
    item = sample.items.first()

    response = supervisor_client.post(
        record_url(item),
        {f"item-{item.pk}-result": "failed", f"item-{item.pk}-note": "Payslip is for another job."},
    )

    item.refresh_from_db()
    assert response["Location"] == detail_url(sample)
    assert (item.result, item.note, item.checked_by) == (
        Result.FAILED,
        "Payslip is for another job.",
        supervisor,
    )
    assert list(sample.items.exclude(pk=item.pk).values_list("result", flat=True)) == [
        Result.PENDING
    ]


def test_sample_item_record_failed_without_a_note_shows_the_error_beside_the_item(
    supervisor_client, supervisor, north
):
    sample = sample_of(approved(2, participant__team=north), drawn_by=supervisor)
    item, other = sample.items.all()

    response = supervisor_client.post(
        record_url(item), {f"item-{item.pk}-result": "failed", f"item-{item.pk}-note": ""}
    )

    item.refresh_from_db()
    body = response.content.decode()
    row = body.split(f'<tr id="item-{item.pk}">', 1)[1].split("</tr>", 1)[0]
    forms = dict(response.context["rows"])
    assert forms[item].errors == {"note": ["Enter a note saying what failed."]}
    assert forms[other].errors == {}
    assert f'id="id_item-{item.pk}-note_error"' in row
    assert f'href="#id_item-{item.pk}-note"' in body  # the error summary
    assert (item.result, item.checked_by, item.checked_at) == (Result.PENDING, None, None)


def test_sample_item_record_already_recorded_keeps_the_first(supervisor_client, supervisor, north):
    sample = sample_of(approved(1, participant__team=north), drawn_by=supervisor)
    item = sample.items.get()
    fields = {f"item-{item.pk}-note": "No payslip."}
    supervisor_client.post(record_url(item), {f"item-{item.pk}-result": "failed"} | fields)

    response = supervisor_client.post(
        record_url(item), {f"item-{item.pk}-result": "passed"} | fields
    )

    item.refresh_from_db()
    assert "A result has already been recorded for this tracker." in response.content.decode()
    assert item.result == Result.FAILED


def test_sample_item_record_of_another_users_sample_is_404(client, supervisor, north):
    user = sampler(teams=[north])
    sample = sample_of(approved(1, participant__team=north), drawn_by=supervisor)
    item = sample.items.get()
    client.force_login(user)

    response = client.post(record_url(item), {f"item-{item.pk}-result": "passed"})

    item.refresh_from_db()
    assert response.status_code == 404
    assert (item.result, item.checked_by) == (Result.PENDING, None)


def test_sample_item_record_of_an_item_outside_the_users_teams_is_404(client, north, south):
    user = sampler(teams=[north])
    theirs = TrackerFactory(status=APPROVED, participant__team=south)
    sample = sample_of([theirs, *approved(1, participant__team=north)], drawn_by=user)
    item = sample.items.get(tracker=theirs)
    client.force_login(user)

    response = client.post(record_url(item), {f"item-{item.pk}-result": "passed"})

    item.refresh_from_db()
    assert response.status_code == 404
    assert item.result == Result.PENDING


def test_sample_item_record_of_another_samples_item_is_404(supervisor_client, supervisor, north):
    trackers = approved(1, participant__team=north)
    sample = sample_of(trackers, drawn_by=supervisor)
    other_item = sample_of(trackers, drawn_by=supervisor).items.get()
    url = reverse("reviews:sample_item", args=[sample.pk, other_item.pk])

    response = supervisor_client.post(url, {f"item-{other_item.pk}-result": "passed"})

    other_item.refresh_from_db()
    assert response.status_code == 404
    assert other_item.result == Result.PENDING


# Roles and methods


@pytest.mark.parametrize("role", ["Administrator", "Compliance officer"])
def test_sampling_pages_are_forbidden_to_other_roles(client, supervisor, north, role):
    sample = sample_of(approved(3, participant__team=north), drawn_by=supervisor)
    item = sample.items.first()
    client.force_login(UserFactory(role=role, teams=[north]))

    responses = [
        client.get(LIST_URL),
        client.post(LIST_URL, draw_data(percent="100")),
        client.get(detail_url(sample)),
        client.post(record_url(item), {f"item-{item.pk}-result": "passed"}),
    ]

    item.refresh_from_db()
    assert [response.status_code for response in responses] == [403, 403, 403, 403]
    assert (QaSample.objects.count(), item.result) == (1, Result.PENDING)


def test_sample_list_rejects_other_methods(supervisor_client, north):
    approved(3, participant__team=north)

    response = supervisor_client.put(LIST_URL, "percent=100")

    assert (response.status_code, response["Allow"]) == (405, "GET, POST")
    assert QaSample.objects.count() == 0


def test_sample_detail_rejects_post(supervisor_client, supervisor, north):
    sample = sample_of(approved(1, participant__team=north), drawn_by=supervisor)
    item = sample.items.get()

    response = supervisor_client.post(detail_url(sample), {f"item-{item.pk}-result": "passed"})

    item.refresh_from_db()
    assert (response.status_code, response["Allow"]) == (405, "GET")
    assert item.result == Result.PENDING


def test_sample_item_record_rejects_get(supervisor_client, supervisor, north):
    sample = sample_of(approved(1, participant__team=north), drawn_by=supervisor)
    item = sample.items.get()

    response = supervisor_client.get(record_url(item), {f"item-{item.pk}-result": "passed"})

    item.refresh_from_db()
    assert (response.status_code, response["Allow"]) == (405, "POST")
    assert item.result == Result.PENDING
