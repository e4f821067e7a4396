"""The cached reads (api/read_cache.py): answered again cheaply, never one change behind,
never another user's, and always after the token and the throttle are checked."""

import datetime as dt
from collections.abc import Callable

import pytest
import time_machine
from django.contrib.auth.models import User
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext

from api.models import AccessToken
from contacts.models import Contact
from contacts.services import contact_tags_add
from crm.data_version import data_changed, data_version
from crm.models import UserSettings
from reminders.models import Reminder, ReminderStatus
from tests.api.conftest import TODAY, ApiClient
from tests.factories import ContactEmailFactory, ContactFactory, ReminderFactory, log_interaction

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen")]

CONTACTS = "/api/v1/contacts"
WEEK = "/api/v1/reminders/this-week"


def _body(api: ApiClient, url: str) -> bytes:
    response = api.get(url)
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"
    return bytes(response.content)


def _fresh(api: ApiClient, url: str, user: User) -> bytes:
    data_changed(user.pk)
    return _body(api, url)


def test_a_read_again_is_answered_from_the_cache(api: ApiClient, user: User) -> None:
    ContactFactory(owner=user)
    ReminderFactory(contact=ContactFactory(owner=user), due_on=TODAY.date())
    for url in (CONTACTS, WEEK):
        first = _body(api, url)
        with CaptureQueriesContext(connection) as captured:
            again = api.get(url)
        assert again.content == first
        assert again["Content-Type"] == "application/json; charset=utf-8"
        assert again["Cache-Control"] == "private, no-store"
        assert len(captured) == 1  # the token (with its owner and settings), nothing more


def _contact(user: User) -> Contact:
    return Contact.objects.get(owner=user, first_name="Ana")


def _renamed(api: ApiClient, user: User) -> None:
    contact = _contact(user)
    contact.last_name = "Lima"
    contact.save()


CONTACT_WRITES: dict[str, Callable[[ApiClient, User], object]] = {
    "api create": lambda api, user: api.post(CONTACTS, {"first_name": "Bo"}),
    "api update": lambda api, user: api.patch(
        f"{CONTACTS}/{_contact(user).pk}", {"trust_level": "close"}
    ),
    "save": _renamed,
    "tag (many-to-many)": lambda api, user: contact_tags_add(
        owner=user, tags=[(_contact(user).pk, ["sailing"])]
    ),
    "email": lambda api, user: ContactEmailFactory(contact=_contact(user)),
    "api delete": lambda api, user: api.delete(f"{CONTACTS}/{_contact(user).pk}"),
    "delete": lambda api, user: _contact(user).delete(),
}


@pytest.mark.parametrize("name", list(CONTACT_WRITES))
def test_each_write_shows_on_the_next_contacts_read(api: ApiClient, user: User, name: str) -> None:
    ContactFactory(owner=user, first_name="Ana", last_name="Berg", trust_level="met")
    before = _body(api, CONTACTS)
    assert _body(api, CONTACTS) == before  # cached
    CONTACT_WRITES[name](api, user)
    after = _body(api, CONTACTS)
    assert after != before
    assert after == _fresh(api, CONTACTS, user)


def _reminder(user: User) -> Reminder:
    return Reminder.objects.get(owner=user)


def _reminder_done(api: ApiClient, user: User) -> None:
    reminder = _reminder(user)
    reminder.status = ReminderStatus.DONE
    reminder.save()


def _moved_time_zone(api: ApiClient, user: User) -> None:
    settings = UserSettings.for_user(user)
    settings.time_zone = "Pacific/Kiritimati"  # already tomorrow there
    settings.save()


def _bulk_renamed(api: ApiClient, user: User) -> None:
    Contact.objects.filter(owner=user).update(first_name="Cy")  # sends no signal:
    data_changed(user.pk)  # a bulk write says so itself


WEEK_WRITES: dict[str, Callable[[ApiClient, User], object]] = {
    "api snooze": lambda api, user: api.post(
        f"/api/v1/reminders/{_reminder(user).pk}/snooze", {"days": 3}
    ),
    "save": _reminder_done,
    "new reminder": lambda api, user: ReminderFactory(
        contact=ContactFactory(owner=user), due_on=TODAY.date()
    ),
    "interaction": lambda api, user: log_interaction(
        user, [_reminder(user).contact], on=TODAY.date() - dt.timedelta(days=40)
    ),
    "bulk rename": _bulk_renamed,
    "time zone": _moved_time_zone,
}


@pytest.mark.parametrize("name", list(WEEK_WRITES))
def test_each_write_shows_on_the_next_this_week_read(api: ApiClient, user: User, name: str) -> None:
    ana = ContactFactory(owner=user, first_name="Ana", birthday_year=1986)
    ReminderFactory(contact=ana, due_on=TODAY.date() + dt.timedelta(days=1))
    before = _body(api, WEEK)
    assert _body(api, WEEK) == before
    WEEK_WRITES[name](api, user)
    after = _body(api, WEEK)
    assert after != before
    assert after == _fresh(api, WEEK, user)


def test_a_new_day_is_read_afresh(api: ApiClient, user: User) -> None:
    ReminderFactory(contact=ContactFactory(owner=user), due_on=TODAY.date() + dt.timedelta(days=1))
    before = _body(api, WEEK)
    with time_machine.travel(TODAY + dt.timedelta(days=1), tick=False):
        assert _body(api, WEEK) != before


def test_another_users_token_never_reads_the_cache(
    api: ApiClient, make_api: Callable[..., ApiClient], user: User, other_user: User
) -> None:
    ContactFactory(owner=user, first_name="Ana")
    ReminderFactory(contact=ContactFactory(owner=user), due_on=TODAY.date())
    theirs = make_api(other_user)
    for url in (CONTACTS, WEEK):
        # Even at the same data version (both start from the clock, frozen here).
        while data_version(other_user.pk) != data_version(user.pk):
            data_changed(min((user.pk, other_user.pk), key=data_version))
        mine = _body(api, url)
        assert _body(api, url) == mine
        assert _body(theirs, url) != mine
        assert theirs.get(url).json()["items"] == []


def test_the_whole_query_is_part_of_the_key(api: ApiClient, user: User) -> None:
    for name in ("Ana", "Bo", "Cy"):
        ContactFactory(owner=user, first_name=name, last_name=name)
    first = api.get(CONTACTS, {"limit": 1}).json()
    assert api.get(CONTACTS, {"limit": 2}).json()["items"][:1] == first["items"]
    assert len(api.get(CONTACTS, {"limit": 2}).json()["items"]) == 2
    second = api.get(CONTACTS, {"limit": 1, "cursor": first["next_cursor"]}).json()
    assert second["items"][0]["first_name"] == "Bo"
    assert api.get(CONTACTS, {"limit": 1, "order": "updated"}).status_code == 200
    assert api.get(CONTACTS, {"limit": 1, "cursor": "nonsense"}).status_code == 422


def test_the_token_and_the_throttle_are_checked_before_the_cache(user: User) -> None:
    token, secret = AccessToken.issue(owner=user, name="script", scope="read")
    api = ApiClient(secret)
    _body(api, CONTACTS)
    with override_settings(API_REQUESTS_PER_MINUTE=1):
        assert api.get(CONTACTS).status_code == 429
    AccessToken.objects.filter(pk=token.pk).delete()
    assert api.get(CONTACTS).status_code == 401
