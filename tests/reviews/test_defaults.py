import pytest

from reviews.defaults import REASONS, load_defaults
from reviews.models import EvidenceRequirement, ReviewReason

pytestmark = pytest.mark.django_db


def test_load_defaults_fills_empty_tables():
    ReviewReason.objects.all().delete()
    EvidenceRequirement.objects.all().delete()

    load_defaults()

    assert list(ReviewReason.objects.values_list("code", flat=True)) == [
        code for code, _ in REASONS
    ]
    assert list(EvidenceRequirement.objects.values_list("tracker_type", "kinds")) == [
        ("job", ["contract", "offer_letter", "employer_confirmation"]),
        ("job", ["payslip"]),
        ("self_employment", ["hmrc_registration", "self_assessment"]),
        ("self_employment", ["trading_records"]),
        ("self_employment", ["bank_statement"]),
    ]


def test_load_defaults_never_overwrites_what_an_administrator_changed():
    ReviewReason.objects.exclude(code="other").delete()
    ReviewReason.objects.filter(code="other").update(label="Something else")
    EvidenceRequirement.objects.filter(tracker_type="self_employment").update(kinds=["other"])

    load_defaults()

    assert list(ReviewReason.objects.values_list("code", "label")) == [("other", "Something else")]
    assert list(
        EvidenceRequirement.objects.filter(tracker_type="self_employment").values_list(
            "kinds", flat=True
        )
    ) == [["other"], ["other"], ["other"]]
