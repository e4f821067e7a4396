"""Import in a browser: upload, preview, import, result; the progress bar polls until done."""

from pathlib import Path

import pytest
from django.contrib.auth.models import User
from playwright.sync_api import Page, expect

from contacts.models import Contact, ImportStatus
from tests.e2e.conftest import log_in
from tests.factories import ContactFactory, ImportJobFactory, PositionFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)

CSV = (
    'Notes:\r\n"Some emails may be missing."\r\n\r\n'
    "First Name,Last Name,URL,Email Address,Company,Position,Connected On\r\n"
    "Jill,Okafor,https://www.linkedin.com/in/jill-okafor,,Contoso,Partner,14 Mar 2019\r\n"
    'Tom,O\'Brien,https://www.linkedin.com/in/tobrien,,"Initech, Inc.",Developer,01 Jul 2016\r\n'
)


@pytest.fixture
def owner() -> User:
    return UserFactory(username="importer")


def test_it_uploads_previews_and_imports_a_linkedin_file(
    page: Page, owner: User, tmp_path: Path
) -> None:
    jill = ContactFactory(
        owner=owner,
        first_name="Jill",
        last_name="Okafor",
        linkedin_url="https://www.linkedin.com/in/jill-okafor",
    )
    PositionFactory(contact=jill, company="Northwind", title="Partner", start_date=None)
    upload = tmp_path / "Connections.csv"
    upload.write_text(CSV, encoding="utf-8")
    log_in(page, owner)
    page.get_by_role("link", name="Import & export").click()
    page.get_by_label("LinkedIn Connections.csv or data export").check()
    page.get_by_label("File").set_input_files(str(upload))
    page.get_by_label("Trust level for new contacts").select_option("met")
    page.get_by_role("button", name="Upload and preview").click()

    expect(page.get_by_role("heading", name="Preview: Connections.csv")).to_be_visible()
    expect(page.get_by_role("cell", name="Initech, Inc.")).to_be_visible()
    expect(page.get_by_text("Partner at Northwind →")).to_be_visible()
    assert Contact.objects.filter(owner=owner).count() == 1  # nothing saved yet

    page.get_by_role("button", name="Import now").click()
    expect(page.get_by_role("heading", name="Import finished")).to_be_visible()
    expect(page.get_by_role("heading", name="Job changes and promotions (1)")).to_be_visible()
    page.get_by_role("link", name="Jill Okafor").first.click()
    expect(page).to_have_url(jill.get_absolute_url())
    assert Contact.objects.get(owner=owner, first_name="Tom").trust_level == "met"


def test_the_progress_bar_polls_until_the_import_is_done(page: Page, owner: User) -> None:
    job = ImportJobFactory(
        owner=owner, status=ImportStatus.RUNNING, total_rows=10, report={"confirmed": True}
    )
    log_in(page, owner)
    page.goto(f"/contacts/import/{job.pk}/")
    expect(page.get_by_role("heading", name="Importing…")).to_be_visible()
    expect(page.locator("progress")).to_have_attribute("max", "10")
    job.status = ImportStatus.DONE
    job.created_count = 10
    job.report = {"confirmed": True, "counts": {"created": 10}}
    job.save()
    expect(page.get_by_role("heading", name="Import finished")).to_be_visible(timeout=5000)
    expect(page.locator("#import-progress")).not_to_have_attribute("hx-trigger", "every 1s")


def test_a_bad_file_shows_the_message_on_the_page(page: Page, owner: User, tmp_path: Path) -> None:
    upload = tmp_path / "contacts.vcf"
    upload.write_text("BEGIN:VCARD\nVERSION:3.0\nFN:Jill\n", encoding="utf-8")
    log_in(page, owner)
    page.goto("/contacts/import/")
    page.get_by_label("vCard (.vcf)").check()
    page.get_by_label("File").set_input_files(str(upload))
    page.get_by_role("button", name="Upload and preview").click()
    expect(page.get_by_role("alert")).to_contain_text("no END:VCARD")
