"""The Monday routine: dashboard → Draft note → edit → Mark as sent; snooze and dismiss in place."""

import datetime as dt

import pytest
from django.contrib.auth.models import User
from playwright.sync_api import Page, expect

from contacts.models import Interaction, InteractionKind
from crm.models import UserSettings
from reminders.models import Reminder, ReminderKind, ReminderStatus
from tests.e2e.conftest import (
    assert_not_reloaded,
    draft_note_to_maya,
    maya_changed_jobs,
    open_as,
    watch_reloads,
)
from tests.factories import ContactFactory, ReminderFactory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def reminders(owner: User) -> dict[str, Reminder]:
    today = UserSettings.for_user(owner).today()
    return {
        "maya": maya_changed_jobs(owner),
        "jon": ReminderFactory(
            contact=ContactFactory(owner=owner, first_name="Jon", last_name="Berg"),
            due_on=today + dt.timedelta(days=2),
        ),
        "ana": ReminderFactory(
            contact=ContactFactory(owner=owner, first_name="Ana", last_name="Lind"),
            kind=ReminderKind.KEEP_IN_TOUCH,
            due_on=today - dt.timedelta(days=3),
        ),
    }


def test_it_drafts_edits_and_sends_a_note_from_the_dashboard(
    page: Page, owner: User, reminders: dict[str, Reminder]
) -> None:
    open_as(page, owner, "/")
    board = page.locator("#board")
    expect(board.locator("#group-career")).to_contain_text("Maya Okafor")
    expect(board.locator("#group-career")).to_contain_text(
        "started at Northwind Ventures as Partner today"
    )

    entry = page.locator(f"#reminder-{reminders['maya'].pk}")
    body = draft_note_to_maya(page, entry, signed="journey")
    expect(page.locator("#touch")).to_contain_text("form letter")

    body.fill(
        "Hi Maya,\n\nCongratulations on Northwind! Still laughing about that PyCon queue."
        "\n\nAll the best,\njourney"
    )
    body.press("End")  # a keyup, as when typing: autosave fires a second later
    expect(page.locator("#note-status")).to_contain_text("Saved at")
    expect(page.locator("#touch")).to_contain_text("reads like it comes from you")
    assert "PyCon" in (page.locator("#mailto-link").get_attribute("href") or "")

    page.get_by_role("button", name="Mark as sent").click()
    # Back on the list, the entry itself says so, focused, with Undo.
    settled = page.locator(f"#reminder-{reminders['maya'].pk}")
    expect(settled).to_contain_text("Marked your note to Maya Okafor as sent")
    expect(settled).to_be_focused()
    expect(settled.get_by_role("button", name="Undo")).to_be_visible()
    done = page.locator("#done")
    expect(done).to_contain_text("Maya Okafor")
    expect(settled.get_by_role("button", name="Draft note")).to_have_count(0)

    sent = Interaction.objects.get(kind=InteractionKind.NOTE_SENT)
    assert "PyCon queue" in sent.notes
    done.get_by_role("link", name="Maya Okafor").click()
    expect(page.locator("main")).to_contain_text(
        "Congratulations on the move to Northwind Ventures"
    )
    expect(page.locator("main")).to_contain_text("Note sent")


def test_it_snoozes_and_dismisses_in_place(
    page: Page, owner: User, reminders: dict[str, Reminder]
) -> None:
    open_as(page, owner, "/")
    watch_reloads(page)

    jon = page.locator(f"#reminder-{reminders['jon'].pk}")
    jon.locator("summary").click()
    jon.get_by_role("button", name="A week").click()
    # The entry turns into its confirmation where it was, and takes the focus.
    expect(jon).to_contain_text("Snoozed Jon Berg until")
    expect(jon).to_be_focused()
    expect(jon.get_by_role("button", name="Draft note")).to_have_count(0)

    ana = page.locator(f"#reminder-{reminders['ana'].pk}")
    ana.locator("summary").click()
    ana.get_by_role("button", name="Dismiss").click()
    expect(ana).to_contain_text("Dismissed the keep in touch of Ana Lind")
    expect(page.locator("#group-touch-count")).to_have_text("0")

    # Undo brings it back in place, focused, still without a reload.
    ana.get_by_role("button", name="Undo").click()
    expect(ana.get_by_role("link", name="Log interaction")).to_be_visible()
    expect(ana).to_be_focused()
    expect(page.locator("#group-touch-count")).to_have_text("1")
    assert_not_reloaded(page)

    reminders["jon"].refresh_from_db()
    reminders["ana"].refresh_from_db()
    assert reminders["jon"].status == ReminderStatus.SNOOZED
    assert reminders["ana"].status == ReminderStatus.OPEN


def test_it_works_without_javascript(
    nojs_page: Page, owner: User, reminders: dict[str, Reminder]
) -> None:
    page = nojs_page
    open_as(page, owner, "/")
    jon = page.locator(f"#reminder-{reminders['jon'].pk}")
    jon.locator("summary").click()
    jon.get_by_role("button", name="A day").click()
    # The message shows once, in the entry's place, with Undo as with JavaScript.
    expect(jon).to_contain_text("Snoozed Jon Berg until")
    expect(jon).to_be_focused()
    expect(page.locator("#messages")).not_to_contain_text("Snoozed Jon Berg until")
    ana = page.locator(f"#reminder-{reminders['ana'].pk}")
    ana.locator("summary").click()
    ana.get_by_role("button", name="Mark done").click()
    expect(page.locator("#done")).to_contain_text("Ana Lind")
    ana.get_by_role("button", name="Undo").click()
    expect(ana.get_by_role("link", name="Log interaction")).to_be_visible()
    expect(ana).to_be_focused()
    reminders["ana"].refresh_from_db()
    assert reminders["ana"].status == ReminderStatus.OPEN
