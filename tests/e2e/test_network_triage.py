"""Sorting an imported network by keyboard alone, in real Chromium."""

import pytest
from django.contrib.auth.models import User
from playwright.sync_api import expect

from contacts.models import Contact, TrustLevel
from tests.e2e.conftest import open_as
from tests.factories import ContactFactory, UserFactory


@pytest.fixture
def sorter(transactional_db) -> User:
    user = UserFactory(username="sorter")
    for first in ("Ada", "Bea", "Cem"):
        ContactFactory(owner=user, first_name=first, last_name="Queue", trust_level=None)
    return user


def level(first: str) -> str | None:
    return Contact.objects.get(first_name=first).trust_level


def test_it_sorts_by_keyboard_and_ignores_keys_typed_in_the_text_field(page, sorter) -> None:
    open_as(page, sorter, "/contacts/triage/")
    heading = page.locator("#triage-heading")
    assert heading.inner_text() == "Ada Queue"
    assert "0 of 3 sorted" in page.locator("#triage-progress").inner_text()

    page.keyboard.press("3")
    expect(heading).to_have_text("Bea Queue")
    assert level("Ada") == TrustLevel.ACQUAINTANCE
    page.keyboard.press("u")  # a slip of the finger: undo brings Ada back
    expect(heading).to_have_text("Ada Queue")
    assert level("Ada") is None
    page.keyboard.press("4")
    expect(heading).to_have_text("Bea Queue")
    assert level("Ada") == TrustLevel.KNOW_WELL
    expect(page.locator("#triage-progress")).to_contain_text("1 of 3 sorted")

    field = page.get_by_label("How we met (optional)")
    field.click()
    field.type("Met at PyCon 2024, talk 5")  # digits typed here must not rate anyone
    assert level("Bea") is None
    field.press("Escape")
    page.keyboard.press("f")
    expect(heading).to_have_text("Cem Queue")
    bea = Contact.objects.get(first_name="Bea")
    assert bea.trust_level == TrustLevel.FOLLOWING
    assert bea.how_we_met == "Met at PyCon 2024, talk 5"

    with page.expect_response(lambda response: "after=" in response.url):
        page.keyboard.press("s")  # skipping the last one wraps round to it
    expect(heading).to_have_text("Cem Queue")
    assert level("Cem") is None
    page.keyboard.press("2")
    page.get_by_role("heading", name="Everyone is sorted").wait_for()
    assert level("Cem") == TrustLevel.MET
    expect(page.locator("#triage-progress")).to_contain_text("3 of 3 sorted")


def test_it_works_without_javascript(nojs_page, sorter) -> None:
    open_as(nojs_page, sorter, "/contacts/triage/")
    nojs_page.get_by_label("How we met (optional)").fill("Neighbours")
    nojs_page.get_by_role("button", name="3 Acquaintance").click()
    nojs_page.wait_for_load_state()
    assert nojs_page.locator("#triage-heading").inner_text() == "Bea Queue"
    ada = Contact.objects.get(first_name="Ada")
    assert (ada.trust_level, ada.how_we_met) == (TrustLevel.ACQUAINTANCE, "Neighbours")
    nojs_page.get_by_role("link", name="S Skip for now").click()
    assert nojs_page.locator("#triage-heading").inner_text() == "Cem Queue"
