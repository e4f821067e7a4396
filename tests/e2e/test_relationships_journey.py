"""Journeys of issue 21: a double opt-in introduction (both accept; one declines) and a
promise from logging to kept, in Chromium with htmx."""

import pytest
from django.contrib.auth.models import User
from playwright.sync_api import Page, expect

from contacts.models import Contact, Interaction, Introduction, Promise, TrustLevel
from tests.e2e.conftest import assert_not_reloaded, log_in, open_as, watch_reloads
from tests.factories import ContactFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def owner() -> User:
    return UserFactory(username="journey")


@pytest.fixture
def ada(owner: User) -> Contact:
    return ContactFactory(
        owner=owner, first_name="Ada", last_name="Oar", trust_level=TrustLevel.CLOSE
    )


@pytest.fixture
def bob(owner: User) -> Contact:
    return ContactFactory(
        owner=owner, first_name="Bob", last_name="Scull", trust_level=TrustLevel.KNOW_WELL
    )


def _start(page: Page, ada: Contact, bob: Contact) -> None:
    page.goto(f"/contacts/{ada.pk}/introduce/?other={bob.pk}")
    page.get_by_label("Why should they meet?").fill("you both restore wooden rowing boats")
    page.get_by_role("button", name="Start the introduction").click()
    expect(page.get_by_role("heading", name="Message to Ada Oar")).to_be_visible()


def _step(page: Page, name: str) -> None:
    page.locator("#introduction").get_by_role("button", name=name).click()


def test_both_accept_and_they_meet(page: Page, owner: User, ada: Contact, bob: Contact) -> None:
    log_in(page, owner)
    _start(page, ada, bob)
    watch_reloads(page)
    _step(page, "I've asked Ada Oar")
    _step(page, "Ada Oar said yes")
    expect(page.get_by_role("heading", name="Message to Bob Scull")).to_be_visible()
    _step(page, "I've asked Bob Scull")
    _step(page, "Bob Scull said yes")
    expect(page.get_by_role("heading", name="Message to Ada Oar and Bob Scull")).to_be_visible()
    _step(page, "I've introduced them")
    _step(page, "They met")
    expect(page.locator("#intro-status-heading")).to_have_text("They met")
    assert_not_reloaded(page)
    assert Introduction.objects.get().outcome == "met"
    page.goto(bob.get_absolute_url())
    expect(page.locator(".intro-section")).to_contain_text("They met")


def test_one_declines_and_the_other_side_never_sees_it(
    page: Page, owner: User, ada: Contact, bob: Contact
) -> None:
    log_in(page, owner)
    _start(page, ada, bob)
    _step(page, "I've asked Ada Oar")
    _step(page, "Ada Oar said yes")
    _step(page, "I've asked Bob Scull")
    _step(page, "Bob Scull declined")
    expect(page.locator("#intro-status-heading")).to_have_text("Closed")
    # A kind word for Ada, who said yes, that does not say who declined.
    expect(page.get_by_role("heading", name="A kind word to Ada Oar")).to_be_visible()
    assert "declin" not in page.locator("#intro-body-0").input_value().lower()
    page.goto(ada.get_absolute_url())
    expect(page.locator(".intro-section")).not_to_contain_text("Bob Scull")
    assert not Interaction.objects.filter(contacts=ada, summary__icontains="declin").exists()


def test_a_promise_from_logging_to_kept(page: Page, owner: User, ada: Contact) -> None:
    open_as(page, owner, ada.get_absolute_url())
    watch_reloads(page)
    timeline = page.locator("#timeline")
    timeline.get_by_text("Log an interaction").click()
    timeline.get_by_label("Summary").fill("Coffee at the boathouse")
    timeline.get_by_text("Add a promise").click()
    timeline.get_by_label("A promise").fill("Send her the varnish article")
    timeline.get_by_role("button", name="Log interaction").click()
    card = page.locator("#promises")
    expect(card).to_contain_text("Send her the varnish article")
    card.get_by_role("button", name="Kept").click()
    expect(page.locator("#timeline-items")).to_contain_text(
        "Kept my promise: Send her the varnish article"
    )
    expect(page.locator("#promises")).to_contain_text("Kept lately")
    assert_not_reloaded(page)
    assert Promise.objects.get().kept_on is not None
