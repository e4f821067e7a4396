"""The daily scan: turn the occasions of the next two weeks into Reminder rows.

Set-based: for one user it loads plain facts with a fixed handful of queries
(settings, contacts, current positions, custom dates), computes the occasions in
Python (reminders.occasions) and stores them with one INSERT that ignores
conflicts. The unique (contact, kind, occasion_key) constraint, not luck, makes
running it twice, or twice at once, harmless; rows a user snoozed, dismissed or
completed are met on the same key and never reopened.
"""

import logging
from collections.abc import Iterable
from datetime import date, timedelta

from django.contrib.auth import get_user_model
from django.contrib.auth.models import User
from django.db import OperationalError, transaction
from django.db.models import Q
from django.utils import timezone

from contacts.models import CareerMove, Contact, Position, TrustLevel
from crm.models import UserSettings
from reminders.charts import forget_glance
from reminders.heartbeat import forget_scheduler_state
from reminders.introduction_reminders import stalled_introductions
from reminders.keep_in_touch import clock_start
from reminders.models import (
    CustomDate,
    Reminder,
    ReminderKind,
    ReminderStatus,
    ScanRun,
    ScanTrigger,
)
from reminders.occasions import (
    CAREER_MOVE_OPEN_DAYS,
    ContactFacts,
    CustomDateFacts,
    Occasion,
    PositionFacts,
    Rules,
    occasions_between,
)

logger = logging.getLogger(__name__)

# How far ahead the daily scan looks.
SCAN_DAYS = 14


def rules_for(prefs: UserSettings) -> Rules:
    listed, every = prefs.milestones()
    return Rules(
        milestone_years=tuple(listed),
        milestone_every=every,
        remind_following=prefs.remind_following,
        cadences=prefs.cadences(),
    )


def _load_facts(
    user: User, prefs: UserSettings, rules: Rules, contact_ids: list[int] | None = None
) -> tuple[list[ContactFacts], list[PositionFacts], list[CustomDateFacts]]:
    """Three queries, whatever the number of contacts (all, or those of `contact_ids`)."""
    people = Contact.objects.filter(owner=user).order_by()
    positions = Position.objects.filter(contact__owner=user, end_date__isnull=True).order_by()
    custom_dates = CustomDate.objects.filter(contact__owner=user).order_by()
    if contact_ids is not None:
        people = people.filter(pk__in=contact_ids)
        positions = positions.filter(contact_id__in=contact_ids)
        custom_dates = custom_dates.filter(contact_id__in=contact_ids)
    if not rules.remind_following:
        people = people.exclude(trust_level=TrustLevel.FOLLOWING)
    zone = prefs.zone
    contacts = [
        ContactFacts(
            id=pk,
            trust_level=level,
            birthday_year=b_year,
            birthday_month=b_month,
            birthday_day=b_day,
            keep_in_touch_days=every,
            last_touch=clock_start(
                last_interaction_on=last, met_on=met, added_on=created.astimezone(zone).date()
            )[0],
        )
        for pk, level, b_year, b_month, b_day, every, last, met, created in people.values_list(
            "id",
            "trust_level",
            "birthday_year",
            "birthday_month",
            "birthday_day",
            "keep_in_touch_days",
            "last_interaction_on",
            "met_on",
            "created_at",
        )
    ]
    # Only current positions raise occasions: anniversaries need a start date,
    # career moves a move.
    position_facts = [
        PositionFacts(*row)
        for row in positions.filter(
            Q(start_date__isnull=False) | Q(move__in=[CareerMove.JOB_CHANGE, CareerMove.PROMOTION])
        ).values_list(
            "id", "contact_id", "company", "title", "start_date", "end_date", "detected_on", "move"
        )
    ]
    custom = [
        CustomDateFacts(*row)
        for row in custom_dates.values_list("id", "contact_id", "label", "date", "yearly")
    ]
    return contacts, position_facts, custom


def occasions_for(
    *,
    user: User,
    start: date,
    end: date,
    include_open: bool,
    prefs: UserSettings | None = None,
    contact_ids: list[int] | None = None,
) -> list[Occasion]:
    prefs = prefs or UserSettings.for_user(user)
    rules = rules_for(prefs)
    contacts, positions, custom = _load_facts(user, prefs, rules, contact_ids)
    return occasions_between(
        contacts=contacts,
        positions=positions,
        custom=custom,
        rules=rules,
        start=start,
        end=end,
        include_open=include_open,
    )


def upcoming_occasions(*, user: User, start: date, end: date) -> list[Occasion]:
    """Occasions due from `start` to `end` inclusive (for calendars), sorted by date.

    A handful of queries whatever the range; nothing is written.
    """
    return occasions_for(user=user, start=start, end=end, include_open=False)


def _reminder(user: User, occasion: Occasion) -> Reminder:
    return Reminder(
        owner=user,
        contact_id=occasion.contact_id,
        kind=occasion.kind,
        occasion_key=occasion.occasion_key,
        due_on=occasion.due_on,
        position_id=occasion.position_id,
        custom_date_id=occasion.custom_date_id,
        years=occasion.years,
    )


def scan_user(
    *, user: User, today: date | None = None, contact_ids: list[int] | None = None
) -> int:
    """Store the occasions of `today` and the next 14 days; return how many were new.

    `today` defaults to the current date in the user's time zone. With
    `contact_ids`, only those contacts are scanned (see `scan_contacts`).
    """
    prefs = UserSettings.for_user(user)
    today = today or prefs.today()
    occasions = occasions_for(
        user=user,
        start=today,
        end=today + timedelta(days=SCAN_DAYS),
        include_open=True,
        prefs=prefs,
        contact_ids=contact_ids,
    )
    touch_keys = {
        (o.contact_id, o.occasion_key) for o in occasions if o.kind == ReminderKind.KEEP_IN_TOUCH
    }
    # What is stored already: every row the occasions could meet (career moves
    # reach two weeks back; keep in touch any distance) in one query, so a daily
    # scan inserts only what is new.
    stored = Reminder.objects.filter(owner=user).filter(
        Q(due_on__gte=today - timedelta(days=CAREER_MOVE_OPEN_DAYS))
        | Q(kind__in=[ReminderKind.KEEP_IN_TOUCH, ReminderKind.INTRODUCTION])
    )
    if contact_ids is not None:
        stored = stored.filter(contact_id__in=contact_ids)
    with transaction.atomic():
        # One scan of a user at a time: a second, concurrent one waits here, then sees
        # the first one's rows as existing, so "reminders created" counts rows it
        # really inserted (not both scans claiming the same ones).
        list(UserSettings.objects.select_for_update().filter(pk=prefs.pk).values_list("pk"))
        existing: set[tuple[int, str, str]] = set()
        stale: list[int] = []
        for pk, contact_id, kind, key, status in stored.values_list(
            "id", "contact_id", "kind", "occasion_key", "status"
        ):
            existing.add((contact_id, kind, key))
            # A keep-in-touch round whose due date moved (an interaction was logged,
            # the cadence changed) is over: close it, snoozed or not, or it would come
            # back from its snooze about a conversation that has happened since.
            if (
                kind == ReminderKind.KEEP_IN_TOUCH
                and status in (ReminderStatus.OPEN, ReminderStatus.SNOOZED)
                and (contact_id, key) not in touch_keys
            ):
                stale.append(pk)
        new = [
            _reminder(user, o)
            for o in occasions
            if (o.contact_id, o.kind, o.occasion_key) not in existing
        ]
        # Introductions a side has not answered for a week (issue 21).
        new += [
            r
            for r in stalled_introductions(user=user, today=today, contact_ids=contact_ids)
            if (r.contact_id, r.kind, r.occasion_key) not in existing
        ]
        # Another writer may still insert the same occasion meanwhile: the unique
        # constraint keeps one, and ignore_conflicts keeps this one quiet.
        Reminder.objects.bulk_create(new, ignore_conflicts=True)
        if stale:
            Reminder.objects.filter(
                pk__in=stale, status__in=[ReminderStatus.OPEN, ReminderStatus.SNOOZED]
            ).update(status=ReminderStatus.DONE, completed_at=timezone.now(), snoozed_until=None)
        if new or stale:
            # The dashboard's overdue count reads keep-in-touch reminders, and bulk
            # writes send no signals.
            forget_glance(int(user.pk))
    return len(new)


def scan_contacts(*, contact_ids: Iterable[int]) -> int:
    """Bring these contacts' reminders up to date now, as the daily scan would.

    Called whenever a keep-in-touch clock moves (an interaction logged, edited or
    deleted), so the round it ended is settled and the next one raised at once,
    not at the next scan. A fixed number of queries per owner, whatever the count.
    """
    ids = sorted(set(contact_ids))
    if not ids:
        return 0
    owner_ids = set(
        Contact.objects.filter(pk__in=ids).order_by().values_list("owner_id", flat=True)
    )
    owners = get_user_model().objects.filter(pk__in=owner_ids).order_by("pk")
    return sum(scan_user(user=owner, contact_ids=ids) for owner in owners)


def _record(*, user: User | None, today: date | None, trigger: str) -> ScanRun:
    return ScanRun.objects.create(
        trigger=trigger, user=user, run_for=today, started_at=timezone.now()
    )


def _finish(run: ScanRun, *, users: int, created: int) -> ScanRun:
    run.finished_at = timezone.now()
    run.users_scanned = users
    run.reminders_created = created
    run.save(update_fields=["finished_at", "users_scanned", "reminders_created"])
    forget_scheduler_state()
    return run


def scan_one(
    *, user: User, today: date | None = None, trigger: str = ScanTrigger.MANUAL
) -> ScanRun:
    """Scan one user and record it in the heartbeat."""
    run = _record(user=user, today=today, trigger=trigger)
    return _finish(run, users=1, created=scan_user(user=user, today=today))


def scan_all(*, today: date | None = None, trigger: str = ScanTrigger.BEAT) -> ScanRun:
    """Scan every active user, each in their own time zone unless `today` is given.

    One user's bad data must not stop everyone else's reminders, so failures are
    logged per user; a database outage still aborts the run (and the task retries).
    """
    run = _record(user=None, today=today, trigger=trigger)
    users = created = 0
    for user in list(get_user_model().objects.filter(is_active=True).order_by("pk")):
        try:
            created += scan_user(user=user, today=today)
        except OperationalError:
            raise
        except Exception:
            logger.exception("Reminder scan failed for user %s", user.pk)
            continue
        users += 1
    return _finish(run, users=users, created=created)
