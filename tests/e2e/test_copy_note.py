"""Copy note says so where you clicked: "✓ Copied" in green, and a status for screen readers."""

from collections.abc import Iterator

import pytest
from django.contrib.auth.models import User
from django.urls import reverse
from playwright.sync_api import Browser, Page, expect
from pytest_django.live_server_helper import LiveServer

from tests.e2e.conftest import open_as
from tests.factories import ContactFactory, NoteDraftFactory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def clipboard_page(browser: Browser, live_server: LiveServer) -> Iterator[Page]:
    context = browser.new_context(
        base_url=live_server.url, permissions=["clipboard-read", "clipboard-write"]
    )
    context.set_default_timeout(10_000)
    yield context.new_page()
    context.close()


def test_copy_note_visibly_confirms_and_copies_the_note(clipboard_page: Page, owner: User) -> None:
    page = clipboard_page
    draft = NoteDraftFactory(contact=ContactFactory(owner=owner), body="Congratulations, Ada!")
    open_as(page, owner, reverse("reminders:note_edit", args=[draft.pk]))
    button = page.get_by_role("button", name="Copy note")
    plain = button.evaluate("el => getComputedStyle(el).backgroundColor")
    button.click()
    copied = page.get_by_role("button", name="✓ Copied")
    expect(copied).to_be_visible()
    assert copied.evaluate("el => getComputedStyle(el).backgroundColor") != plain
    expect(page.get_by_role("status").filter(has_text="Copied to the clipboard.")).to_have_count(1)
    body = page.locator("#id_body").input_value()
    assert page.evaluate("navigator.clipboard.readText()") == body
    # It goes back to its label by itself.
    expect(page.get_by_role("button", name="Copy note")).to_be_visible(timeout=5_000)
