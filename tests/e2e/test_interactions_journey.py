"""Logging an interaction from a contact's page, with and without JavaScript."""

import pytest
from django.contrib.auth.models import User
from playwright.sync_api import Page, expect

from contacts.models import Contact, Interaction
from contacts.search import reindex_contacts
from tests.e2e.conftest import assert_not_reloaded, open_as, watch_reloads
from tests.factories import ContactFactory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def ann(owner: User) -> Contact:
    return ContactFactory(owner=owner, first_name="Ann", last_name="Journey")


def _fill_log_form(page: Page, summary: str) -> None:
    timeline = page.locator("#timeline")
    timeline.get_by_text("Log an interaction").click()
    timeline.get_by_label("What was it?").select_option(label="Coffee or meal")
    timeline.get_by_label("Summary").fill(summary)
    timeline.get_by_label("Notes").fill("She is moving to Lisbon in March.")
    timeline.get_by_role("button", name="Log interaction").click()


def test_it_logs_from_the_contact_page_without_a_reload(
    page: Page, owner: User, ann: Contact
) -> None:
    open_as(page, owner, ann.get_absolute_url())
    watch_reloads(page)

    _fill_log_form(page, "Coffee near the office")

    entry = page.locator("#timeline-items li").first
    expect(entry).to_contain_text("Coffee near the office")
    expect(entry).to_contain_text("Coffee or meal")
    assert_not_reloaded(page)
    expect(page.locator("#keep-in-touch")).to_contain_text("last interaction")
    assert Interaction.objects.filter(contacts=ann, summary="Coffee near the office").exists()

    # Edit it in place, then delete it in place after confirming.
    entry.get_by_role("link", name="Edit").click()
    page.locator("#timeline-items").get_by_label("Summary").fill("Coffee and cake")
    page.locator("#timeline-items").get_by_role("button", name="Save").click()
    expect(page.locator("#timeline-items li").first).to_contain_text("Coffee and cake")
    page.locator("#timeline-items li").first.get_by_role("link", name="Delete").click()
    page.locator("#timeline-items").get_by_role("button", name="Delete").click()
    expect(page.locator("#timeline-items")).not_to_contain_text("Coffee and cake")
    assert_not_reloaded(page)
    assert not Interaction.objects.exists()


def test_it_logs_from_the_contact_page_without_javascript(
    nojs_page: Page, owner: User, ann: Contact
) -> None:
    open_as(nojs_page, owner, ann.get_absolute_url())

    _fill_log_form(nojs_page, "Lunch without scripts")

    nojs_page.wait_for_url(f"**{ann.get_absolute_url()}#timeline")
    expect(nojs_page.locator("#timeline-items li").first).to_contain_text("Lunch without scripts")
    assert Interaction.objects.filter(contacts=ann, summary="Lunch without scripts").exists()


def test_it_picks_several_people_on_the_log_page_without_javascript(
    nojs_page: Page, owner: User, ann: Contact
) -> None:
    bob = ContactFactory(owner=owner, first_name="Bob", last_name="Picker")
    reindex_contacts([ann, bob])
    open_as(nojs_page, owner, f"/contacts/interactions/new/?contact={ann.pk}")
    nojs_page.get_by_label("Summary").fill("Team dinner")
    nojs_page.get_by_label("Find people").fill("picker")
    nojs_page.get_by_role("button", name="Search").click()
    nojs_page.get_by_label("Bob Picker").check()
    nojs_page.get_by_role("button", name="Log interaction").click()
    nojs_page.wait_for_load_state()
    interaction = Interaction.objects.get(summary="Team dinner")
    assert set(interaction.contacts.all()) == {ann, bob}


def test_it_picks_people_as_you_type(page: Page, owner: User, ann: Contact) -> None:
    bob = ContactFactory(owner=owner, first_name="Bob", last_name="Picker")
    reindex_contacts([ann, bob])
    open_as(page, owner, f"/contacts/interactions/new/?contact={ann.pk}")
    page.get_by_label("Summary").fill("Board game night")
    page.get_by_label("Find people").fill("pick")
    page.locator("#picker-results").get_by_label("Bob Picker").check()
    expect(page.locator("[data-picker-selected]")).to_contain_text("Bob Picker")
    page.get_by_role("button", name="Log interaction").click()
    page.wait_for_url(f"**{ann.get_absolute_url()}")
    interaction = Interaction.objects.get(summary="Board game night")
    assert set(interaction.contacts.all()) == {ann, bob}
