import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from reviews.models import Decision, ReviewReason
from tests.factories import ParticipantFactory, TrackerFactory, UserFactory
from trackers.models import EvidenceDocument, Tracker

pytestmark = pytest.mark.django_db


@pytest.fixture
def compliance_client(client, compliance):
    client.force_login(compliance)
    return client


def detail_url(tracker) -> str:
    return reverse("reviews:detail", args=[tracker.pk])


def decide_url(tracker) -> str:
    return reverse("reviews:decide", args=[tracker.pk])


def test_review_detail_shows_the_tracker_beside_its_evidence_checklist_and_checks(
    compliance_client, in_review
):
    response = compliance_client.get(detail_url(in_review))

    body = response.content.decode()
    document = in_review.documents.get(kind=EvidenceDocument.Kind.CONTRACT)
    inline = reverse(
        "trackers:document_download", args=[in_review.participant_id, in_review.pk, document.pk]
    )
    assert '<iframe class="evidence-viewer" name="evidence-viewer"' in body
    assert f"{inline}?inline=1" in body
    assert [(item.requirement.name, item.state) for item in response.context["checklist"]] == [
        ("A contract, offer letter or employer confirmation", "uploaded"),
        ("At least one payslip", "uploaded"),
    ]
    assert response.context["flags"] == []
    assert response.context["refusal"] == ""
    assert 'action="' + decide_url(in_review) + '"' in body


def test_review_detail_of_the_users_own_tracker_offers_no_decision(
    client, in_review, administrator
):
    administrator.user_permissions.add(Permission.objects.get(codename="review_tracker"))
    client.force_login(administrator)

    response = client.get(detail_url(in_review))

    body = response.content.decode()
    assert "You created this tracker, so someone else must review it." in body
    assert decide_url(in_review) not in body


def test_review_detail_of_another_teams_tracker_is_404(compliance_client, south):
    tracker = TrackerFactory(participant=ParticipantFactory(team=south, last_name="Southwell"))

    response = compliance_client.get(detail_url(tracker))

    assert response.status_code == 404
    assert "Southwell" not in response.content.decode()


def test_review_decide_approves_and_verifies(compliance_client, compliance, in_review):
    response = compliance_client.post(
        decide_url(in_review), {"outcome": "approved", "loaded_version": 1}
    )

    in_review.refresh_from_db()
    assert response["Location"] == reverse("reviews:queue")
    assert in_review.status == Tracker.Status.APPROVED
    assert list(Decision.objects.values_list("outcome", "decided_by")) == [
        ("approved", compliance.pk)
    ]


def test_review_decide_reject_without_a_reason_says_so_next_to_it(compliance_client, in_review):
    response = compliance_client.post(
        decide_url(in_review), {"outcome": "rejected", "loaded_version": 1}
    )

    assert response.status_code == 400
    assert response.context["form"].errors["reason"] == [
        "Choose the reason to reject, so that whoever corrects the tracker knows what to do."
    ]
    in_review.refresh_from_db()
    assert (in_review.status, Decision.objects.count()) == (Tracker.Status.IN_REVIEW, 0)


def test_review_decide_on_a_changed_tracker_is_refused(compliance_client, in_review):
    Tracker.objects.filter(pk=in_review.pk).update(version=2)

    response = compliance_client.post(
        decide_url(in_review), {"outcome": "approved", "loaded_version": 1}
    )

    assert response.status_code == 400
    assert (
        "This tracker changed since you opened it" in response.context["form"].non_field_errors()[0]
    )
    assert Decision.objects.count() == 0


@pytest.mark.parametrize("who", ["creator", "editor", "uploader", "superuser creator"])
def test_review_decide_four_eyes_in_the_view(client, in_review, who):
    person = UserFactory(
        role="Compliance officer",
        teams=[in_review.participant.team],
        is_superuser=who == "superuser creator",
    )
    if who in ("creator", "superuser creator"):
        Tracker.objects.filter(pk=in_review.pk).update(created_by=person)
    elif who == "editor":
        Tracker.objects.filter(pk=in_review.pk).update(edited_by=person)
    else:
        in_review.documents.update(uploaded_by=person)
    client.force_login(person)

    response = client.post(decide_url(in_review), {"outcome": "approved", "loaded_version": 1})

    assert response.status_code == 400
    assert "so someone else must review it" in response.context["form"].non_field_errors()[0]
    in_review.refresh_from_db()
    assert (in_review.status, Decision.objects.count()) == (Tracker.Status.IN_REVIEW, 0)


def test_review_decide_is_forbidden_to_an_administrator(administrator_client, in_review):
    reason = ReviewReason.objects.get(code="other")

    response = administrator_client.post(
        decide_url(in_review), {"outcome": "rejected", "reason": reason.pk, "loaded_version": 1}
    )

    assert response.status_code == 403
    assert Decision.objects.count() == 0


def test_review_decide_rejects_get(compliance_client, in_review):
    response = compliance_client.get(
        decide_url(in_review), {"outcome": "approved", "loaded_version": 1}
    )

    assert (response.status_code, response["Allow"]) == (405, "POST")
    assert Decision.objects.count() == 0


def test_tracker_status_cannot_be_set_through_the_tracker_form(administrator_client, in_review):
    url = reverse("milestones:tracker_edit", args=[in_review.participant_id, in_review.pk])
    form = administrator_client.get(url).context["form"]
    data = {name: form[name].value() or "" for name in form.fields} | {"status": "approved"}

    administrator_client.post(url, data)

    in_review.refresh_from_db()
    assert "status" not in form.fields
    assert in_review.status == Tracker.Status.IN_REVIEW
