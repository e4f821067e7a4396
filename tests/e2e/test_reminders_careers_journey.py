"""Recording a job change on a contact's page, in place and without JavaScript."""

import datetime as dt

import pytest
from django.contrib.auth.models import User
from playwright.sync_api import Locator, Page, expect

from contacts.models import CareerMove, Contact, Position
from reminders.models import CustomDate
from tests.e2e.conftest import assert_not_reloaded, open_as, watch_reloads
from tests.factories import ContactFactory, PositionFactory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def grace(owner: User) -> Contact:
    contact = ContactFactory(owner=owner, first_name="Grace", last_name="Hopper")
    PositionFactory(
        contact=contact, company="Navy", title="Officer", start_date=dt.date(2015, 1, 5)
    )
    return contact


def _fill_in(section: Locator, link: str, fields: dict[str, str], button: str) -> None:
    """Open a section's form in place by its link, fill it in and send it."""
    section.get_by_role("link", name=link).click()
    for label, value in fields.items():
        section.get_by_label(label).fill(value)
    section.get_by_role("button", name=button).click()


def test_it_records_a_job_change_and_edits_history_in_place(
    page: Page, owner: User, grace: Contact
) -> None:
    open_as(page, owner, grace.get_absolute_url())
    watch_reloads(page)
    career = page.locator("#positions")
    _fill_in(
        career,
        "Record a job change",
        {"Company": "Remington Rand", "Title": "Senior mathematician"},
        "Record",
    )
    expect(page.locator("#positions")).to_contain_text("Job change recorded")
    expect(page.locator("#positions li").first).to_contain_text(
        "Senior mathematician at Remington Rand"
    )
    expect(page.locator("#positions li").first).to_contain_text("Job change")
    new = Position.objects.get(contact=grace, end_date__isnull=True)
    assert new.move == CareerMove.JOB_CHANGE

    _fill_in(career, "Edit Officer at Navy", {"Title": "Rear admiral"}, "Save")
    expect(page.locator("#positions")).to_contain_text("Rear admiral at Navy")

    dates = page.locator("#custom-dates")
    _fill_in(dates, "Add a date", {"What": "Retirement party", "Date": "2026-12-12"}, "Add")
    expect(page.locator("#custom-dates")).to_contain_text("Retirement party")
    assert CustomDate.objects.filter(contact=grace, label="Retirement party").exists()
    assert_not_reloaded(page)


def test_it_records_a_job_change_without_javascript(
    nojs_page: Page, owner: User, grace: Contact
) -> None:
    open_as(nojs_page, owner, grace.get_absolute_url())
    nojs_page.locator("#positions").get_by_role("link", name="Record a job change").click()
    nojs_page.get_by_label("Company").fill("Navy")
    nojs_page.get_by_label("Title").fill("Commodore")
    nojs_page.get_by_role("button", name="Record").click()
    expect(nojs_page.locator(".messages")).to_contain_text("Promotion recorded")
    expect(nojs_page.locator("#positions")).to_contain_text("Commodore at Navy")
    assert Position.objects.get(contact=grace, end_date__isnull=True).move == CareerMove.PROMOTION
