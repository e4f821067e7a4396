"""The weekly digest also carries what This week shows as waiting on the user (issue 21):
introductions at a step of theirs, and promises due within the week or overdue."""

import datetime as dt

import pytest
import time_machine
from django.contrib.auth.models import User
from django.core import mail
from django.core.mail import EmailMultiAlternatives
from django.test import Client
from django.urls import reverse

from contacts.introduction_flow import introduction_start, introduction_step
from contacts.models import Contact, Introduction, TrustLevel
from contacts.promises import promise_create
from reminders.digest import send_digest
from reminders.notify_messages import digest_message
from tests.factories import ContactFactory, NotificationChannelFactory
from tests.reminders.endpoint import Endpoint

pytestmark = pytest.mark.django_db

MONDAY = dt.date(2026, 11, 30)


@pytest.fixture(autouse=True)
def frozen() -> object:
    with time_machine.travel(dt.datetime(2026, 11, 30, 9), tick=False) as traveller:
        yield traveller


def _person(owner: User, name: str) -> Contact:
    return ContactFactory(owner=owner, first_name=name, last_name="L", trust_level=TrustLevel.CLOSE)


def _introduction(owner: User) -> Introduction:
    return introduction_start(
        owner=owner,
        first=_person(owner, "Ada"),
        second=_person(owner, "Bob"),
        reason="both row",
        today=MONDAY - dt.timedelta(days=3),
    )


def _promise(
    owner: User, contact: Contact, text: str, due_on: dt.date, made_by: str = "me"
) -> None:
    promise_create(
        owner=owner, contact=contact, made_by=made_by, text=text, due_on=due_on, today=MONDAY
    )


def _digest(user: User) -> tuple[str, str]:
    assert send_digest(user=user, week_start=MONDAY, today=MONDAY) is True
    [message] = mail.outbox
    assert isinstance(message, EmailMultiAlternatives)
    html = message.alternatives[0][0]
    assert isinstance(html, str) and isinstance(message.body, str)
    return message.body, html


def test_it_lists_the_introductions_waiting_on_me_with_a_link(user: User) -> None:
    intro = _introduction(user)
    text, html = _digest(user)
    assert "INTRODUCTIONS WAITING ON YOU" in text
    assert "Ask Ada L about meeting Bob L (waiting since Fri 27 Nov)" in text
    detail = reverse("contacts:introduction_detail", args=[intro.pk])
    assert f'href="https://rapport.example.com{detail}"' in html
    assert "Introductions waiting on you" in html


def test_an_introduction_waiting_on_them_is_not_in_it(user: User) -> None:
    intro = _introduction(user)
    introduction_step(introduction=intro, action="asked_first", today=MONDAY)
    assert send_digest(user=user, week_start=MONDAY, today=MONDAY) is False
    assert not mail.outbox


def test_it_lists_promises_due_an_overdue_one_of_mine_first(user: User) -> None:
    ada = _person(user, "Ada")
    _promise(user, ada, "lunch", MONDAY + dt.timedelta(days=2), made_by="them")
    _promise(user, ada, "the article", MONDAY - dt.timedelta(days=1))
    _promise(user, ada, "next year", MONDAY + dt.timedelta(days=40))
    text, html = _digest(user)
    assert "PROMISES DUE" in text
    mine = text.index("Ada L: I promised: the article (overdue since Sun 29 Nov)")
    theirs = text.index("Ada L: They promised: lunch (due Wed 2 Dec)")
    assert mine < theirs
    assert "next year" not in text
    assert f'href="https://rapport.example.com{ada.get_absolute_url()}"' in html


def test_it_shows_what_this_week_shows(auth_client: Client, user: User) -> None:
    _introduction(user)
    ada = _person(user, "Cleo")
    _promise(user, ada, "the slides", MONDAY + dt.timedelta(days=6))
    _promise(user, ada, "the book", MONDAY + dt.timedelta(days=8))
    week = auth_client.get(reverse("reminders:dashboard")).content.decode()
    text, _ = _digest(user)
    for shown in ("Ask Ada L about meeting Bob L", "the slides"):
        assert shown in week and shown in text
    assert "the book" not in week and "the book" not in text


def test_a_side_silent_for_a_week_is_in_it_with_the_introduction_linked(user: User) -> None:
    intro = _introduction(user)
    asked_on = MONDAY - dt.timedelta(days=9)
    introduction_step(introduction=intro, action="asked_first", today=asked_on)
    text, html = _digest(user)  # the digest's own scan raises the reminder
    assert "INTRODUCTIONS WAITING FOR AN ANSWER" in text
    assert "Ada L: hasn't answered about your introduction (asked Sat 21 Nov)" in text
    detail = reverse("contacts:introduction_detail", args=[intro.pk])
    assert f'href="https://rapport.example.com{detail}"' in html
    assert "INTRODUCTIONS WAITING ON YOU" not in text  # it waits on them, not on me


def test_a_channels_weekly_message_carries_them_too(user: User, endpoint: Endpoint) -> None:
    """The digest sent to a notification channel (ntfy, Telegram…) lists the same waiting
    introductions and promises as the email, each with its own word for the date."""
    _introduction(user)
    _promise(user, _person(user, "Cleo"), "the slides", MONDAY + dt.timedelta(days=2))
    channel = NotificationChannelFactory(
        owner=user, url=endpoint.url(), url_hint="json://", morning_message=False
    )
    message = digest_message(channel, MONDAY)
    assert message is not None
    assert "INTRODUCTIONS WAITING ON YOU" in message.body
    assert "• Ask Ada L about meeting Bob L (waiting since Fri 27 Nov)" in message.body
    assert "PROMISES DUE" in message.body
    assert "• Cleo L — I promised: the slides (due Wed 2 Dec)" in message.body
    assert message.body.index("PROMISES DUE") < message.body.index("Your week:")
