"""Monday on a phone (375 px): This week → draft and send a note → snooze one → undo.

Throughout, the focus lands on what just changed and that stays on the screen:
every step asserts the focused element and its bounding box inside the viewport,
and that the page did not jump.
"""

import datetime as dt
import re
from collections.abc import Iterator

import pytest
from django.contrib.auth.models import User
from playwright._impl._api_structures import FloatRect
from playwright.sync_api import Browser, Locator, Page, expect
from pytest_django.live_server_helper import LiveServer

from contacts.models import InteractionKind, TrustLevel
from crm.models import UserSettings
from reminders.models import Reminder, ReminderKind, ReminderStatus
from tests.e2e.conftest import browser_page, draft_note_to_maya, maya_changed_jobs, open_as
from tests.factories import ContactFactory, ReminderFactory, UserFactory, log_interaction

pytestmark = pytest.mark.django_db(transaction=True)

WIDTH, HEIGHT = 375, 740


@pytest.fixture
def phone(browser: Browser, live_server: LiveServer) -> Iterator[Page]:
    viewport = {"width": WIDTH, "height": HEIGHT}
    options = {"device_scale_factor": 2, "is_mobile": True, "has_touch": True}
    with browser_page(browser, live_server, viewport=viewport, **options) as page:
        yield page


@pytest.fixture
def owner() -> User:
    user = UserFactory(username="monday")
    prefs = UserSettings.for_user(user)
    prefs.display_name = "Sam"
    prefs.sender_asked = True  # a returning user: the first-visit question is answered
    prefs.save()
    return user


@pytest.fixture
def reminders(owner: User) -> dict[str, Reminder]:
    today = UserSettings.for_user(owner).today()
    found = {"maya": maya_changed_jobs(owner)}
    log_interaction(
        owner,
        [found["maya"].contact],
        on=today - dt.timedelta(days=60),
        summary="Coffee about her move to Lisbon",
        kind=InteractionKind.MEAL,
    )
    for n, name in enumerate(["Jon Berg", "Ana Lind", "Li Wei", "Omar Haddad", "Eva Novak"]):
        first, last = name.split()
        found[first.lower()] = ReminderFactory(
            contact=ContactFactory(owner=owner, first_name=first, last_name=last),
            kind=ReminderKind.BIRTHDAY,
            due_on=today + dt.timedelta(days=n + 1),
        )
    for n in range(8):
        ReminderFactory(
            contact=ContactFactory(owner=owner, trust_level=TrustLevel.CLOSE),
            kind=ReminderKind.KEEP_IN_TOUCH,
            due_on=today - dt.timedelta(days=30 + n),
        )
    return found


def _in_view(page: Page, locator: Locator) -> FloatRect:
    box = locator.bounding_box()
    assert box is not None, "not rendered"
    assert box["x"] >= 0 and box["x"] + box["width"] <= WIDTH + 0.5, f"off the side: {box}"
    assert box["y"] >= 0 and box["y"] + box["height"] <= HEIGHT + 0.5, f"off screen: {box}"
    return box


def _focused_id(page: Page) -> str:
    return str(page.evaluate("document.activeElement && document.activeElement.id"))


def _scroll_y(page: Page) -> float:
    return float(page.evaluate("window.scrollY"))


def test_a_phone_journey_keeps_focus_and_confirmation_in_view(
    phone: Page, owner: User, reminders: dict[str, Reminder]
) -> None:
    page = phone
    open_as(page, owner, "/")

    # The first screen shows the first occasions, not filters and charts.
    maya = page.locator(f"#reminder-{reminders['maya'].pk}")
    _in_view(page, maya)
    chart = page.locator("svg.chart").bounding_box()
    assert chart and chart["y"] > HEIGHT, "the chart should come after the occasions"
    bar = _in_view(page, page.locator(".weekbar"))
    assert bar["height"] < 100, "week navigation and filter fold into one compact bar"
    wide = page.evaluate(
        "() => [...document.querySelectorAll('body *')]"
        ".filter(e => e.getBoundingClientRect().right > innerWidth + 0.5"
        " && !e.closest('.mainnav')).map(e => e.tagName + '.' + e.className).slice(0, 8)"
    )
    assert page.evaluate("document.documentElement.scrollWidth") <= WIDTH, wide
    touch = page.locator("#group-touch .entry")
    occasions = page.locator(".group:not(.group--touch) .entry")
    assert touch.count() <= occasions.count()

    # Draft a note: one click inserts a shared memory, then mark it sent.
    body = draft_note_to_maya(page, maya, signed="Sam")
    page.locator("#shared").get_by_role("button", name=re.compile("Insert.*coffee or meal")).click()
    expect(body).to_be_focused()
    expect(body).to_have_value(
        re.compile(r"going well\.\n\nCoffee about her move to Lisbon\n\nAll the best,\nSam$")
    )
    _in_view(page, body)
    expect(page.locator("#touch")).to_contain_text("reads like it comes from you")
    page.get_by_role("button", name="Mark as sent").click()

    # Back on the list: the entry reads as sent, focused and on screen.
    settled = page.locator(f"#reminder-{reminders['maya'].pk}")
    expect(settled).to_contain_text("Marked your note to Maya Okafor as sent")
    expect(settled).to_be_focused()
    assert _focused_id(page) == f"reminder-{reminders['maya'].pk}"
    _in_view(page, settled)
    _in_view(page, settled.get_by_role("button", name="Undo"))

    # Snooze one further down: the menu opens on screen, the line replaces the entry.
    eva = page.locator(f"#reminder-{reminders['eva'].pk}")
    eva.scroll_into_view_if_needed()
    page.wait_for_timeout(100)
    before = _in_view(page, eva)
    scrolled = _scroll_y(page)
    eva.locator("summary").click()
    a_week = eva.get_by_role("button", name="A week")
    _in_view(page, a_week)
    a_week.click()
    expect(eva).to_contain_text("Snoozed Eva Novak until")
    expect(eva).to_be_focused()
    assert _focused_id(page) == f"reminder-{reminders['eva'].pk}"
    after = _in_view(page, eva)
    assert abs(after["y"] - before["y"]) < 2, "the confirmation moved away from the entry"
    assert abs(_scroll_y(page) - scrolled) < 2, "the page jumped"
    undo = eva.get_by_role("button", name="Undo")
    _in_view(page, undo)

    # Undo: the entry comes back in the same place, focused.
    undo.click()
    expect(eva.get_by_role("button", name="Draft note")).to_be_visible()
    expect(eva).to_be_focused()
    _in_view(page, eva)
    assert abs(_in_view(page, eva)["y"] - before["y"]) < 2
    assert abs(_scroll_y(page) - scrolled) < 2, "the page jumped"

    reminders["maya"].refresh_from_db()
    reminders["eva"].refresh_from_db()
    assert reminders["maya"].status == ReminderStatus.DONE
    assert reminders["eva"].status == ReminderStatus.OPEN
