"""This week's board is cached per owner (reminders.board_cache): every write shows at once.

Each test opens the dashboard (which caches the board), changes something through the
real service or view, and opens it again: the change must be on the page. Also: another
user never sees someone's cached board, the page's CSRF token is the request's own,
and a cached board costs few queries.
"""

import datetime as dt
import io
import re

import pytest
import time_machine
from django.contrib.auth.models import User
from django.db import connection
from django.middleware.csrf import _does_token_match  # type: ignore[attr-defined]
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from PIL import Image

from contacts.careers import position_update
from contacts.introduction_flow import introduction_start
from contacts.models import Contact, TrustLevel
from contacts.promises import interaction_log, promise_create
from contacts.services import contact_photo_set, contact_update
from crm.models import UserSettings
from crm.services import user_settings_update
from reminders import services
from reminders.board_cache import CSRF_STAND_IN
from reminders.models import Reminder, ReminderKind
from reminders.scan import scan_user
from tests.factories import ContactFactory, PositionFactory, ReminderFactory, UserFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen")]

TODAY = dt.date(2026, 11, 18)
URL = "/reminders/"


@pytest.fixture
def answered(user: User) -> UserSettings:
    """Past the first visit's question: the board is cached from now on."""
    settings = UserSettings.for_user(user)
    user_settings_update(settings=settings, values={"sender_asked": True, "time_zone": "UTC"})
    return settings


@pytest.fixture
def maya(user: User, answered: UserSettings) -> Contact:
    return ContactFactory(owner=user, first_name="Maya", last_name="Okafor")


@pytest.fixture
def reminder(maya: Contact) -> Reminder:
    return ReminderFactory(contact=maya, due_on=TODAY + dt.timedelta(days=1))


def _page(client: Client, url: str = URL) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def _entry(reminder: Reminder) -> str:
    return f'id="reminder-{reminder.pk}"'


@pytest.mark.parametrize(
    ("action", "data"),
    [("reminder_snooze", {"for": "week"}), ("reminder_dismiss", {}), ("reminder_done", {})],
)
def test_an_action_on_an_entry_shows(
    auth_client: Client, reminder: Reminder, action: str, data: dict[str, str]
) -> None:
    assert _entry(reminder) in _page(auth_client)
    auth_client.post(reverse(f"reminders:{action}", args=[reminder.pk]), data)
    assert _entry(reminder) not in _page(auth_client)
    # Undo puts it back.
    auth_client.post(reverse("reminders:reminder_reopen", args=[reminder.pk]))
    assert _entry(reminder) in _page(auth_client)


def test_the_daily_scan_shows(auth_client: Client, user: User, answered: UserSettings) -> None:
    assert 'id="group-birthday"' not in _page(auth_client)
    # Written in bulk, as an import does: no signal; the scan moves the version itself.
    Contact.objects.bulk_create(
        [Contact(owner=user, first_name="Bo", last_name="Berg", birthday_month=11, birthday_day=19)]
    )
    scan_user(user=user, today=TODAY)
    assert 'id="group-birthday"' in _page(auth_client)


def test_a_note_draft_and_a_sent_note_show(
    auth_client: Client, user: User, maya: Contact, reminder: Reminder
) -> None:
    assert "Continue draft" not in _page(auth_client)
    draft = services.note_draft_start(
        owner=user, contact=maya, reminder=reminder, subject="Hello", body="Happy birthday!"
    )
    page = _page(auth_client)
    assert "Continue draft" in page
    assert "Note to Maya Okafor" in page
    services.note_draft_mark_sent(draft=draft, sent_on=TODAY)
    page = _page(auth_client)
    assert _entry(reminder) not in page
    assert f'id="done-{reminder.pk}"' in page
    services.note_draft_unsend(draft=draft)
    assert _entry(reminder) in _page(auth_client)


def test_a_drafts_age_is_never_stale(auth_client: Client, user: User, maya: Contact) -> None:
    services.note_draft_start(owner=user, contact=maya, reminder=None, subject="Hi", body="Hi")
    assert "0\xa0minutes" in _page(auth_client)
    with time_machine.travel(dt.datetime(2026, 11, 18, 12, 5, tzinfo=dt.UTC), tick=False):
        page = _page(auth_client)
    assert "5\xa0minutes" in page
    assert "0\xa0minutes" not in page


def test_a_promise_shows(auth_client: Client, user: User, maya: Contact) -> None:
    assert "Send Maya the deck" not in _page(auth_client)
    promise_create(
        owner=user, contact=maya, made_by="me", text="Send Maya the deck", today=TODAY, due_on=TODAY
    )
    assert "Send Maya the deck" in _page(auth_client)


def test_an_introduction_shows(auth_client: Client, user: User, answered: UserSettings) -> None:
    first = ContactFactory(owner=user, first_name="Ana", trust_level=TrustLevel.CLOSE)
    second = ContactFactory(owner=user, first_name="Bo", trust_level=TrustLevel.CLOSE)
    assert "introductions-waiting" not in _page(auth_client)
    introduction_start(owner=user, first=first, second=second, reason="climate", today=TODAY)
    assert "introductions-waiting" in _page(auth_client)


def test_a_contact_edit_shows(auth_client: Client, maya: Contact, reminder: Reminder) -> None:
    assert "Maya Okafor" in _page(auth_client)
    contact_update(contact=maya, first_name="Mira")
    assert "Mira Okafor" in _page(auth_client)


def test_a_trust_change_shows(auth_client: Client, maya: Contact, reminder: Reminder) -> None:
    contact_update(contact=maya, trust_level=TrustLevel.FOLLOWING)
    assert _entry(reminder) not in _page(auth_client)  # followed people are hidden by default
    contact_update(contact=maya, trust_level=TrustLevel.CLOSE)
    assert _entry(reminder) in _page(auth_client)


def test_a_photo_shows(auth_client: Client, maya: Contact, reminder: Reminder) -> None:
    assert "<img" not in _page(auth_client).split('id="board"')[1]
    raw = io.BytesIO()
    Image.new("RGB", (64, 64), "red").save(raw, "PNG")
    contact_photo_set(contact=maya, raw=raw.getvalue())
    assert "<img" in _page(auth_client).split('id="board"')[1]


def test_an_interaction_shows(auth_client: Client, user: User, maya: Contact) -> None:
    assert ": 0 this week." in _page(auth_client)
    interaction_log(
        owner=user, today=TODAY, kind="call", occurred_on=TODAY, summary="Catch-up",
        contacts=[maya],
    )  # fmt: skip
    assert ": 1 this week." in _page(auth_client)


def test_a_position_change_shows(auth_client: Client, user: User, maya: Contact) -> None:
    position = PositionFactory(contact=maya, company="Acme", title="Director")
    ReminderFactory(
        contact=maya, kind=ReminderKind.JOB_CHANGE, position=position, due_on=TODAY
    )  # fmt: skip
    assert "Acme" in _page(auth_client)
    position_update(
        position=position, company="Northwind", title="Partner", start_date=None, end_date=None
    )
    page = _page(auth_client)
    assert "Northwind" in page
    assert "Acme" not in page


def test_a_custom_date_change_shows(auth_client: Client, maya: Contact) -> None:
    custom = services.custom_date_create(
        contact=maya, label="Gallery opening", date=TODAY, yearly=False
    )
    ReminderFactory(contact=maya, kind=ReminderKind.CUSTOM, custom_date=custom, due_on=TODAY)
    assert "Gallery opening" in _page(auth_client)
    services.custom_date_update(custom_date=custom, label="Book launch", date=TODAY, yearly=False)
    assert "Book launch" in _page(auth_client)


def test_settings_show(auth_client: Client, user: User, answered: UserSettings) -> None:
    ContactFactory(
        owner=user, trust_level=TrustLevel.CLOSE, last_interaction_on=TODAY - dt.timedelta(days=40)
    )
    assert 'glance__number--alert">1<' in _page(auth_client)
    user_settings_update(settings=answered, values={"cadence_close": 100})
    assert 'glance__number">0<' in _page(auth_client)
    # The language (here the browser's): month names in the chart's table (Oktober: "Okt").
    assert "Okt" not in _page(auth_client)
    german = auth_client.get(URL, headers={"Accept-Language": "de"}).content.decode()
    assert "Okt" in german


def test_the_time_zone_shows(
    auth_client: Client, answered: UserSettings, reminder: Reminder
) -> None:
    assert 'class="badge" title="Due 19 Nov 2026">tomorrow<' in _page(auth_client)
    # Already tomorrow in Kiritimati (UTC+14): the entry is due today.
    user_settings_update(settings=answered, values={"time_zone": "Pacific/Kiritimati"})
    assert 'class="badge" title="Due 19 Nov 2026">today<' in _page(auth_client)


def test_another_user_never_sees_the_cached_board(
    auth_client: Client, reminder: Reminder, client: Client
) -> None:
    assert "Maya Okafor" in _page(auth_client)
    other = UserFactory()
    user_settings_update(settings=UserSettings.for_user(other), values={"sender_asked": True})
    client.force_login(other)
    assert "Maya Okafor" not in _page(client)
    assert "Maya Okafor" not in _page(client)


def test_the_csrf_token_is_the_requests_own(auth_client: Client, reminder: Reminder) -> None:
    for headers in ({}, {"HX-Request": "true"}):
        for _ in range(2):  # the second comes from the cache
            response = auth_client.get(URL, headers=headers)
            html = response.content.decode()
            assert CSRF_STAND_IN not in html
            tokens = set(re.findall(r'name="csrfmiddlewaretoken" value="([^"]+)"', html))
            assert tokens
            secret = auth_client.cookies["csrftoken"].value
            assert all(_does_token_match(token, secret) for token in tokens)


def test_a_cached_board_costs_few_queries(auth_client: Client, reminder: Reminder) -> None:
    _page(auth_client)
    for headers in ({}, {"HX-Request": "true"}):
        with CaptureQueriesContext(connection) as queries:
            auth_client.get(URL, headers=headers)
        assert len(queries) <= 4, [q["sql"] for q in queries]
