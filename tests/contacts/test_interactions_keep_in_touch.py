"""Interactions reset the keep-in-touch clock; cadences, overrides, "never", due queries."""

from datetime import UTC, date, datetime, timedelta

import pytest
import time_machine
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from contacts.models import Contact, Interaction, TrustLevel
from contacts.relationships import interaction_delete, interaction_update
from crm.models import UserSettings
from reminders.keep_in_touch import due_contacts, keep_in_touch_status, with_keep_in_touch
from reminders.keys import keep_in_touch_key
from reminders.models import Reminder, ReminderKind, ReminderStatus
from reminders.services import keep_in_touch_snooze
from tests.factories import ContactFactory, log_interaction

TODAY = date(2026, 11, 20)
NOW = datetime(2026, 11, 20, 12, tzinfo=UTC)

pytestmark = pytest.mark.django_db


def _log(owner: User, on: date, *people: Contact) -> Interaction:
    return log_interaction(owner, people, on=on, summary="Catch-up")


@pytest.fixture
def prefs(user: User) -> UserSettings:
    return UserSettings.for_user(user)


def _old_contact(owner: User, **fields: object) -> Contact:
    with time_machine.travel(datetime(2020, 1, 1, tzinfo=UTC), tick=False):
        return ContactFactory(owner=owner, **fields)


def test_it_resets_the_clock_for_every_contact_of_an_interaction(
    user: User, prefs: UserSettings
) -> None:
    people = [_old_contact(user, trust_level=TrustLevel.CLOSE) for _ in range(3)]
    assert all(keep_in_touch_status(p, prefs, TODAY).is_due for p in people)

    _log(user, TODAY - timedelta(days=2), *people)

    for person in people:
        person.refresh_from_db()
        assert person.last_interaction_on == TODAY - timedelta(days=2)
        status = keep_in_touch_status(person, prefs, TODAY)
        assert not status.is_due
        assert status.due_on == TODAY + timedelta(days=28)
    assert not due_contacts(user, prefs, TODAY).exists()


def test_it_keeps_the_newest_date_when_an_older_interaction_is_logged(user: User) -> None:
    person = _old_contact(user)
    _log(user, date(2026, 10, 1), person)
    _log(user, date(2026, 3, 1), person)
    person.refresh_from_db()
    assert person.last_interaction_on == date(2026, 10, 1)


def test_it_moves_the_last_interaction_back_when_the_newest_is_deleted(user: User) -> None:
    person = _old_contact(user)
    _log(user, date(2026, 3, 1), person)
    newest = _log(user, date(2026, 10, 1), person)
    interaction_delete(interaction=newest)
    person.refresh_from_db()
    assert person.last_interaction_on == date(2026, 3, 1)


def test_it_clears_the_last_interaction_when_the_only_one_is_deleted(user: User) -> None:
    person = _old_contact(user)
    interaction_delete(interaction=_log(user, date(2026, 3, 1), person))
    person.refresh_from_db()
    assert person.last_interaction_on is None


def test_it_updates_both_old_and_new_people_when_an_interaction_changes_hands(
    user: User,
) -> None:
    ann, bob = _old_contact(user), _old_contact(user)
    interaction = _log(user, date(2026, 10, 1), ann)
    interaction_update(interaction=interaction, contacts=[bob])
    ann.refresh_from_db()
    bob.refresh_from_db()
    assert ann.last_interaction_on is None
    assert bob.last_interaction_on == date(2026, 10, 1)


def test_it_rejects_another_users_contact_and_links_nothing(user: User, other_user: User) -> None:
    mine, theirs = _old_contact(user), _old_contact(other_user)
    with pytest.raises(ValidationError):
        _log(user, TODAY, mine, theirs)
    assert not mine.interactions.exists()
    assert not theirs.interactions.exists()
    theirs.refresh_from_db()
    assert theirs.last_interaction_on is None


def test_it_uses_the_contacts_own_cadence_over_the_trust_default(
    user: User, prefs: UserSettings
) -> None:
    person = _old_contact(user, trust_level=TrustLevel.CLOSE, keep_in_touch_days=365)
    _log(user, TODAY - timedelta(days=200), person)
    person.refresh_from_db()
    status = keep_in_touch_status(person, prefs, TODAY)
    assert status.cadence == 365
    assert status.cadence_from_contact
    assert not status.is_due
    assert not due_contacts(user, prefs, TODAY).exists()

    person.keep_in_touch_days = 100
    person.save()
    assert list(due_contacts(user, prefs, TODAY)) == [person]


def test_it_never_reminds_about_a_contact_set_to_never(user: User, prefs: UserSettings) -> None:
    person = _old_contact(user, trust_level=TrustLevel.CLOSE, keep_in_touch_days=0)
    status = keep_in_touch_status(person, prefs, TODAY)
    assert status.never and not status.is_due and status.due_on is None
    assert not due_contacts(user, prefs, TODAY).exists()


def test_it_has_no_cadence_for_levels_without_one(user: User, prefs: UserSettings) -> None:
    for level in (TrustLevel.MET, TrustLevel.FOLLOWING, None):
        _old_contact(user, trust_level=level)
    assert not due_contacts(user, prefs, TODAY).exists()
    prefs.cadence_unrated = 10
    prefs.save()
    assert due_contacts(user, prefs, TODAY).count() == 1


def test_it_counts_from_the_day_we_met_then_the_day_added(user: User, prefs: UserSettings) -> None:
    with time_machine.travel(datetime(2025, 12, 1, 12, tzinfo=UTC), tick=False):
        met = ContactFactory(owner=user, trust_level=TrustLevel.CLOSE, met_on=date(2026, 1, 1))
    with time_machine.travel(NOW - timedelta(days=10), tick=False):
        added = ContactFactory(owner=user, trust_level=TrustLevel.CLOSE)
    assert keep_in_touch_status(added, prefs, TODAY).last_touch == TODAY - timedelta(days=10)
    assert keep_in_touch_status(added, prefs, TODAY).last_touch_kind == "added"
    assert keep_in_touch_status(met, prefs, TODAY).last_touch == date(2026, 1, 1)
    assert list(due_contacts(user, prefs, TODAY)) == [met]


def test_it_never_starts_the_clock_before_the_contact_was_added(
    user: User, prefs: UserSettings
) -> None:
    # Added today, met 534 days ago: not "overdue by 504 days" at once.
    with time_machine.travel(NOW, tick=False):
        person = ContactFactory(
            owner=user, trust_level=TrustLevel.CLOSE, met_on=TODAY - timedelta(days=534)
        )
    status = keep_in_touch_status(person, prefs, TODAY)
    assert (status.last_touch, status.last_touch_kind) == (TODAY, "added")
    assert status.due_on == TODAY + timedelta(days=30) and not status.is_due
    assert not due_contacts(user, prefs, TODAY).exists()
    assert list(due_contacts(user, prefs, TODAY + timedelta(days=30))) == [person]
    row = with_keep_in_touch(Contact.objects.filter(pk=person.pk), prefs, TODAY).get()
    assert row.last_touch == TODAY  # type: ignore[attr-defined]


def test_it_becomes_due_exactly_when_the_cadence_has_passed(
    user: User, prefs: UserSettings
) -> None:
    person = _old_contact(user, trust_level=TrustLevel.CLOSE)
    _log(user, TODAY - timedelta(days=29), person)
    assert not due_contacts(user, prefs, TODAY).exists()
    assert list(due_contacts(user, prefs, TODAY + timedelta(days=1))) == [person]


def test_it_agrees_with_the_python_status_in_the_database(user: User, prefs: UserSettings) -> None:
    person = _old_contact(user, trust_level=TrustLevel.KNOW_WELL)
    _log(user, date(2026, 6, 1), person)
    row = with_keep_in_touch(Contact.objects.filter(pk=person.pk), prefs, TODAY).get()
    # The annotations of with_keep_in_touch() are not part of its declared type.
    assert row.last_touch == date(2026, 6, 1)  # type: ignore[attr-defined]
    assert row.cadence == 90  # type: ignore[attr-defined]
    assert row.days_since == (TODAY - date(2026, 6, 1)).days  # type: ignore[attr-defined]


def test_it_orders_due_contacts_by_overdue_ratio_then_trust(
    user: User, prefs: UserSettings
) -> None:
    # close: 60 days on a 30-day cadence = 2.0; know well: 180/90 = 2.0; acquaintance: 270/180 = 1.5
    close = _old_contact(user, trust_level=TrustLevel.CLOSE, last_name="Close")
    well = _old_contact(user, trust_level=TrustLevel.KNOW_WELL, last_name="Well")
    acq = _old_contact(user, trust_level=TrustLevel.ACQUAINTANCE, last_name="Acq")
    custom = _old_contact(user, trust_level=TrustLevel.MET, keep_in_touch_days=10)
    _log(user, TODAY - timedelta(days=60), close)
    _log(user, TODAY - timedelta(days=180), well)
    _log(user, TODAY - timedelta(days=270), acq)
    _log(user, TODAY - timedelta(days=50), custom)  # 5.0
    assert list(due_contacts(user, prefs, TODAY)) == [custom, close, well, acq]


def test_it_hides_a_snoozed_contact_until_the_snooze_ends(user: User, prefs: UserSettings) -> None:
    person = _old_contact(user, trust_level=TrustLevel.CLOSE)
    _log(user, TODAY - timedelta(days=40), person)
    person.refresh_from_db()
    reminder = keep_in_touch_snooze(contact=person, today=TODAY, days=14)

    assert reminder.kind == ReminderKind.KEEP_IN_TOUCH
    assert reminder.status == ReminderStatus.SNOOZED
    assert reminder.due_on == TODAY - timedelta(days=10)
    assert reminder.occasion_key == keep_in_touch_key(TODAY - timedelta(days=10))
    assert reminder.snoozed_until == TODAY + timedelta(days=14)
    assert not due_contacts(user, prefs, TODAY).exists()
    assert not due_contacts(user, prefs, TODAY + timedelta(days=13)).exists()
    assert list(due_contacts(user, prefs, TODAY + timedelta(days=14))) == [person]


def test_it_snoozes_on_the_reminder_row_the_scan_made(user: User, prefs: UserSettings) -> None:
    person = _old_contact(user, trust_level=TrustLevel.CLOSE)
    _log(user, TODAY - timedelta(days=40), person)
    person.refresh_from_db()
    due_on = TODAY - timedelta(days=10)
    # Logging the interaction scanned the contact: the round's reminder is there already.
    scanned = Reminder.objects.get(contact=person, kind=ReminderKind.KEEP_IN_TOUCH)
    assert scanned.occasion_key == keep_in_touch_key(due_on)
    keep_in_touch_snooze(contact=person, today=TODAY, days=7)
    scanned.refresh_from_db()
    assert scanned.status == ReminderStatus.SNOOZED
    assert Reminder.objects.filter(contact=person).count() == 1


def test_it_ends_a_snooze_when_a_new_cycle_starts(user: User, prefs: UserSettings) -> None:
    person = _old_contact(user, trust_level=TrustLevel.CLOSE, keep_in_touch_days=3)
    _log(user, TODAY - timedelta(days=5), person)
    person.refresh_from_db()
    keep_in_touch_snooze(contact=person, today=TODAY, days=30)
    _log(user, TODAY - timedelta(days=1), person)
    # Due again 3 days after the new interaction, although the old snooze runs on.
    assert list(due_contacts(user, prefs, TODAY + timedelta(days=3))) == [person]


def test_it_refuses_to_snooze_without_a_cadence_or_with_an_odd_duration(
    user: User, prefs: UserSettings
) -> None:
    never = _old_contact(user, keep_in_touch_days=0)
    with pytest.raises(ValidationError):
        keep_in_touch_snooze(contact=never, today=TODAY, days=14)
    due = _old_contact(user, trust_level=TrustLevel.CLOSE)
    with pytest.raises(ValidationError):
        keep_in_touch_snooze(contact=due, today=TODAY, days=3)
    assert not Reminder.objects.exists()


def test_it_finds_due_contacts_in_one_query(user: User, prefs: UserSettings) -> None:
    for _ in range(5):
        _old_contact(user, trust_level=TrustLevel.CLOSE)
    with CaptureQueriesContext(connection) as queries:
        assert len(list(due_contacts(user, prefs, TODAY))) == 5
    assert len(queries.captured_queries) == 1
