"""Keep-in-touch rounds go through the reminder services: snooze, and settling on a new touch."""

from collections.abc import Iterator
from datetime import timedelta

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from contacts.relationships import interaction_delete
from crm.models import UserSettings
from reminders import services
from reminders.keep_in_touch import due_contacts
from reminders.keys import keep_in_touch_key
from reminders.models import Reminder, ReminderKind, ReminderStatus
from reminders.scan import scan_user
from tests.factories import NoteDraftFactory, log_interaction
from tests.reminders.overdue import TODAY, on_today, overdue_contact, overdue_round

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def frozen() -> Iterator[object]:
    with on_today() as traveller:
        yield traveller


def test_snoozing_a_round_marked_done_clears_its_completion(user: User) -> None:
    contact = overdue_contact(user)
    services.reminder_complete(reminder=overdue_round(contact))

    reminder = services.keep_in_touch_snooze(contact=contact, today=TODAY, days=14)

    reminder.refresh_from_db()
    assert reminder.status == ReminderStatus.SNOOZED
    assert reminder.snoozed_until == TODAY + timedelta(days=14)
    assert reminder.completed_at is None


def test_the_losing_touch_snooze_goes_through_the_reminder_service(
    auth_client: Client, user: User
) -> None:
    contact = overdue_contact(user)
    services.reminder_dismiss(reminder=overdue_round(contact))
    url = reverse("contacts:keep_in_touch_snooze", args=[contact.pk])

    assert auth_client.post(url, {"days": "7"}).status_code == 302

    reminder = overdue_round(contact)
    assert (reminder.status, reminder.completed_at) == (ReminderStatus.SNOOZED, None)
    assert reminder.snoozed_until == TODAY + timedelta(days=7)
    assert Reminder.objects.filter(contact=contact).count() == 1


def test_it_makes_the_rounds_reminder_when_the_scan_has_not_yet(user: User) -> None:
    contact = overdue_contact(user)
    Reminder.objects.all().delete()
    reminder = services.keep_in_touch_snooze(contact=contact, today=TODAY, days=30)
    assert reminder.occasion_key == keep_in_touch_key(TODAY - timedelta(days=10))
    assert reminder.owner == user and reminder.status == ReminderStatus.SNOOZED


def test_logging_an_interaction_settles_the_open_round_at_once(user: User) -> None:
    contact = overdue_contact(user)
    assert overdue_round(contact).status == ReminderStatus.OPEN

    log_interaction(user, [contact], on=TODAY, summary="Lunch")

    settled = overdue_round(contact)
    assert settled.status == ReminderStatus.DONE and settled.completed_at is not None
    assert not Reminder.objects.filter(status=ReminderStatus.OPEN).exists()


def test_a_backdated_interaction_that_leaves_them_due_raises_the_next_round(
    user: User,
) -> None:
    contact = overdue_contact(user)
    log_interaction(user, [contact], on=TODAY - timedelta(days=35), summary="Quick call")
    assert overdue_round(contact).status == ReminderStatus.DONE
    fresh = Reminder.objects.get(status=ReminderStatus.OPEN)
    assert fresh.due_on == TODAY - timedelta(days=5)


def test_a_snooze_of_an_earlier_round_never_comes_back_after_a_conversation(user: User) -> None:
    contact = overdue_contact(user)
    services.keep_in_touch_snooze(contact=contact, today=TODAY, days=7)
    log_interaction(user, [contact], on=TODAY, summary="Lunch")
    old = overdue_round(contact)
    assert (old.status, old.snoozed_until) == (ReminderStatus.DONE, None)
    # A week on, the snooze would have ended: nothing comes back to the dashboard.
    scan_user(user=user, today=TODAY + timedelta(days=7))
    assert not Reminder.objects.filter(
        kind=ReminderKind.KEEP_IN_TOUCH, status__in=[ReminderStatus.OPEN, ReminderStatus.SNOOZED]
    ).exists()


def test_a_settled_round_stays_done_after_the_conversation_is_deleted_until_reopened(
    user: User,
) -> None:
    contact = overdue_contact(user)
    prefs = UserSettings.for_user(user)
    lunch = log_interaction(user, [contact], on=TODAY, summary="Lunch")
    interaction_delete(interaction=lunch)
    # The clock is back at the call 40 days ago, whose round was settled: it stays done
    # (in the dashboard's Done list, where Reopen brings it back everywhere at once).
    assert overdue_round(contact).status == ReminderStatus.DONE
    assert list(due_contacts(user, prefs, TODAY)) == []
    services.reminder_reopen(reminder=overdue_round(contact))
    assert list(due_contacts(user, prefs, TODAY)) == [contact]


def test_mark_as_sent_settles_the_keep_in_touch_round_too(user: User) -> None:
    contact = overdue_contact(user, birthday_month=11, birthday_day=20)
    # Logging the call scanned the contact, which raised today's birthday as well.
    birthday = Reminder.objects.get(contact=contact, kind=ReminderKind.BIRTHDAY)
    draft = NoteDraftFactory(owner=user, contact=contact, reminder=birthday, body="Happy day!")

    services.note_draft_mark_sent(draft=draft, sent_on=TODAY)

    birthday.refresh_from_db()
    assert birthday.status == ReminderStatus.DONE
    assert overdue_round(contact).status == ReminderStatus.DONE


def test_settling_touches_only_the_contacts_of_the_interaction(
    user: User, other_user: User
) -> None:
    mine = overdue_contact(user)
    bystander = overdue_contact(user)
    theirs = overdue_contact(other_user)
    log_interaction(user, [mine], on=TODAY, summary="Hi")
    assert overdue_round(mine).status == ReminderStatus.DONE
    assert overdue_round(bystander).status == ReminderStatus.OPEN
    assert overdue_round(theirs).status == ReminderStatus.OPEN
