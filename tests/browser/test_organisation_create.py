"""Add an organisation whose contact works at another address, found by postcode, with
JavaScript on (the finder swaps only that address's fields) and off (its buttons post
the whole form)."""

import pytest
from playwright.sync_api import Page, expect

from organisations.models import Contact, Organisation, PostcodeAddress
from tests.browser.steps import sign_in
from tests.factories import OrganisationFactory, UserFactory
from tracker_site.management.commands.load_demo import DEFAULT_PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def administrator():
    return UserFactory(username="admin", role="Administrator", password=DEFAULT_PASSWORD)


@pytest.mark.parametrize("page", [True, False], ids=["js", "no-js"], indirect=True)
def test_a_contact_s_own_address_is_found_by_postcode(page: Page, administrator):
    for line_1 in ("1 Wellington Street", "Floor 3, 1 Wellington Street"):
        PostcodeAddress.objects.create(line_1=line_1, town="Leeds", postcode="LS1 4DL")
    sign_in(page, "admin")
    page.goto("/organisations/new/")

    organisation = page.get_by_role("group", name="Organisation")
    organisation.get_by_label("Name").fill("Wellington Street Dental")
    page.get_by_role("group", name="First address (optional)").get_by_label("Address line 1").fill(
        "5 Boar Lane"
    )
    page.get_by_role("group", name="First address (optional)").get_by_label("Town or city").fill(
        "Leeds"
    )
    page.get_by_role("group", name="First address (optional)").get_by_label("Postcode").fill(
        "LS1 6EA"
    )
    contact = page.get_by_role("group", name="First contact (optional)")
    contact.get_by_label("Name").fill("Dr Ama Owusu")
    contact.get_by_label("Email").fill("ama@wellington.example")
    contact.get_by_label("Phone", exact=True).fill("0113 496 0100")
    contact.get_by_text("They work at a different address").click()
    own = page.locator("#address-fields-contact-address")
    own.get_by_label("Postcode").fill("ls14dl")
    own.get_by_role("button", name="Find address").click()
    own.get_by_label("Floor 3, 1 Wellington Street, Leeds, LS1 4DL").check()
    own.get_by_role("button", name="Use this address").click()
    expect(own.get_by_label("Address line 1")).to_have_value("Floor 3, 1 Wellington Street")
    # Everything else typed is still there, with or without JavaScript.
    expect(organisation.get_by_label("Name")).to_have_value("Wellington Street Dental")
    expect(contact.get_by_label("Email")).to_have_value("ama@wellington.example")
    page.get_by_role("button", name="Add organisation").click()

    expect(page.locator(".notices")).to_contain_text("Wellington Street Dental was added")
    expect(page.get_by_text("Floor 3, 1 Wellington Street").first).to_be_visible()
    added = Organisation.objects.get(name="Wellington Street Dental")
    assert added.addresses.get(is_primary=True).line_1 == "5 Boar Lane"
    assert Contact.objects.get(organisation=added).address.line_1 == "Floor 3, 1 Wellington Street"


def test_a_contact_added_in_the_dialog_leaves_focus_on_its_button(page: Page, administrator):
    """The addresses and contacts are fetched again after the save, their buttons with
    them; focus is given back to the new "+ Contact", not lost to the top of the page."""
    organisation = OrganisationFactory(name="Boar Lane Bakery", owner=administrator)
    sign_in(page, "admin")
    page.goto(f"/organisations/{organisation.pk}/")
    opener = page.get_by_role("link", name="Add a contact")

    opener.click()
    dialog = page.get_by_role("dialog")
    dialog.get_by_label("Name").fill("Priya Shah")
    dialog.get_by_label("Email").fill("priya@example.org")
    dialog.get_by_label("Phone", exact=True).fill("0113 496 0000")
    dialog.get_by_role("button", name="Save contact").click()

    expect(dialog).to_be_hidden()
    expect(page.locator("#organisation-addresses-contacts")).to_contain_text("Priya Shah")
    expect(opener).to_be_focused()
    assert Contact.objects.get(organisation=organisation).name == "Priya Shah"
