"""The weekly digest: on the user's day, once per week, with links back."""

import datetime as dt

import pytest
import time_machine
from django.contrib.auth.models import User
from django.core import mail
from django.core.mail import EmailMultiAlternatives
from django.core.management import call_command

from contacts.models import Contact, TrustLevel
from crm.models import UserSettings, Weekday
from reminders.digest import digest_week_start, due_digests, send_digest
from reminders.models import DigestLog, ReminderStatus
from reminders.scan import scan_user
from reminders.tasks import send_due_digests
from tests.factories import ContactFactory, PositionFactory, UserFactory

MONDAY = dt.date(2026, 11, 30)


@pytest.fixture
def ada(user: User) -> Contact:
    contact = ContactFactory(
        owner=user, first_name="Ada", last_name="Lovelace", birthday_month=12, birthday_day=3
    )
    PositionFactory(contact=contact, company="Analytical", start_date=dt.date(2025, 12, 4))
    return contact


@pytest.mark.django_db
def test_it_sends_the_week_ahead_as_text_and_html_with_links(user: User, ada: Contact) -> None:
    ContactFactory(owner=user, first_name="Later", birthday_month=12, birthday_day=20)
    assert send_digest(user=user, week_start=MONDAY, today=MONDAY) is True
    [message] = mail.outbox
    assert message.to == ["alice@example.com"]
    assert "Ada Lovelace" in message.body
    assert "Birthday" in message.body and "1 year at Analytical" in message.body
    assert "Later" not in message.body
    assert f"https://rapport.example.com/contacts/{ada.pk}/" in message.body
    assert "https://rapport.example.com/reminders/settings/" in message.body
    assert isinstance(message, EmailMultiAlternatives)
    html, mimetype = message.alternatives[0]
    assert mimetype == "text/html" and isinstance(html, str)
    assert f'href="https://rapport.example.com/contacts/{ada.pk}/' in html
    assert DigestLog.objects.get(owner=user).reminder_count == 2


@pytest.mark.django_db
def test_it_sends_a_weeks_digest_once_even_when_run_twice(user: User, ada: Contact) -> None:
    assert send_digest(user=user, week_start=MONDAY, today=MONDAY) is True
    assert send_digest(user=user, week_start=MONDAY, today=MONDAY) is False
    call_command("send_digest", date="2026-11-30", user="alice")
    assert len(mail.outbox) == 1
    assert DigestLog.objects.count() == 1
    # The next week is a new digest week (with nothing in it: recorded, not sent).
    next_monday = MONDAY + dt.timedelta(days=7)
    assert send_digest(user=user, week_start=next_monday, today=next_monday) is False
    assert DigestLog.objects.count() == 2


@pytest.mark.django_db
def test_it_escapes_contact_names_in_the_html(user: User) -> None:
    ContactFactory(owner=user, first_name="<b>Eve</b>", birthday_month=12, birthday_day=2)
    send_digest(user=user, week_start=MONDAY, today=MONDAY)
    message = mail.outbox[0]
    assert isinstance(message, EmailMultiAlternatives)
    html = str(message.alternatives[0][0])
    assert "<b>Eve</b>" not in html and "&lt;b&gt;Eve&lt;/b&gt;" in html


@pytest.mark.django_db
def test_it_leaves_out_dismissed_reminders_and_people_only_followed(
    user: User, ada: Contact
) -> None:
    ContactFactory(
        owner=user,
        first_name="Fan",
        trust_level=TrustLevel.FOLLOWING,
        birthday_month=12,
        birthday_day=2,
    )
    scan_user(user=user, today=MONDAY)
    ada.reminders.filter(kind="birthday").update(status=ReminderStatus.DISMISSED)
    send_digest(user=user, week_start=MONDAY, today=MONDAY)
    body = mail.outbox[0].body
    assert "Birthday" not in body and "Fan" not in body and "1 year at Analytical" in body


@pytest.mark.django_db
def test_it_sends_nothing_for_an_empty_week_or_when_turned_off(user: User, ada: Contact) -> None:
    other = UserFactory(username="bob")
    assert send_digest(user=other, week_start=MONDAY, today=MONDAY) is False
    prefs = UserSettings.for_user(user)
    prefs.digest_enabled = False
    prefs.save()
    assert send_digest(user=user, week_start=MONDAY, today=MONDAY) is False
    assert mail.outbox == []


@pytest.mark.django_db
def test_it_is_due_on_the_users_weekday_from_the_morning_in_their_zone(
    user: User, ada: Contact
) -> None:
    prefs = UserSettings.for_user(user)
    prefs.digest_weekday = Weekday.TUESDAY
    prefs.time_zone = "America/New_York"
    prefs.save()
    tuesday = dt.date(2026, 12, 1)
    assert digest_week_start(prefs, dt.date(2026, 12, 4)) == tuesday
    # 11:00 UTC on Tuesday is 06:00 in New York: too early.
    assert due_digests(now=dt.datetime(2026, 12, 1, 11, 0, tzinfo=dt.UTC)) == []
    due = due_digests(now=dt.datetime(2026, 12, 1, 13, 0, tzinfo=dt.UTC))
    assert due == [(user.pk, tuesday)]
    # Monday is not the day; a week later, after being sent, it is not due again.
    assert due_digests(now=dt.datetime(2026, 11, 30, 15, 0, tzinfo=dt.UTC)) == []
    DigestLog.objects.create(owner=user, week_start=tuesday)
    assert due_digests(now=dt.datetime(2026, 12, 1, 15, 0, tzinfo=dt.UTC)) == []


@pytest.mark.django_db
def test_the_hourly_task_sends_each_due_digest_once(user: User, ada: Contact) -> None:
    with time_machine.travel(dt.datetime(2026, 11, 30, 9, 15, tzinfo=dt.UTC), tick=False):
        assert send_due_digests.delay().get() == 1
        assert send_due_digests.delay().get() == 0
    assert len(mail.outbox) == 1
    assert DigestLog.objects.get().week_start == MONDAY


@pytest.mark.django_db
def test_the_command_sends_due_digests_for_a_given_date(
    user: User, ada, capsys: pytest.CaptureFixture[str]
) -> None:
    call_command("send_digest", date="2026-12-01")  # a Tuesday: not alice's day
    assert capsys.readouterr().out.strip() == "sent=0"
    call_command("send_digest", date="2026-11-30")
    call_command("send_digest", date="2026-11-30")
    assert capsys.readouterr().out.split() == ["sent=1", "sent=0"]
    assert len(mail.outbox) == 1
