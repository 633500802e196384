"""Which item of the main menu a page belongs to, so that the menu marks it
(``aria-current``): a context processor, since pages of one app may belong to another's
item (Create Tracker is the milestones app's, but a participant's page)."""

from django.http import HttpRequest

# The first item whose prefixes start the page's view name (namespace:name) wins.
SECTIONS = [
    ("programmes", ("milestones:programme_",)),
    ("participants", ("participants:", "trackers:", "milestones:tracker_", "milestones:participant_")),
    ("organisations", ("organisations:",)),
    ("milestones", ("milestones:",)),
    ("caseloads", ("reviews:caseload",)),
    ("claims", ("reviews:ready_to_claim", "reviews:claim_", "reviews:mark_claimed")),
    ("samples", ("reviews:sample",)),
    ("reviews", ("reviews:",)),
    ("reconciliation", ("reconciliation:",)),
    ("account", ("accounts:",)),
    ("jobs", ("jobs:",)),
]  # fmt: skip


def section(request: HttpRequest) -> dict:
    match = getattr(request, "resolver_match", None)
    name = match.view_name if match else ""
    return {"section": next((item for item, prefixes in SECTIONS if name.startswith(prefixes)), "")}
