"""The weekly digest: who to congratulate in the week ahead, by email, and what waits on
the user as This week shows it (introduction steps, promises due: issue 21).

A user's digest goes out on their chosen weekday (from DIGEST_HOUR local time
on), and at most once per digest week: a DigestLog row is inserted before the
mail is sent, in the same transaction, so a retry or a second run that meets
the unique (owner, week_start) constraint sends nothing. If sending fails the
transaction rolls back and the next hourly check tries again.
"""

import logging
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import User
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from contacts.introduction_flow import waiting_on_me
from contacts.promises import promises_due
from contacts.relation_models import (
    INTRO_STALL_DAYS,
    Introduction,
    IntroStatus,
    Promise,
    PromiseBy,
)
from crm.languages import in_language_of
from crm.models import UserSettings
from reminders.models import CAREER_KINDS, DigestLog, Reminder, ReminderKind, ReminderStatus
from reminders.occasions import CAREER_MOVE_OPEN_DAYS
from reminders.scan import scan_user

logger = logging.getLogger(__name__)

# Digests go out from this local hour on the digest day: a morning email.
DIGEST_HOUR = 7
# Overdue keep-in-touch reminders can pile up; the digest shows the first few.
MAX_PER_GROUP = 25
# A digest day missed (worker down) is caught up for this long, then skipped.
CATCH_UP = timedelta(days=2)

GROUPS = [
    (gettext_lazy("Job changes and promotions"), CAREER_KINDS),
    (gettext_lazy("Work anniversaries"), [ReminderKind.WORK_ANNIVERSARY]),
    (gettext_lazy("Birthdays"), [ReminderKind.BIRTHDAY]),
    (gettext_lazy("Dates to remember"), [ReminderKind.CUSTOM]),
    (gettext_lazy("Introductions waiting for an answer"), [ReminderKind.INTRODUCTION]),
    (gettext_lazy("Keep in touch"), [ReminderKind.KEEP_IN_TOUCH]),
]


def digest_week_start(prefs: UserSettings, today: date) -> date:
    """The most recent digest day on or before `today`: the key of this digest week."""
    return today - timedelta(days=(today.weekday() - prefs.digest_weekday) % 7)


def absolute(path: str) -> str:
    return f"{settings.BASE_URL}{path}"


@dataclass(frozen=True)
class DigestItem:
    name: str
    what: str
    due_on: date
    url: str
    # Said before the date ("due", "waiting since"); empty: "since" when it is past.
    when: str = ""


@dataclass(frozen=True)
class DigestGroup:
    title: str
    items: list[DigestItem]
    more: int


def describe_reminder(reminder: Reminder) -> str:
    """One line on what the occasion is ("New job: …", "5 years at …", "Birthday (turns 40)")."""
    kind = reminder.kind
    position = reminder.position
    if kind in CAREER_KINDS and position is not None:
        noun = _("New job") if kind == ReminderKind.JOB_CHANGE else _("Promoted")
        if position.start_date is None and position.detected_on is not None:
            noticed = date_format(position.detected_on, "j M")
            return _("%(move)s: %(job)s (noticed on %(date)s; start date unknown)") % {
                "move": noun,
                "job": position,
                "date": noticed,
            }
        return _("%(move)s: %(job)s") % {"move": noun, "job": position}
    if kind == ReminderKind.WORK_ANNIVERSARY:
        years = reminder.years or 0
        if position and position.company:
            return ngettext(
                "%(years)d year at %(company)s", "%(years)d years at %(company)s", years
            ) % {"years": years, "company": position.company}
        return ngettext("%(years)d year", "%(years)d years", years) % {"years": years}
    if kind == ReminderKind.BIRTHDAY:
        if reminder.years:
            return _("Birthday (turns %(age)d)") % {"age": reminder.years}
        return _("Birthday")
    if kind == ReminderKind.CUSTOM and reminder.custom_date is not None:
        return reminder.custom_date.label
    if kind == ReminderKind.KEEP_IN_TOUCH:
        return _("Time to get back in touch")
    if kind == ReminderKind.INTRODUCTION:
        return _("hasn't answered about your introduction")
    return reminder.get_kind_display()


def _reminder_item(reminder: Reminder) -> DigestItem:
    if reminder.kind == ReminderKind.INTRODUCTION and reminder.introduction_id:
        # A silent side: when they were asked, and the introduction to answer it on.
        return DigestItem(
            name=reminder.contact.full_name,
            what=describe_reminder(reminder),
            due_on=reminder.due_on - timedelta(days=INTRO_STALL_DAYS),
            url=absolute(reverse("contacts:introduction_detail", args=[reminder.introduction_id])),
            when=_("asked"),
        )
    return DigestItem(
        name=reminder.contact.full_name,
        what=describe_reminder(reminder),
        due_on=reminder.due_on,
        url=absolute(reminder.contact.get_absolute_url()),
    )


def digest_groups(*, user: User, today: date) -> list[DigestGroup]:
    """Open reminders due in the week ahead, recent job changes and overdue keep in touch."""
    end = today + timedelta(days=6)
    reminders = (
        Reminder.objects.owned_by(user)
        .filter(due_on__lte=end)
        .filter(
            Q(status=ReminderStatus.OPEN) | Q(status=ReminderStatus.SNOOZED, snoozed_until__lte=end)
        )
        .filter(
            # Last week's birthdays were in last week's digest; job changes stay open
            # two weeks, overdue keep-in-touch and a silent side of an introduction
            # (reminders.introduction_reminders) until dealt with.
            Q(due_on__gte=today)
            | Q(kind__in=CAREER_KINDS, due_on__gte=today - timedelta(days=CAREER_MOVE_OPEN_DAYS))
            | Q(kind__in=[ReminderKind.KEEP_IN_TOUCH, ReminderKind.INTRODUCTION])
        )
        .select_related("contact", "position", "custom_date")
        .order_by("due_on", "contact__last_name", "id")
    )
    by_kind: dict[str, list[Reminder]] = {}
    for reminder in reminders:
        by_kind.setdefault(reminder.kind, []).append(reminder)
    groups = []
    for title, kinds in GROUPS:
        found = [r for kind in kinds for r in by_kind.get(kind, [])]
        found.sort(key=lambda r: (r.due_on, r.pk))
        if not found:
            continue
        items = [_reminder_item(r) for r in found[:MAX_PER_GROUP]]
        groups.append(
            DigestGroup(title=str(title), items=items, more=max(len(found) - MAX_PER_GROUP, 0))
        )
    return groups


def _dashboard_url() -> str:
    return absolute(reverse("reminders:dashboard"))


def _introduction_step(intro: Introduction) -> str:
    """The step waiting on the user, worded as This week words it."""
    first, second = intro.first.full_name, intro.second.full_name
    if intro.status == IntroStatus.ASK_FIRST:
        return _("Ask %(first)s about meeting %(second)s") % {"first": first, "second": second}
    if intro.status == IntroStatus.ASK_SECOND:
        return _("%(first)s said yes: ask %(second)s") % {"first": first, "second": second}
    if intro.status == IntroStatus.SEND:
        return _("Both said yes: introduce %(first)s and %(second)s") % {
            "first": first,
            "second": second,
        }
    return _("How did the introduction of %(first)s and %(second)s go?") % {
        "first": first,
        "second": second,
    }


def _promise_item(promise: Promise, today: date) -> DigestItem:
    assert promise.due_on is not None  # promises_due() holds only promises with a due date
    overdue = promise.due_on < today
    if overdue and promise.made_by == PromiseBy.ME:
        when = _("overdue since")
    else:
        when = _("was due") if overdue else _("due")
    return DigestItem(
        name=promise.contact.full_name,
        what=f"{promise.get_made_by_display()}: {promise.text}",
        due_on=promise.due_on,
        url=absolute(promise.contact.get_absolute_url()),
        when=when,
    )


def waiting_groups(*, user: User, today: date) -> list[DigestGroup]:
    """What This week lists as waiting on the user, the same lists (so the same order and
    limits): introduction steps to take, and promises due within the week or overdue
    (an overdue one the user made first). Two queries."""
    groups = []
    introductions = [
        DigestItem(
            name=_introduction_step(intro),
            what="",
            due_on=intro.step_on,
            url=absolute(reverse("contacts:introduction_detail", args=[intro.pk])),
            when=_("waiting since"),
        )
        for intro in waiting_on_me(user, today)
    ]
    if introductions:
        groups.append(DigestGroup(_("Introductions waiting on you"), introductions, more=0))
    promises = [_promise_item(promise, today) for promise in promises_due(user, today)]
    if promises:
        groups.append(DigestGroup(_("Promises due"), promises, more=0))
    return groups


def render_digest(*, user: User, today: date, groups: list[DigestGroup]) -> EmailMultiAlternatives:
    count = sum(len(g.items) + g.more for g in groups)
    context = {
        "user": user,
        "today": today,
        "until": today + timedelta(days=6),
        "groups": groups,
        "count": count,
        "dashboard_url": _dashboard_url(),
        "settings_url": absolute(reverse("reminders:settings")),
    }
    subject = ngettext(
        "Who to congratulate this week: %(count)d to keep up with",
        "Who to congratulate this week: %(count)d to keep up with",
        count,
    ) % {"count": count}
    text = render_to_string("reminders/email/digest.txt", context)
    html = render_to_string("reminders/email/digest.html", context)
    message = EmailMultiAlternatives(subject=subject, body=text, to=[user.email])
    message.attach_alternative(html, "text/html")
    return message


def send_digest(*, user: User, week_start: date, today: date | None = None) -> bool:
    """Send this user's digest for the week of `week_start` unless it went out already.

    Returns True when an email was sent.
    """
    prefs = UserSettings.for_user(user)
    if not prefs.digest_enabled or not user.email:
        return False
    today = today or max(prefs.today(), week_start)
    # Make sure the week is complete even if the daily scan has not run yet.
    scan_user(user=user, today=today)
    # Written in the person's language: the subject, the dates, the templates.
    with in_language_of(prefs), transaction.atomic():
        log, created = DigestLog.objects.get_or_create(owner=user, week_start=week_start)
        if not created:
            return False
        groups = waiting_groups(user=user, today=today) + digest_groups(user=user, today=today)
        log.reminder_count = sum(len(g.items) + g.more for g in groups)
        log.save(update_fields=["reminder_count"])
        if not groups:
            # Nothing to say: record the week as done rather than send an empty email.
            return False
        render_digest(user=user, today=today, groups=groups).send()
    logger.info("Sent the weekly digest to user %s for %s", user.pk, week_start)
    return True


def due_digests(*, now: datetime | None = None) -> list[tuple[int, date]]:
    """(user id, digest week start) of every digest due now and not yet sent.

    A digest day missed (worker down) is caught up for up to two days.
    Three queries whatever the number of users.
    """
    now = now or timezone.now()
    User = get_user_model()
    users = list(User.objects.filter(is_active=True).exclude(email="").order_by("pk"))
    prefs_by_user = {p.user_id: p for p in UserSettings.objects.filter(user__in=users)}
    candidates: list[tuple[int, date]] = []
    for user in users:
        prefs = prefs_by_user.get(user.pk) or UserSettings(user=user)
        if not prefs.digest_enabled:
            continue
        local = now.astimezone(prefs.zone)
        week_start = digest_week_start(prefs, local.date())
        if local.date() == week_start and local.hour < DIGEST_HOUR:
            continue
        if local.date() - week_start > CATCH_UP:
            continue
        candidates.append((user.pk, week_start))
    if not candidates:
        return []
    sent = set(
        DigestLog.objects.filter(
            owner_id__in=[pk for pk, _ in candidates],
            week_start__in={week for _, week in candidates},
        ).values_list("owner_id", "week_start")
    )
    return [item for item in candidates if item not in sent]
