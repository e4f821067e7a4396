"""Import in a browser: upload, preview, import, result; the progress bar polls until done."""

from pathlib import Path

import pytest
from django.contrib.auth.models import User
from django.core.cache import cache
from playwright.sync_api import Page, expect

from contacts.importers.jobs import PROGRESS_KEY
from contacts.models import Contact, ImportStatus
from tests.e2e.conftest import log_in, open_as
from tests.factories import ContactFactory, ImportJobFactory, PositionFactory

pytestmark = pytest.mark.django_db(transaction=True)

CSV = (
    'Notes:\r\n"Some emails may be missing."\r\n\r\n'
    "First Name,Last Name,URL,Email Address,Company,Position,Connected On\r\n"
    "Jill,Okafor,https://www.linkedin.com/in/jill-okafor,,Contoso,Partner,14 Mar 2019\r\n"
    'Tom,O\'Brien,https://www.linkedin.com/in/tobrien,,"Initech, Inc.",Developer,01 Jul 2016\r\n'
)


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
    # The file form, not the Monica form beside it (which asks for a trust level too).
    importing = page.get_by_role("region", name="Import", exact=True)
    importing.get_by_label("LinkedIn Connections.csv or data export").check()
    importing.get_by_label("File").set_input_files(str(upload))
    importing.get_by_label("Trust level for new contacts").select_option("met")
    importing.get_by_role("button", name="Upload and preview").click()

    expect(page.get_by_role("heading", name="Preview: Connections.csv")).to_be_visible()
    expect(page.get_by_role("cell", name="Initech, Inc.")).to_be_visible()
    expect(page.get_by_text("Partner at Northwind →")).to_be_visible()
    assert Contact.objects.filter(owner=owner).count() == 1  # nothing saved yet

    page.get_by_role("button", name="Import now").click()
    expect(page.get_by_role("heading", name="Import finished")).to_be_visible()
    expect(page.locator("#import-announcement")).to_have_text(
        "Import finished: 1 new contact, 1 updated, 1 job change or promotion, 0 skipped."
    )
    expect(page.get_by_role("heading", name="Job changes and promotions (1)")).to_be_visible()
    page.get_by_role("link", name="Jill Okafor").first.click()
    expect(page).to_have_url(jill.get_absolute_url())
    assert Contact.objects.get(owner=owner, first_name="Tom").trust_level == "met"


# Records every change of the live region's words, and marks its node to show it is kept.
WATCH_ANNOUNCEMENTS = """() => {
  const region = document.getElementById("import-announcement");
  region.dataset.watched = "yes";
  window.announced = [];
  new MutationObserver(() => window.announced.push(region.textContent.trim()))
    .observe(region, {childList: true, characterData: true, subtree: true});
}"""


def test_the_progress_bar_polls_until_the_import_is_done(page: Page, owner: User) -> None:
    """The bar moves every second; screen readers hear only the milestones, once each."""
    job = ImportJobFactory(
        owner=owner, status=ImportStatus.RUNNING, total_rows=20, report={"confirmed": True}
    )
    open_as(page, owner, f"/contacts/import/{job.pk}/")
    expect(page.get_by_role("heading", name="Importing…")).to_be_visible()
    expect(page.locator("progress")).to_have_attribute("max", "20")
    announcement = page.get_by_role("status").filter(has_text="Import started")
    expect(announcement).to_have_text("Import started: 0 of 20 rows.")
    page.evaluate(WATCH_ANNOUNCEMENTS)

    cache.set(PROGRESS_KEY.format(pk=job.pk), 10)
    expect(page.locator("#import-count")).to_have_text("10 of 20 rows")
    page.wait_for_timeout(2500)  # a few more polls at the same milestone
    cache.set(PROGRESS_KEY.format(pk=job.pk), 11)  # still the same tenth
    expect(page.locator("#import-bar")).to_have_attribute("value", "11")
    job.status = ImportStatus.DONE
    job.created_count = 20
    job.report = {"confirmed": True, "counts": {"created": 20}}
    job.save()
    expect(page.get_by_role("heading", name="Import finished")).to_be_visible(timeout=5000)
    final = "Import finished: 20 new contacts, 0 updated, 0 job changes or promotions, 0 skipped."
    expect(page.locator("#import-announcement")).to_have_text(final)
    page.wait_for_timeout(1500)  # the poll has stopped: nothing more is said
    assert page.evaluate("window.announced") == ["Importing: 50% (10 of 20 rows).", final]
    expect(page.locator("#import-announcement")).to_have_attribute("data-watched", "yes")
    expect(page.locator("[hx-trigger]")).to_have_count(0)


def test_a_bad_file_shows_the_message_on_the_page(page: Page, owner: User, tmp_path: Path) -> None:
    upload = tmp_path / "contacts.vcf"
    upload.write_text("BEGIN:VCARD\nVERSION:3.0\nFN:Jill\n", encoding="utf-8")
    open_as(page, owner, "/contacts/import/")
    page.get_by_label("vCard (.vcf)").check()
    page.get_by_label("File").set_input_files(str(upload))
    page.get_by_role("button", name="Upload and preview").click()
    expect(page.get_by_role("alert")).to_contain_text("no END:VCARD")


def test_without_javascript_the_page_refreshes_itself_until_done(
    nojs_page: Page, owner: User
) -> None:
    job = ImportJobFactory(
        owner=owner, status=ImportStatus.RUNNING, total_rows=4, report={"confirmed": True}
    )
    open_as(nojs_page, owner, f"/contacts/import/{job.pk}/")
    expect(nojs_page.get_by_role("heading", name="Importing…")).to_be_visible()
    expect(nojs_page.get_by_role("link", name="Refresh")).to_be_visible()
    job.status = ImportStatus.DONE
    job.created_count = 4
    job.save()
    expect(nojs_page.get_by_role("heading", name="Import finished")).to_be_visible(timeout=5000)
    expect(nojs_page.locator("#import-announcement")).to_contain_text("4 new contacts")
