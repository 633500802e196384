import pytest
from django.contrib import admin
from django.db import transaction
from django.test import RequestFactory
from django.urls import reverse

from participants.models import Participant
from tests.factories import ParticipantFactory, TrackerFactory, UserFactory
from tests.participants.helpers import participant_data

pytestmark = pytest.mark.django_db

REGISTERED = sorted(
    (model._meta.app_label, model._meta.model_name) for model in admin.site._registry
)


@pytest.fixture
def superuser_client(client):
    client.force_login(UserFactory(username="root", is_staff=True, is_superuser=True))
    return client


@pytest.mark.parametrize(("app", "model"), REGISTERED)
def test_admin_changelist_and_search_load_for_every_model(superuser_client, app, model):
    TrackerFactory()
    url = reverse(f"admin:{app}_{model}_changelist")

    listing = superuser_client.get(url)
    searched = superuser_client.get(url, {"q": "smith"})

    assert (listing.status_code, searched.status_code) == (200, 200)
    # The list is of that model, and the search box searched it.
    assert listing.context["cl"].model._meta.label_lower == f"{app}.{model}"
    assert searched.context["cl"].query == "smith"


def test_admin_participant_history_is_shown(superuser_client):
    participant = ParticipantFactory(last_name="Historic")
    participant.last_name = "Changed"
    participant.save()

    response = superuser_client.get(
        reverse("admin:participants_participant_history", args=[participant.pk])
    )

    assert [r.last_name for r in response.context["page_obj"]] == ["Changed", "Historic"]


@pytest.mark.parametrize("rows", [1, 3])
def test_admin_participant_changelist_query_count_is_constant(
    superuser_client, rows, django_assert_num_queries
):
    ParticipantFactory.create_batch(rows)

    with django_assert_num_queries(6):
        superuser_client.get(reverse("admin:participants_participant_changelist"))


AUTOCOMPLETED_AND_RAW_IDS = [
    ("participants", "participant", "adviser"),
    ("trackers", "tracker", "assignee"),
    ("trackers", "tracker", "organisation"),
    ("trackers", "tracker", "participant"),
    ("organisations", "organisation", "owner"),
    ("organisations", "organisation", "confirmed_by"),
]


@pytest.mark.parametrize(("app", "model", "field"), AUTOCOMPLETED_AND_RAW_IDS)
@pytest.mark.parametrize("typed", ["abc", "99999999999999999999", "-1", "²", "1.5"])
def test_admin_change_form_with_a_bad_id_says_so_and_saves_nothing(
    superuser_client, app, model, field, typed
):
    tracker = TrackerFactory()
    instance = {"tracker": tracker, "participant": tracker.participant}.get(
        model, tracker.organisation
    )
    url = reverse(f"admin:{app}_{model}_change", args=[instance.pk])
    data = {
        "reference": instance.reference if model == "participant" else None,
        "first_name": getattr(instance, "first_name", None),
        "last_name": getattr(instance, "last_name", None),
    }

    response = superuser_client.post(url, {k: v for k, v in data.items() if v} | {field: typed})

    assert response.status_code == 200
    assert field in response.context["adminform"].form.errors
    instance.refresh_from_db()
    assert getattr(instance, f"{field}_id") != typed


@pytest.mark.parametrize("kind", ["participant", "tracker", "organisation"])
def test_admin_correction_moves_the_version_on(rf, kind):
    tracker = TrackerFactory()
    instance = {"participant": tracker.participant, "tracker": tracker}.get(
        kind, tracker.organisation
    )
    request = rf.post("/")
    request.user = UserFactory(username="root", is_staff=True, is_superuser=True)
    instance.notes = "corrected" if hasattr(instance, "notes") else ""

    with transaction.atomic():
        admin.site._registry[type(instance)].save_model(request, instance, form=None, change=True)

    instance.refresh_from_db()
    assert instance.version == 2
    assert instance.history.first().version == 2


def test_front_end_edit_loaded_before_an_admin_correction_is_refused(client, north):
    participant = ParticipantFactory(team=north, first_name="Ann")
    client.force_login(UserFactory(role="Administrator", teams=[north]))
    url = reverse("milestones:participant_edit", args=[participant.pk])
    request = RequestFactory().post("/")
    request.user = UserFactory(username="root", is_staff=True, is_superuser=True)
    participant.first_name = "Anne"
    with transaction.atomic():
        admin.site._registry[Participant].save_model(request, participant, form=None, change=True)

    response = client.post(
        url,
        participant_data(participant.programme, north, reference=participant.reference)
        | {"first_name": "Annie", "loaded_version": "1"},
    )

    assert "changed this participant while you were editing it" in response.content.decode()
    participant.refresh_from_db()
    assert participant.first_name == "Anne"
