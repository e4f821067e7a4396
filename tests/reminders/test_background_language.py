"""Work done for someone without a request of theirs is in their language (issue 22):
the weekly digest, the notifications the worker sends, the calendar feed."""

import datetime as dt

import pytest
import time_machine
from django.contrib.auth.models import User
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import translation

from crm.models import UserSettings
from reminders import notify
from reminders.digest import send_digest
from reminders.models import DeliveryKind, DeliveryStatus, NotificationDelivery
from reminders.services import calendar_token_rotate
from tests.factories import ContactFactory, NotificationChannelFactory

pytestmark = pytest.mark.django_db

MONDAY = dt.date(2026, 11, 30)


def _speaks(user: User, language: str) -> UserSettings:
    prefs = UserSettings.for_user(user)
    prefs.language = language
    prefs.save()
    return prefs


@pytest.mark.parametrize(
    ("language", "week"),
    [
        ("de", "Montag, 30. November"),
        ("fr", "lundi 30 novembre"),
        ("", "Monday 30 November"),
    ],
)
def test_the_digest_is_written_in_the_persons_language(
    user: User, language: str, week: str
) -> None:
    _speaks(user, language)
    ContactFactory(owner=user, first_name="Ada", birthday_month=12, birthday_day=3)
    before = translation.get_language()
    assert send_digest(user=user, week_start=MONDAY, today=MONDAY) is True
    [message] = mail.outbox
    # The week's dates follow the language (its words do once its catalog has them).
    assert week in message.body
    assert translation.get_language() == before


def test_a_notification_is_composed_in_the_owners_language(
    user: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    _speaks(user, "pt-br")
    channel = NotificationChannelFactory(owner=user)
    delivery = NotificationDelivery.objects.create(
        channel=channel, kind=DeliveryKind.MORNING, key="morning:2026-12-03"
    )
    seen: list[str] = []

    def compose(delivery: NotificationDelivery) -> None:
        seen.append(translation.get_language())

    monkeypatch.setattr(notify, "_compose", compose)
    assert notify.deliver(delivery.pk) == DeliveryStatus.EMPTY.value
    assert seen == ["pt-br"]


def test_the_calendar_feed_is_in_its_owners_language_not_the_apps(
    client: Client, user: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    _speaks(user, "nl")
    token = calendar_token_rotate(owner=user)
    seen: list[str] = []

    def build_feed(**kwargs: object) -> bytes:
        seen.append(translation.get_language())
        return b"BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n"

    monkeypatch.setattr("reminders.views.calendar.build_feed", build_feed)
    with time_machine.travel(dt.datetime(2026, 11, 18, 12, 0, tzinfo=dt.UTC), tick=False):
        response = client.get(
            reverse("reminders:calendar_feed", args=[token]), HTTP_ACCEPT_LANGUAGE="fr"
        )
    assert response.status_code == 200
    assert seen == ["nl"]
