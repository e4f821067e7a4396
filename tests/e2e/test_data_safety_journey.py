"""Nothing a person does loses their data: Sort with a story already told, and logging a
conversation from the dashboard, in real Chromium."""

import datetime as dt

import pytest
from django.contrib.auth.models import User
from playwright.sync_api import Page, expect

from contacts.models import Contact, TrustLevel
from crm.models import UserSettings
from reminders.models import Reminder, ReminderKind, ReminderStatus
from tests.e2e.conftest import open_as
from tests.factories import ContactFactory, log_interaction

pytestmark = pytest.mark.django_db(transaction=True)

STORY = "Met at PyCon 2019; she ran the sprint room."


def test_sort_adds_to_a_story_and_undo_brings_back_exactly_what_was_there(
    page: Page, owner: User
) -> None:
    ines = ContactFactory(
        owner=owner, first_name="Ines", last_name="Told", trust_level=None, how_we_met=STORY
    )
    ContactFactory(owner=owner, first_name="Next", last_name="Queue", trust_level=None)
    open_as(page, owner, "/contacts/triage/")
    heading = page.locator("#triage-heading")
    expect(heading).to_have_text("Ines Told")
    expect(page.locator(".triage-card")).to_contain_text(STORY)

    field = page.get_by_label("Add to how we met (optional)")
    field.click()
    field.type("Later worked together at Acme")
    field.press("Escape")
    page.keyboard.press("5")
    expect(heading).to_have_text("Next Queue")
    ines.refresh_from_db()
    assert ines.trust_level == TrustLevel.CLOSE
    assert ines.how_we_met == f"{STORY}\nLater worked together at Acme"

    page.keyboard.press("u")
    expect(heading).to_have_text("Ines Told")
    undone = Contact.objects.get(pk=ines.pk)
    assert (undone.trust_level, undone.how_we_met) == (None, STORY)
    expect(page.locator(".triage-card")).to_contain_text(STORY)
    expect(page.locator(".triage-card")).not_to_contain_text("Acme")


def test_sort_without_javascript_offers_undo_that_keeps_the_story(
    nojs_page: Page, owner: User
) -> None:
    ines = ContactFactory(
        owner=owner, first_name="Ines", last_name="Told", trust_level=None, how_we_met=STORY
    )
    open_as(nojs_page, owner, "/contacts/triage/")
    nojs_page.get_by_label("Add to how we met (optional)").fill("Neighbours now")
    nojs_page.get_by_role("button", name="4 Know well").click()
    nojs_page.wait_for_load_state()
    ines.refresh_from_db()
    assert ines.how_we_met == f"{STORY}\nNeighbours now"
    nojs_page.get_by_role("button", name="U Undo").click()
    nojs_page.wait_for_load_state()
    undone = Contact.objects.get(pk=ines.pk)
    assert (undone.trust_level, undone.how_we_met) == (None, STORY)


@pytest.fixture
def carla(owner: User) -> Contact:
    """Close, last talked to 40 days ago: on the dashboard and on Losing touch."""
    today = UserSettings.for_user(owner).today()
    contact = ContactFactory(
        owner=owner, first_name="Carla", last_name="Diaz", trust_level=TrustLevel.CLOSE
    )
    Contact.objects.filter(pk=contact.pk).update(
        created_at=contact.created_at - dt.timedelta(days=400)
    )
    log_interaction(owner, [contact], on=today - dt.timedelta(days=40), summary="Phone call")
    return contact


def test_logging_from_the_dashboard_settles_the_reminder_and_comes_back(
    page: Page, owner: User, carla: Contact
) -> None:
    open_as(page, owner, "/")
    touch = page.locator("#group-touch")
    expect(touch).to_contain_text("Carla Diaz")

    touch.get_by_role("link", name="Log interaction with Carla Diaz").click()
    expect(page.get_by_role("heading", name="Log an interaction")).to_be_visible()
    page.get_by_label("Summary").fill("Coffee by the river")
    page.get_by_role("button", name="Log interaction", exact=True).click()

    page.wait_for_url("**/reminders/**")
    # The entry is replaced where it stood by a one-line confirmation with Undo, focused.
    settled = page.locator("#group-touch .entry--settled")
    expect(settled.get_by_role("status")).to_have_text(
        "Logged “Coffee by the river” with Carla Diaz."
    )
    expect(settled.get_by_role("button", name="Undo")).to_be_visible()
    expect(settled).to_be_focused()
    expect(page.get_by_role("link", name="Log interaction with Carla Diaz")).to_have_count(0)
    expect(page.locator("#done")).to_contain_text("Carla Diaz")
    reminder = Reminder.objects.get(contact=carla, kind=ReminderKind.KEEP_IN_TOUCH)
    assert reminder.status == ReminderStatus.DONE

    page.goto("/contacts/losing-touch/")
    expect(page.get_by_role("heading", name="You're in touch with everyone")).to_be_visible()
    page.goto(carla.get_absolute_url())
    expect(page.locator("#keep-in-touch")).to_contain_text("Next due on")
