"""The private calendar feed: settings page, token lifecycle, and a parseable feed."""

import datetime as dt

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse
from icalendar import Calendar

from crm.models import UserSettings
from reminders.services import calendar_token_rotate
from tests.factories import ContactFactory, PositionFactory
from tests.types import ClientResponse

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen")]


def _enable(client: Client) -> str:
    response = client.post(reverse("reminders:calendar_settings"), {"action": "enable"})
    assert response.status_code == 302
    user = response.wsgi_request.user
    assert isinstance(user, User)
    token = user.rapport_settings.calendar_token
    assert token is not None
    return token


def _feed(client: Client, token: str) -> ClientResponse:
    return client.get(reverse("reminders:calendar_feed", args=[token]))


def test_it_starts_off_and_can_be_turned_on(auth_client: Client, user: User) -> None:
    page = auth_client.get(reverse("reminders:calendar_settings"))
    assert page.status_code == 200
    assert "Turn on the calendar feed" in page.content.decode()
    token = _enable(auth_client)
    assert token and len(token) >= 40
    html = auth_client.get(reverse("reminders:calendar_settings")).content.decode()
    assert f"/reminders/calendar/{token}.ics" in html
    assert "webcal://" in html


def test_it_serves_a_feed_a_real_parser_reads(user: User) -> None:
    ContactFactory(
        owner=user,
        first_name="Maya",
        last_name="Okafor",
        birthday_month=3,
        birthday_day=4,
        birthday_year=1986,
    )
    PositionFactory(
        contact=ContactFactory(owner=user, first_name="Jon", last_name="Berg"),
        company="Acme",
        title="VP Engineering",
        start_date=dt.date(2022, 3, 3),
    )
    ContactFactory(owner=user, first_name="Far", birthday_month=12, birthday_day=1)
    token = calendar_token_rotate(owner=user)
    response = _feed(Client(), token)  # calendar apps do not log in
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert "private" in response["Cache-Control"]
    calendar = Calendar.from_ical(response.content)
    assert calendar["VERSION"] == "2.0"
    events = {str(e["SUMMARY"]): e for e in calendar.walk("VEVENT")}
    birthday = events["Birthday: Maya Okafor"]
    assert birthday.decoded("DTSTART") == dt.date(2027, 3, 4)
    assert birthday.decoded("DTEND") == dt.date(2027, 3, 5)
    assert "41" in str(birthday["DESCRIPTION"])
    assert any(summary.startswith("Birthday: Far ") for summary in events)
    anniversary = events["Work anniversary: Jon Berg"]
    assert anniversary.decoded("DTSTART") == dt.date(2027, 3, 3)
    uids = [str(e["UID"]) for e in calendar.walk("VEVENT")]
    assert len(uids) == len(set(uids))
    # Twelve months ahead, nothing further.
    assert all(
        dt.date(2026, 11, 18) <= e.decoded("DTSTART") <= dt.date(2027, 11, 18)
        for e in calendar.walk("VEVENT")
    )


def test_it_leaves_other_users_people_out(user: User, other_user: User) -> None:
    ContactFactory(owner=other_user, first_name="Secret", birthday_month=1, birthday_day=2)
    token = calendar_token_rotate(owner=user)
    assert b"Secret" not in _feed(Client(), token).content


def test_it_404s_for_a_wrong_token_revealing_nothing(user: User) -> None:
    ContactFactory(owner=user, first_name="Maya", birthday_month=3, birthday_day=4)
    calendar_token_rotate(owner=user)
    response = _feed(Client(), "not-the-token")
    assert response.status_code == 404
    assert b"Maya" not in response.content and b"VCALENDAR" not in response.content


def test_it_stops_serving_a_revoked_token(auth_client: Client, user: User) -> None:
    token = _enable(auth_client)
    assert _feed(Client(), token).status_code == 200
    auth_client.post(reverse("reminders:calendar_settings"), {"action": "revoke"})
    assert UserSettings.for_user(user).calendar_token is None
    assert _feed(Client(), token).status_code == 404
    assert (
        "Turn on the calendar feed"
        in auth_client.get(reverse("reminders:calendar_settings")).content.decode()
    )


def test_it_regenerates_a_new_address_and_retires_the_old(auth_client: Client) -> None:
    old = _enable(auth_client)
    auth_client.post(reverse("reminders:calendar_settings"), {"action": "regenerate"})
    new = UserSettings.objects.get().calendar_token
    assert new and new != old
    assert _feed(Client(), old).status_code == 404
    assert _feed(Client(), new).status_code == 200


def test_it_ignores_an_unknown_action(auth_client: Client, user: User) -> None:
    response = auth_client.post(reverse("reminders:calendar_settings"), {"action": "explode"})
    assert response.status_code == 302
    assert UserSettings.for_user(user).calendar_token is None


def test_it_does_not_serve_an_inactive_users_feed(user: User) -> None:
    token = calendar_token_rotate(owner=user)
    user.is_active = False
    user.save()
    assert _feed(Client(), token).status_code == 404
