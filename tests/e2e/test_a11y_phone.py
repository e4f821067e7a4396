"""On a 390 px phone: no page scrolls sideways, tables fit, and the current page's item of the
sideways-scrolling main navigation is in sight."""

from collections.abc import Iterator
from datetime import date

import pytest
from django.contrib.auth.models import User
from playwright.sync_api import Browser, FloatRect, Page, ViewportSize
from pytest_django.live_server_helper import LiveServer

from contacts.models import TrustLevel
from tests.e2e.conftest import browser_page, log_in, open_as
from tests.factories import ContactFactory, PositionFactory, UserFactory, log_interaction

pytestmark = pytest.mark.django_db(transaction=True)

PHONE: ViewportSize = {"width": 390, "height": 844}


@pytest.fixture
def owner() -> User:
    user = UserFactory(username="phone")
    for index in range(12):
        contact = ContactFactory(
            owner=user,
            first_name=f"Maximiliane{index}",
            last_name="Longname-Featherstonehaugh",
            trust_level=TrustLevel.FOLLOWING if index % 2 else TrustLevel.MET,
        )
        PositionFactory(contact=contact, company="International Business Machines Corporation")
        log_interaction(user, [contact], on=date(2026, 9, 30))
    return user


@pytest.fixture
def phone(browser: Browser, live_server: LiveServer) -> Iterator[Page]:
    with browser_page(browser, live_server, viewport=PHONE) as page:
        yield page


def test_pages_fit_a_phone_and_show_where_you_are(phone: Page, owner: User) -> None:
    log_in(phone, owner)
    pages = {
        "/contacts/": None,
        "/contacts/requests/": "Requests",
        "/contacts/import/": "Import & export",
        "/reminders/": "This week",
        "/settings/": None,
    }
    for url, nav_item in pages.items():
        phone.goto(url)
        width = phone.evaluate("document.documentElement.scrollWidth")
        assert width <= PHONE["width"], f"{url} is {width}px wide"
        if nav_item:
            box = phone.locator(".mainnav").get_by_role("link", name=nav_item).bounding_box()
            assert box is not None
            assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"], (url, box)
    for url in ("/contacts/following/", "/contacts/"):
        phone.goto(url)
        table = phone.locator(".table-wrap").first
        fits = table.evaluate("el => el.scrollWidth <= el.clientWidth")
        assert fits, f"the table of {url} scrolls sideways on a phone"
    dates = phone.locator("td time").first.evaluate("el => el.getClientRects().length")
    assert dates == 1, "a date in the table wraps onto two lines"


@pytest.fixture
def narrow_phone(browser: Browser, live_server: LiveServer) -> Iterator[Page]:
    context = browser.new_context(base_url=live_server.url, viewport={"width": 375, "height": 812})
    context.set_default_timeout(10_000)
    yield context.new_page()
    context.close()


def _boxes(page: Page, *names: str) -> list[FloatRect]:
    boxes: list[FloatRect] = []
    for name in names:
        box = page.get_by_role("link", name=name, exact=True).first.bounding_box()
        assert box is not None, name
        boxes.append(box)
    return boxes


def test_header_button_rows_line_up_on_a_375px_phone(narrow_phone: Page, owner: User) -> None:
    """A header's buttons that stack under its heading share one width, not their labels'."""
    contact = owner.contacts.order_by("pk").first()
    assert contact is not None
    open_as(narrow_phone, owner, contact.get_absolute_url())
    change, past = _boxes(narrow_phone, "Record a job change", "Add a past position")
    assert past["y"] > change["y"], "expected the two career buttons to stack on a phone"
    assert abs(change["width"] - past["width"]) < 1, (change, past)
    assert abs(change["x"] - past["x"]) < 1, (change, past)
    # The page header's pair shares its line equally.
    edit, delete = _boxes(narrow_phone, "Edit", "Delete")
    assert abs(edit["y"] - delete["y"]) < 1 and abs(edit["width"] - delete["width"]) < 1
