"""The daily scan: idempotent, set-based, concurrent-safe, in the user's time zone."""

import contextlib
import datetime as dt
import threading

import pytest
import time_machine
from django.conf import settings
from django.contrib.auth.models import User
from django.db import connection
from django.test.utils import CaptureQueriesContext

from contacts.careers import record_job_change
from contacts.models import CareerMove, TrustLevel
from crm.models import UserSettings
from reminders import keys
from reminders.models import Reminder, ReminderKind, ReminderStatus, ScanRun, ScanTrigger
from reminders.scan import scan_all, scan_user, upcoming_occasions
from tests.concurrency import run_at_once
from tests.factories import (
    ContactFactory,
    CustomDateFactory,
    PositionFactory,
    ReminderFactory,
    UserFactory,
)

TODAY = dt.date(2026, 11, 30)


def _people(owner: User, n: int) -> None:
    for i in range(n):
        contact = ContactFactory(
            owner=owner, birthday_month=12, birthday_day=1 + i % 10, birthday_year=1980
        )
        PositionFactory(contact=contact, start_date=dt.date(2021, 12, 1 + i % 10))
        CustomDateFactory(contact=contact, date=dt.date(2019, 12, 3))


@pytest.mark.django_db
def test_it_creates_each_kind_of_reminder_due_in_the_next_two_weeks(user: User) -> None:
    ada = ContactFactory(owner=user, birthday_month=12, birthday_day=3, birthday_year=1990)
    ten = PositionFactory(contact=ada, company="Acme", start_date=dt.date(2016, 12, 10))
    wedding = CustomDateFactory(contact=ada, date=dt.date(2019, 12, 2))
    bob = ContactFactory(owner=user, trust_level=TrustLevel.CLOSE, last_interaction_on=TODAY)
    bob.last_interaction_on = dt.date(2026, 11, 1)
    bob.save()
    PositionFactory(contact=bob, start_date=dt.date(2020, 1, 1))
    new, move = record_job_change(
        contact=bob, company="Initech", title="CTO", start_date=dt.date(2026, 11, 25)
    )
    assert new is not None and move == CareerMove.JOB_CHANGE
    ContactFactory(owner=user, birthday_month=12, birthday_day=20)  # beyond 14 days

    assert scan_user(user=user, today=TODAY) == 5
    rows = {
        (r.contact_id, r.kind, r.occasion_key): (r.due_on, r.years)
        for r in Reminder.objects.filter(owner=user)
    }
    assert rows == {
        (ada.pk, ReminderKind.BIRTHDAY, keys.birthday_key(2026)): (dt.date(2026, 12, 3), 36),
        (ada.pk, ReminderKind.WORK_ANNIVERSARY, keys.anniversary_key(ten.pk, 10)): (
            dt.date(2026, 12, 10),
            10,
        ),
        (ada.pk, ReminderKind.CUSTOM, keys.custom_date_key(wedding.pk, dt.date(2026, 12, 2))): (
            dt.date(2026, 12, 2),
            7,
        ),
        (bob.pk, ReminderKind.JOB_CHANGE, keys.career_move_key(new.pk)): (
            dt.date(2026, 11, 25),
            None,
        ),
        (bob.pk, ReminderKind.KEEP_IN_TOUCH, keys.keep_in_touch_key(dt.date(2026, 12, 1))): (
            dt.date(2026, 12, 1),
            None,
        ),
    }


@pytest.mark.django_db
def test_it_is_idempotent(user: User) -> None:
    _people(user, 4)
    first = scan_user(user=user, today=TODAY)
    before = list(Reminder.objects.order_by("pk").values())
    assert first > 0
    assert scan_user(user=user, today=TODAY) == 0
    assert list(Reminder.objects.order_by("pk").values()) == before


@pytest.mark.django_db
@pytest.mark.parametrize("status", [ReminderStatus.SNOOZED, ReminderStatus.DISMISSED])
def test_it_never_reopens_a_reminder_the_user_acted_on(user: User, status: str) -> None:
    contact = ContactFactory(owner=user, trust_level=TrustLevel.CLOSE)
    contact.last_interaction_on = dt.date(2026, 10, 1)
    contact.save()
    due = dt.date(2026, 10, 31)
    snoozed = ReminderFactory(
        contact=contact,
        kind=ReminderKind.KEEP_IN_TOUCH,
        occasion_key=keys.keep_in_touch_key(due),
        due_on=due,
        status=status,
        snoozed_until=dt.date(2026, 12, 5) if status == ReminderStatus.SNOOZED else None,
    )
    assert scan_user(user=user, today=TODAY) == 0
    snoozed.refresh_from_db()
    assert snoozed.status == status
    assert Reminder.objects.count() == 1


@pytest.mark.django_db
def test_it_closes_an_open_keep_in_touch_reminder_once_they_are_back_in_touch(
    user: User,
) -> None:
    contact = ContactFactory(owner=user, trust_level=TrustLevel.CLOSE)
    contact.last_interaction_on = dt.date(2026, 10, 1)
    contact.save()
    scan_user(user=user, today=TODAY)
    old = Reminder.objects.get(kind=ReminderKind.KEEP_IN_TOUCH)
    contact.last_interaction_on = dt.date(2026, 11, 28)
    contact.save()
    scan_user(user=user, today=TODAY)
    old.refresh_from_db()
    assert old.status == ReminderStatus.DONE
    assert not Reminder.objects.filter(status=ReminderStatus.OPEN).exists()


@pytest.mark.django_db
def test_it_skips_following_contacts_unless_the_user_opts_in(user: User) -> None:
    ContactFactory(owner=user, trust_level=TrustLevel.FOLLOWING, birthday_month=12, birthday_day=2)
    unrated = ContactFactory(owner=user, trust_level=None, birthday_month=12, birthday_day=2)
    assert scan_user(user=user, today=TODAY) == 1
    assert Reminder.objects.get().contact == unrated
    prefs = UserSettings.for_user(user)
    prefs.remind_following = True
    prefs.save()
    assert scan_user(user=user, today=TODAY) == 1


@pytest.mark.django_db
def test_it_uses_the_users_milestone_settings(user: User) -> None:
    contact = ContactFactory(owner=user)
    PositionFactory(contact=contact, start_date=dt.date(2023, 12, 5))
    assert scan_user(user=user, today=TODAY) == 0
    prefs = UserSettings.for_user(user)
    prefs.milestone_years = "3"
    prefs.save()
    assert scan_user(user=user, today=TODAY) == 1
    assert Reminder.objects.get().years == 3


@pytest.mark.django_db
def test_it_only_touches_the_users_own_contacts(user: User, other_user: User) -> None:
    ContactFactory(owner=other_user, birthday_month=12, birthday_day=2)
    assert scan_user(user=user, today=TODAY) == 0
    assert not Reminder.objects.exists()


@pytest.mark.django_db
def test_it_runs_the_same_number_of_queries_at_5_and_50_contacts(user: User) -> None:
    small, big = UserFactory(username="small"), UserFactory(username="big")
    _people(small, 5)
    _people(big, 50)
    counts = []
    for owner in (small, big):
        UserSettings.for_user(owner)
        with CaptureQueriesContext(connection) as queries:
            created = scan_user(user=owner, today=TODAY)
        assert created > 0
        counts.append(len(queries.captured_queries))
    assert counts[0] == counts[1]
    assert counts[0] <= 12


@pytest.mark.django_db
def test_upcoming_occasions_lists_a_year_without_writing(user: User) -> None:
    contact = ContactFactory(
        owner=user, trust_level=TrustLevel.MET, birthday_month=3, birthday_day=1
    )
    PositionFactory(contact=contact, start_date=dt.date(2022, 6, 1))
    found = upcoming_occasions(user=user, start=TODAY, end=TODAY + dt.timedelta(days=365))
    assert [(o.kind, o.due_on) for o in found] == [
        ("birthday", dt.date(2027, 3, 1)),
        ("work_anniversary", dt.date(2027, 6, 1)),
    ]
    assert found[0].contact_id == contact.pk
    assert not Reminder.objects.exists()


@pytest.mark.django_db
def test_it_scans_in_the_users_time_zone_at_the_day_boundary(user: User) -> None:
    ContactFactory(owner=user, birthday_month=12, birthday_day=3)
    prefs = UserSettings.for_user(user)
    prefs.time_zone = "Pacific/Auckland"
    prefs.save()
    # 23:30 UTC on 3 December is already 4 December in Auckland: the birthday has passed.
    with time_machine.travel(dt.datetime(2026, 12, 3, 23, 30, tzinfo=dt.UTC), tick=False):
        assert scan_user(user=user) == 0
        prefs.time_zone = "UTC"
        prefs.save()
        assert scan_user(user=user) == 1


@pytest.mark.django_db
def test_scan_all_records_a_heartbeat_for_every_user(user: User, other_user: User) -> None:
    ContactFactory(owner=user, birthday_month=12, birthday_day=2)
    ContactFactory(owner=other_user, birthday_month=12, birthday_day=2)
    run = scan_all(today=TODAY, trigger=ScanTrigger.COMMAND)
    assert (run.users_scanned, run.reminders_created, run.user) == (2, 2, None)
    assert run.finished_at is not None
    assert ScanRun.objects.get() == run


@pytest.mark.django_db
def test_scan_all_goes_on_when_one_users_scan_fails(
    user: User, other_user: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    ContactFactory(owner=other_user, birthday_month=12, birthday_day=2)
    import reminders.scan as scan_module

    real = scan_module.scan_user

    def flaky(*, user: User, today: dt.date | None = None) -> int:
        if user.username == "alice":
            raise ValueError("broken data")
        return real(user=user, today=today)

    monkeypatch.setattr(scan_module, "scan_user", flaky)
    run = scan_all(today=TODAY)
    assert (run.users_scanned, run.reminders_created) == (1, 1)


@pytest.mark.skipif(not settings.IS_POSTGRES, reason="concurrent transactions need PostgreSQL")
@pytest.mark.django_db(transaction=True)
def test_two_concurrent_scans_make_no_duplicates_and_no_errors() -> None:
    owner = UserFactory(username="busy")
    _people(owner, 30)
    barrier = threading.Barrier(2)

    def run() -> int:
        barrier.wait(timeout=10)
        return scan_user(user=owner, today=TODAY)

    run_at_once(run, run)
    expected = scan_user(user=owner, today=TODAY)
    assert expected == 0
    keys_ = list(Reminder.objects.values_list("contact_id", "kind", "occasion_key"))
    assert len(keys_) == len(set(keys_)) > 0


@pytest.mark.postgres
@pytest.mark.skipif(not settings.IS_POSTGRES, reason="concurrent transactions need PostgreSQL")
@pytest.mark.django_db(transaction=True)
def test_two_concurrent_scans_count_only_the_rows_each_inserted(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from reminders import scan as scan_module

    owner = UserFactory(username="busy")
    _people(owner, 10)
    # Both scans are made to meet after reading what is stored and before inserting;
    # a scan that waits for the other (as it should) finds the meeting broken and goes on.
    meeting = threading.Barrier(2, timeout=3)
    met: set[int] = set()
    real = scan_module._reminder

    def meet_then_build(*args: object, **kwargs: object) -> object:
        if threading.get_ident() not in met:
            met.add(threading.get_ident())
            with contextlib.suppress(threading.BrokenBarrierError):
                meeting.wait()
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(scan_module, "_reminder", meet_then_build)

    def run() -> int:
        return scan_user(user=owner, today=TODAY)

    results = run_at_once(run, run)
    stored = Reminder.objects.filter(owner=owner).count()
    assert stored > 0
    assert sorted(results) == [0, stored]
