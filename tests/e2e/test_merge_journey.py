"""Merging two records of one person who both have a current job, in a browser.

The merge asks which job is current; afterwards the contact has one current job,
which can be edited (two current jobs each refused the edit before), and both notes
are kept. A pair that is not the same person can be marked so and brought back.
"""

from datetime import date

import pytest
from django.contrib.auth.models import User
from playwright.sync_api import Page, expect

from contacts.models import Contact, Position
from tests.e2e.conftest import open_as
from tests.factories import ContactEmailFactory, ContactFactory, PositionFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_merging_two_current_jobs_keeps_the_chosen_one_and_it_stays_editable(
    page: Page, owner: User
) -> None:
    kept = ContactFactory(owner=owner, first_name="Ingrid", last_name="Torres", notes="Architect.")
    other = ContactFactory(
        owner=owner, first_name="Ingrid", last_name="Torres", notes="Met at the biennale."
    )
    ContactEmailFactory(contact=other, email="ingrid@studio.example")
    PositionFactory(contact=kept, company="Foster", title="Architect", start_date=date(2019, 4, 1))
    PositionFactory(contact=other, company="Snøhetta", title="Partner", start_date=date(2025, 1, 6))

    open_as(page, owner, "/contacts/duplicates/")
    expect(page.get_by_text("Architect at Foster")).to_be_visible()
    page.get_by_role("link", name="Merge into the first…").click()

    expect(page.get_by_role("heading", name="Merge two contacts")).to_be_visible()
    expect(page.get_by_text("(Partner at Snøhetta, added")).to_be_visible()
    current = page.get_by_role("group", name="Current job")
    newest = current.get_by_label("Partner at Snøhetta, since 6 Jan 2025 — from the one merged in")
    expect(newest).to_be_checked()
    expect(page.get_by_role("group", name="Notes").get_by_label("Keep both")).to_be_checked()
    current.get_by_label("Architect at Foster, since 1 Apr 2019 — from the contact kept").check()
    page.get_by_role("button", name="Merge").click()

    expect(page.get_by_role("heading", name="Ingrid Torres", level=1)).to_be_visible()
    expect(page.get_by_text("Merged Ingrid Torres into Ingrid Torres.")).to_be_visible()
    career = page.locator("#positions")
    expect(career.locator(".position--current")).to_have_count(1)
    expect(career.locator(".position--current")).to_contain_text("Architect at Foster")

    career.get_by_role("link", name="Edit Architect at Foster").click()
    page.get_by_label("Title").fill("Principal")
    career.get_by_role("button", name="Save").click()
    expect(career.locator(".position--current")).to_contain_text("Principal at Foster")

    survivor = Contact.objects.get(owner=owner)
    assert survivor.pk == kept.pk
    assert survivor.notes == "Architect.\n\nMet at the biennale."
    assert list(
        Position.objects.filter(contact=survivor, end_date__isnull=True).values_list(
            "title", flat=True
        )
    ) == ["Principal"]


def test_marking_two_namesakes_as_different_people_hides_them_until_undone(
    page: Page, owner: User
) -> None:
    ContactFactory(owner=owner, first_name="Ingrid", last_name="Torres")
    ContactFactory(owner=owner, first_name="Ingrid", last_name="Torres")
    open_as(page, owner, "/contacts/duplicates/")
    page.get_by_role("button", name="Not the same person").click()
    expect(page.get_by_text("are marked as different people")).to_be_visible()
    expect(page.get_by_role("heading", name="No duplicates found")).to_be_visible()
    page.get_by_role("button", name="Undo").click()
    expect(page.get_by_role("link", name="Merge into the first…")).to_be_visible()
