"""Sort on a phone: the five rating buttons are on screen without scrolling, on a long card."""

from collections.abc import Iterator

import pytest
from django.contrib.auth.models import User
from playwright.sync_api import Browser, Page, ViewportSize, expect
from pytest_django.live_server_helper import LiveServer

from contacts.models import Contact, TrustLevel
from tests.e2e.conftest import browser_page, open_as
from tests.factories import ContactFactory, PositionFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)

PHONE: ViewportSize = {"width": 375, "height": 667}


@pytest.fixture
def sorter() -> User:
    user = UserFactory(username="pocket")
    for first in ("Ada", "Bea"):
        contact = ContactFactory(
            owner=user,
            first_name=first,
            last_name="Featherstonehaugh-Worthington",
            trust_level=None,
            how_we_met="We sat next to each other at a conference dinner in Lisbon. " * 6,
            linkedin_url=f"https://www.linkedin.com/in/{first.lower()}-with-a-long-profile",
        )
        PositionFactory(contact=contact, company="International Business Machines Corporation")
    return user


@pytest.fixture
def phone(browser: Browser, live_server: LiveServer) -> Iterator[Page]:
    with browser_page(browser, live_server, viewport=PHONE) as page:
        yield page


def _in_view(page: Page) -> list[bool]:
    return [
        box is not None and box["y"] >= 0 and box["y"] + box["height"] <= PHONE["height"]
        for box in (b.bounding_box() for b in page.locator(".triage-button").all())
    ]


def test_the_rating_buttons_stay_in_reach_on_a_phone(phone: Page, sorter: User) -> None:
    open_as(phone, sorter, "/contacts/triage/")
    card = phone.locator(".triage-card").bounding_box()
    assert card is not None and card["y"] + card["height"] > PHONE["height"], "card fits anyway"
    assert _in_view(phone) == [True] * 5
    assert phone.evaluate("window.scrollY") == 0
    phone.locator(".triage-button--know_well").click()
    expect(phone.locator("#triage-heading")).to_contain_text("Bea")
    assert Contact.objects.get(first_name="Ada").trust_level == TrustLevel.KNOW_WELL
    assert _in_view(phone) == [True] * 5
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], width
