"""The review reasons and the evidence checklist a new installation starts with.

Loaded after ``migrate`` (and after a test database is flushed) into a table that is
still empty; from then on administrators change them as data, in Django admin, and they
are never overwritten.
"""

from django.apps import apps as global_apps
from django.db import DEFAULT_DB_ALIAS

REASONS = [
    ("evidence_missing", "Evidence missing"),
    ("evidence_illegible", "Evidence illegible"),
    ("employer_not_confirmed", "Employer not confirmed"),
    ("dates_inconsistent", "Dates inconsistent"),
    ("pay_below_minimum", "Pay below the legal minimum"),
    ("duplicate", "Duplicate"),
    ("other", "Other"),
]
# tracker type, item, the document types that meet it
REQUIREMENTS = [
    ("job", "A contract, offer letter or employer confirmation",
     ["contract", "offer_letter", "employer_confirmation"]),
    ("job", "At least one payslip", ["payslip"]),
    # No DWP list for self-employment: what reconciliation.md §3 gives (cf. HMRC CCM6790).
    ("self_employment", "HMRC registration or Unique Taxpayer Reference (UTR)",
     ["hmrc_registration", "self_assessment"]),
    ("self_employment", "Trading records or invoices", ["trading_records"]),
    ("self_employment", "Bank statements showing the business's takings", ["bank_statement"]),
]  # fmt: skip


def load_defaults(*, apps=global_apps, using: str = DEFAULT_DB_ALIAS, **kwargs) -> None:
    """Fill the reasons and the checklist when their tables are empty (post_migrate)."""
    ReviewReason = apps.get_model("reviews", "ReviewReason")
    EvidenceRequirement = apps.get_model("reviews", "EvidenceRequirement")
    if not ReviewReason.objects.using(using).exists():
        ReviewReason.objects.using(using).bulk_create(
            ReviewReason(code=code, label=label, position=position)
            for position, (code, label) in enumerate(REASONS, start=1)
        )
    if not EvidenceRequirement.objects.using(using).exists():
        EvidenceRequirement.objects.using(using).bulk_create(
            EvidenceRequirement(tracker_type=kind, name=name, kinds=kinds, position=position)
            for position, (kind, name, kinds) in enumerate(REQUIREMENTS, start=1)
        )
