"""Recording a job change on a contact's page, in place and without JavaScript."""

import datetime as dt

import pytest
from django.contrib.auth.models import User
from playwright.sync_api import Page, expect

from contacts.models import CareerMove, Contact, Position
from reminders.models import CustomDate
from tests.e2e.conftest import log_in
from tests.factories import ContactFactory, PositionFactory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def grace(owner: User) -> Contact:
    contact = ContactFactory(owner=owner, first_name="Grace", last_name="Hopper")
    PositionFactory(
        contact=contact, company="Navy", title="Officer", start_date=dt.date(2015, 1, 5)
    )
    return contact


def test_it_records_a_job_change_and_edits_history_in_place(
    page: Page, owner: User, grace: Contact
) -> None:
    log_in(page, owner)
    page.goto(grace.get_absolute_url())
    page.evaluate("window.__sameDocument = true")
    career = page.locator("#positions")
    career.get_by_role("link", name="Record a job change").click()
    career.get_by_label("Company").fill("Remington Rand")
    career.get_by_label("Title").fill("Senior mathematician")
    career.get_by_role("button", name="Record").click()
    expect(page.locator("#positions")).to_contain_text("Job change recorded")
    expect(page.locator("#positions li").first).to_contain_text(
        "Senior mathematician at Remington Rand"
    )
    expect(page.locator("#positions li").first).to_contain_text("Job change")
    new = Position.objects.get(contact=grace, end_date__isnull=True)
    assert new.move == CareerMove.JOB_CHANGE

    page.locator("#positions").get_by_role("link", name="Edit Officer at Navy").click()
    page.locator("#positions").get_by_label("Title").fill("Rear admiral")
    page.locator("#positions").get_by_role("button", name="Save").click()
    expect(page.locator("#positions")).to_contain_text("Rear admiral at Navy")

    dates = page.locator("#custom-dates")
    dates.get_by_role("link", name="Add a date").click()
    dates.get_by_label("What").fill("Retirement party")
    dates.get_by_label("Date").fill("2026-12-12")
    dates.get_by_role("button", name="Add").click()
    expect(page.locator("#custom-dates")).to_contain_text("Retirement party")
    assert CustomDate.objects.filter(contact=grace, label="Retirement party").exists()
    assert page.evaluate("window.__sameDocument === true"), "the page reloaded"


def test_it_records_a_job_change_without_javascript(
    nojs_page: Page, owner: User, grace: Contact
) -> None:
    log_in(nojs_page, owner)
    nojs_page.goto(grace.get_absolute_url())
    nojs_page.locator("#positions").get_by_role("link", name="Record a job change").click()
    nojs_page.get_by_label("Company").fill("Navy")
    nojs_page.get_by_label("Title").fill("Commodore")
    nojs_page.get_by_role("button", name="Record").click()
    expect(nojs_page.locator(".messages")).to_contain_text("Promotion recorded")
    expect(nojs_page.locator("#positions")).to_contain_text("Commodore at Navy")
    assert Position.objects.get(contact=grace, end_date__isnull=True).move == CareerMove.PROMOTION
