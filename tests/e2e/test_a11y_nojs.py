"""Journeys with JavaScript off that the other no-JS journeys do not cover: every htmx
form and link falls back to a plain post or page."""

import re
from datetime import date, timedelta
from pathlib import Path

import pytest
from django.contrib.auth.models import User
from playwright.sync_api import Page, expect

from contacts.models import ConnectionRequest, Contact, Interaction, TrustLevel
from contacts.search import reindex_contacts
from tests.e2e.conftest import open_as
from tests.factories import (
    ConnectionRequestFactory,
    ContactFactory,
    PositionFactory,
    log_interaction,
)

pytestmark = pytest.mark.django_db(transaction=True)


def test_it_adds_and_decides_a_connection_request_without_javascript(
    nojs_page: Page, owner: User
) -> None:
    open_as(nojs_page, owner, "/contacts/requests/")
    nojs_page.get_by_label("Name", exact=True).fill("Nadia Request")
    nojs_page.get_by_role("button", name="Add", exact=True).click()
    nojs_page.wait_for_load_state()
    request = ConnectionRequest.objects.get(owner=owner, name="Nadia Request")

    card = nojs_page.locator(f"#request-{request.pk}")
    card.get_by_label("How we met").fill("Sat next to her at PyCon")
    card.get_by_role("button", name="I know them").click()
    nojs_page.wait_for_load_state()

    request.refresh_from_db()
    assert request.status != "pending"
    assert request.contact is not None
    assert "PyCon" in request.contact.how_we_met
    expect(nojs_page.locator(f"#request-{request.pk} form")).to_have_count(0)


def test_it_ignores_a_request_without_javascript(nojs_page: Page, owner: User) -> None:
    request = ConnectionRequestFactory(owner=owner, name="Spam Sender")
    open_as(nojs_page, owner, "/contacts/requests/")
    nojs_page.locator(f"#request-{request.pk}").get_by_role("button", name="Ignore").click()
    nojs_page.wait_for_load_state()
    request.refresh_from_db()
    assert request.status == "ignored"
    assert not Contact.objects.filter(owner=owner).exists()


def test_it_snoozes_someone_losing_touch_without_javascript(nojs_page: Page, owner: User) -> None:
    old = date.today() - timedelta(days=400)
    lena = ContactFactory(
        owner=owner, first_name="Lena", last_name="Overdue", trust_level=TrustLevel.CLOSE
    )
    log_interaction(owner, [lena], on=old, summary="Long ago")
    open_as(nojs_page, owner, "/contacts/losing-touch/")
    row = nojs_page.locator(f"#touch-{lena.pk}")
    expect(row).to_be_visible()
    row.get_by_label("Snooze Lena Overdue for").select_option(index=0)
    row.get_by_role("button", name="Snooze").click()
    nojs_page.wait_for_load_state()
    expect(nojs_page).to_have_url(re.compile(r"/contacts/losing-touch/$"))
    expect(nojs_page.locator(f"#touch-{lena.pk}")).to_have_count(0)


def test_it_searches_introductions_without_javascript(nojs_page: Page, owner: User) -> None:
    vera = ContactFactory(
        owner=owner, first_name="Vera", last_name="Voucher", trust_level=TrustLevel.CLOSE
    )
    PositionFactory(contact=vera, company="Zeppelin Ventures", title="Partner", end_date=None)
    ContactFactory(owner=owner, first_name="Otto", last_name="Other", trust_level=TrustLevel.CLOSE)
    reindex_contacts(Contact.objects.filter(owner=owner))
    open_as(nojs_page, owner, "/contacts/introductions/")
    nojs_page.get_by_label("Search", exact=True).fill("zeppelin")
    nojs_page.get_by_role("button", name="Search").click()
    nojs_page.wait_for_load_state()
    expect(nojs_page).to_have_url(re.compile(r"/contacts/introductions/\?q=zeppelin"))
    results = nojs_page.locator("#results")
    expect(results).to_contain_text("Vera Voucher")
    expect(results).not_to_contain_text("Otto Other")


def test_it_edits_and_deletes_an_interaction_from_the_timeline_without_javascript(
    nojs_page: Page, owner: User
) -> None:
    ann = ContactFactory(owner=owner, first_name="Ann", last_name="Timeline")
    interaction = log_interaction(
        owner, [ann], on=date.today() - timedelta(days=3), summary="First call"
    )
    open_as(nojs_page, owner, ann.get_absolute_url())
    item = nojs_page.locator(f"#interaction-{interaction.pk}")
    item.get_by_role("link", name="Edit “First call”").click()
    nojs_page.wait_for_load_state()
    nojs_page.get_by_label("Summary").fill("Second thoughts")
    nojs_page.get_by_role("button", name="Save").first.click()
    nojs_page.wait_for_load_state()
    interaction.refresh_from_db()
    assert interaction.summary == "Second thoughts"

    nojs_page.goto(ann.get_absolute_url())
    nojs_page.locator(f"#interaction-{interaction.pk}").get_by_role(
        "link", name="Delete “Second thoughts”"
    ).click()
    nojs_page.wait_for_load_state()
    nojs_page.get_by_role("button", name="Delete interaction").click()
    nojs_page.wait_for_load_state()
    assert not Interaction.objects.filter(pk=interaction.pk).exists()
    ann.refresh_from_db()
    assert ann.last_interaction_on is None


CSV = (
    "First Name,Last Name,URL,Email Address,Company,Position,Connected On\r\n"
    "Jill,Okafor,https://www.linkedin.com/in/jill-okafor,,Contoso,Partner,14 Mar 2019\r\n"
)


def test_it_imports_a_file_without_javascript(nojs_page: Page, owner: User, tmp_path: Path) -> None:
    upload = tmp_path / "Connections.csv"
    upload.write_text(CSV, encoding="utf-8")
    open_as(nojs_page, owner, "/contacts/import/")
    nojs_page.get_by_label("LinkedIn Connections.csv or data export").check()
    nojs_page.get_by_label("File").set_input_files(str(upload))
    nojs_page.get_by_role("button", name="Upload and preview").click()
    expect(nojs_page.get_by_role("heading", name="Preview: Connections.csv")).to_be_visible()
    nojs_page.get_by_role("button", name="Import now").click()
    expect(nojs_page.get_by_role("heading", name="Import finished")).to_be_visible()
    assert Contact.objects.filter(owner=owner, first_name="Jill").exists()
