"""Layout details found in exploratory QA: the top bar stays on one line on a laptop, and an
empty state's buttons sit centred under its centred text, apart from each other on a phone."""

from collections.abc import Iterator
from datetime import date

import pytest
from django.contrib.auth.models import User
from playwright.sync_api import Browser, Page
from pytest_django.live_server_helper import LiveServer

from contacts.models import TrustLevel
from tests.e2e.conftest import browser_page, log_in, open_as
from tests.factories import ContactFactory, UserFactory, log_interaction

pytestmark = pytest.mark.django_db(transaction=True)


def _page(browser: Browser, live_server: LiveServer, width: int) -> Iterator[Page]:
    with browser_page(browser, live_server, viewport={"width": width, "height": 900}) as page:
        yield page


@pytest.fixture
def laptop(browser: Browser, live_server: LiveServer) -> Iterator[Page]:
    yield from _page(browser, live_server, 1280)


@pytest.fixture
def phone(browser: Browser, live_server: LiveServer) -> Iterator[Page]:
    yield from _page(browser, live_server, 375)


@pytest.fixture
def newcomer() -> User:
    return UserFactory(username="sam.taylor")


def test_the_top_bar_is_one_line_on_a_laptop(laptop: Page, newcomer: User) -> None:
    log_in(laptop, newcomer)
    brand = laptop.locator(".brand").bounding_box()
    log_button = laptop.locator(".usernav").get_by_role("link", name="Log interaction")
    button = log_button.bounding_box()
    nav = laptop.locator(".mainnav").bounding_box()
    assert brand and button and nav
    assert button["y"] < brand["y"] + brand["height"], "the user's buttons dropped a line"
    assert nav["height"] < 2 * brand["height"], "the main navigation wrapped at 1280 px"


@pytest.mark.parametrize("url", ["/reminders/", "/contacts/"])
def test_empty_state_buttons_are_centred_and_apart_on_a_phone(
    phone: Page, newcomer: User, url: str
) -> None:
    open_as(phone, newcomer, url)
    card = phone.locator(".empty").first.bounding_box()
    first, second = (phone.locator(".empty .button").nth(index).bounding_box() for index in (0, 1))
    assert card and first and second
    for box in (first, second):
        left = box["x"] - card["x"]
        right = card["x"] + card["width"] - (box["x"] + box["width"])
        assert abs(left - right) < 2, f"{url}: a button is not centred ({left} vs {right})"
    apart = (
        second["y"] >= first["y"] + first["height"] + 4
        or second["x"] >= first["x"] + first["width"] + 4
    )
    assert apart, f"{url}: the empty state's buttons touch"


@pytest.mark.parametrize("url", ["/contacts/", "/contacts/requests/", "/contacts/import/"])
def test_buttons_are_big_enough_to_tap_on_a_phone(phone: Page, newcomer: User, url: str) -> None:
    open_as(phone, newcomer, url)
    heights = phone.locator("main :is(.button, button)").evaluate_all(
        "els => els.filter(e => e.offsetParent).map(e => [e.textContent.trim(),"
        " e.getBoundingClientRect().height])"
    )
    assert heights
    small = [(label, height) for label, height in heights if height < 36]
    assert not small, f"{url}: buttons under 36 px tall: {small}"


def test_contact_names_break_between_words_not_inside_them_on_a_phone(
    phone: Page, newcomer: User
) -> None:
    for first, last in [("Amara", "Adeyemi"), ("Valeria", "Abbott"), ("Bianca", "Adeyemi")]:
        contact = ContactFactory(
            owner=newcomer, first_name=first, last_name=last, trust_level=TrustLevel.ACQUAINTANCE
        )
        log_interaction(newcomer, [contact], on=date(2026, 9, 30))
    open_as(phone, newcomer, "/contacts/")
    lines = phone.locator(".directory-name").evaluate_all(
        "els => els.map(e => [e.textContent, e.getClientRects().length])"
    )
    assert len(lines) == 3
    broken = [(name, count) for name, count in lines if count > len(name.split())]
    assert not broken, f"names broken inside a word: {broken}"


def test_a_missing_page_fits_a_phone_and_leads_back(phone: Page, newcomer: User) -> None:
    log_in(phone, newcomer)
    response = phone.goto("/contacts/999999/")
    assert response is not None and response.status == 404
    assert phone.evaluate("document.documentElement.scrollWidth") <= 375
    phone.get_by_role("link", name="Go to This week").click()
    phone.wait_for_load_state()
    assert phone.get_by_role("heading", level=1).inner_text() == "This week"


def test_the_top_bar_keeps_the_users_buttons_beside_the_logo_on_a_phone(
    phone: Page, newcomer: User
) -> None:
    log_in(phone, newcomer)
    logo = phone.locator(".brand").bounding_box()
    menu = phone.locator(".usernav .menu summary").bounding_box()
    assert logo and menu
    assert menu["y"] < logo["y"] + logo["height"], "the user menu dropped under the logo"
    assert phone.get_by_role("link", name="Rapport").count() == 1


def _luminance(rgb: str) -> float:
    channels = [int(part) / 255 for part in rgb[rgb.index("(") + 1 : rgb.index(")")].split(",")[:3]]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def test_the_keyboard_focus_ring_is_visible_and_contrasts(laptop: Page, newcomer: User) -> None:
    open_as(laptop, newcomer, "/contacts/")
    for _ in range(3):  # skip link, brand, first navigation link
        laptop.keyboard.press("Tab")
    style = laptop.evaluate(
        "() => { const s = getComputedStyle(document.activeElement);"
        " return [document.activeElement.textContent.trim(), s.outlineStyle, s.outlineColor,"
        " s.outlineWidth]; }"
    )
    label, outline_style, color, width = style
    assert label == "This week"
    assert outline_style == "solid" and float(width.removesuffix("px")) >= 2
    ratio = (1 + 0.05) / (_luminance(color) + 0.05)  # against the white top bar
    assert ratio >= 3, f"focus ring {color} has contrast {ratio:.2f}:1"


def test_note_template_names_sit_inside_their_cards(laptop: Page, newcomer: User) -> None:
    open_as(laptop, newcomer, "/reminders/notes/templates/")
    card = laptop.locator(".note-templates fieldset").first.bounding_box()
    legend = laptop.locator(".note-templates legend").first.bounding_box()
    assert card and legend
    assert legend["y"] > card["y"] + 4, "the template's name straddles its card's border"


def test_timeline_edit_and_delete_links_are_big_enough_to_tap(phone: Page, newcomer: User) -> None:
    contact = ContactFactory(owner=newcomer, first_name="Ann", last_name="Lee")
    log_interaction(newcomer, [contact], on=date(2026, 9, 30))
    open_as(phone, newcomer, contact.get_absolute_url())
    for name in ("Edit “Call”", "Delete “Call”"):
        box = phone.locator(".timeline__actions").get_by_role("link", name=name).bounding_box()
        assert box and box["height"] >= 36, (name, box)
