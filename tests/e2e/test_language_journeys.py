"""The Monday routine in German and in Brazilian Portuguese (issue 22): the dashboard, a
drafted note, a logged interaction, with no English left on those pages but names and data.

English left is any word of the English source strings (the catalog's msgids) on the page
that the language's own translations never use ("Partner" or "Status" read the same in
German and pass), leaving out the journey's names and data.
"""

import datetime as dt
import re
from pathlib import Path

import pytest
from django.contrib.auth.models import User
from django.utils import translation
from django.utils.formats import date_format
from playwright.sync_api import Page, expect

from contacts.models import Contact, Interaction
from crm.models import UserSettings
from reminders.models import Reminder
from tests.e2e.conftest import browser_page, maya_changed_jobs
from tests.i18n_checks import read_po

pytestmark = pytest.mark.django_db(transaction=True)

LOCALE = Path(__file__).resolve().parents[2] / "crm" / "locale"
WORD = re.compile(r"[^\W\d_][^\W\d_'\u2019-]{2,}")
# The journey's people and data (tests/e2e/conftest.maya_changed_jobs and below), and
# names that read the same everywhere.
DATA_TEXT = """Maya Okafor Northwind Ventures Partner We met at PyCon Berlin, queueing for the
    climbing social; Coffee near the office; journey Sam; Rapport LinkedIn mailto"""


# Everything a person reads: the text, and what screen readers say for controls.
READABLE = """() => [document.title, document.body.innerText,
  ...[...document.querySelectorAll('[aria-label],[title],[placeholder],[alt]')].map((e) =>
    ['aria-label', 'title', 'placeholder', 'alt'].map((a) => e.getAttribute(a) || '').join(' ')),
  ...[...document.querySelectorAll('option')].map((o) => o.textContent)].join(' ')"""


def _words(text: str) -> set[str]:
    return {w.lower() for w in WORD.findall(text)}


def _vocabularies(folder: str) -> tuple[set[str], set[str]]:
    english: set[str] = set()
    translated: set[str] = set()
    for domain in ("django", "djangojs"):
        path = LOCALE / folder / "LC_MESSAGES" / f"{domain}.po"
        if not path.exists():
            continue
        for entry in read_po(path.read_text()):
            if entry.msgid and not entry.obsolete:
                english |= _words(re.sub(r"%\(\w+\)s|\{\w+\}|<[^>]+>", " ", entry.msgid))
                english |= _words(entry.plural or "")
                translated |= _words(" ".join(entry.translations))
    return english, translated


def _date_words() -> set[str]:
    """The active language's day and month names, whole and short ("set." is setembro)."""
    days = [dt.date(2026, month, 1) for month in range(1, 13)]
    days += [dt.date(2026, 6, day) for day in range(1, 8)]
    return _words(" ".join(date_format(day, "D l N b F M E") for day in days))


def _english_left(page: Page, folder: str) -> list[str]:
    english, translated = _vocabularies(folder)
    assert english, f"no catalog for {folder}"
    seen = _words(page.evaluate(READABLE))
    with translation.override(page.locator("html").get_attribute("lang")):
        dates = _date_words()
    return sorted((seen & english) - translated - dates - _words(DATA_TEXT))


@pytest.mark.parametrize(
    ("language", "folder", "browser_locale", "greeting"),
    [("de", "de", "de-DE", "Hallo Maya,"), ("pt-br", "pt_BR", "pt-BR", "Oi, Maya!")],
)
def test_the_monday_routine_has_no_english_left(
    browser,
    live_server,
    owner: User,
    language: str,
    folder: str,
    browser_locale: str,
    greeting: str,
) -> None:
    UserSettings.objects.update_or_create(
        user=owner, defaults={"language": language, "sender_asked": True, "display_name": "Sam"}
    )
    reminder: Reminder = maya_changed_jobs(owner)
    maya: Contact = reminder.contact
    with browser_page(browser, live_server, locale=browser_locale) as page:
        page.goto("/accounts/login/")
        assert page.locator("html").get_attribute("lang") == language
        assert _english_left(page, folder) == []
        page.locator("input[name=login]").fill(owner.username)
        page.locator("input[name=password]").fill("correct horse battery staple")
        page.locator("input[name=password]").press("Enter")
        page.wait_for_url("**/reminders/**")

        # This week, in the person's language.
        expect(page.locator(f"#reminder-{reminder.pk}")).to_contain_text("Maya Okafor")
        assert page.locator("html").get_attribute("lang") == language
        assert _english_left(page, folder) == []

        # Draft a note: the template of their language.
        page.locator(f"#reminder-{reminder.pk} button[name=reminder]").first.click()
        body = page.locator("textarea[name=body]")
        expect(body).to_have_value(re.compile("^" + re.escape(greeting)))
        assert _english_left(page, folder) == []

        # Log an interaction with Maya.
        page.goto(maya.get_absolute_url())
        assert _english_left(page, folder) == []
        timeline = page.locator("#timeline")
        timeline.locator("summary").first.click()
        timeline.locator("input[name=summary]").fill("Coffee near the office")
        timeline.locator("button[type=submit]").first.click()
        expect(page.locator("#timeline-items li").first).to_contain_text("Coffee near the office")
        assert Interaction.objects.filter(contacts=maya).exists()
        assert _english_left(page, folder) == []
