"""What a notification says: the test, the weekly digest and the morning message.

Plain text (every Apprise service can show it), short enough for a phone's lock
screen to be useful, with one link per person in the morning message ("draft a
note") and one to the week in the digest. Composing reads only; the worker's
delivery (reminders/notify.py) decides whether and when to send.
"""

from dataclasses import dataclass, field
from datetime import date, timedelta
from urllib.parse import urlencode

from django.contrib.auth.models import User
from django.db.models import Q
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext, ngettext

from contacts.models import TrustLevel
from crm.models import UserSettings
from reminders.dashboard import GROUP_OF_KIND
from reminders.digest import (
    GROUPS,
    DigestItem,
    absolute,
    describe_reminder,
    digest_groups,
    waiting_groups,
)
from reminders.models import (
    CAREER_KINDS,
    DeliveryKind,
    DeliveryStatus,
    NotificationChannel,
    NotificationDelivery,
    Reminder,
    ReminderKind,
    ReminderStatus,
)
from reminders.occasions import CAREER_MOVE_OPEN_DAYS
from reminders.scan import scan_user

OCCASION_KINDS = [
    *CAREER_KINDS,
    ReminderKind.WORK_ANNIVERSARY,
    ReminderKind.BIRTHDAY,
    ReminderKind.CUSTOM,
]
# People named in one morning message; the rest are counted, with a link to the week.
MORNING_LIMIT = 10
# Lines per group in a digest message (the email digest has room for more).
DIGEST_GROUP_LIMIT = 5
KEEP_IN_TOUCH_GROUP = next(t for t, kinds in GROUPS if kinds == [ReminderKind.KEEP_IN_TOUCH])


@dataclass(frozen=True)
class Message:
    title: str
    body: str
    reminder_ids: list[int] = field(default_factory=list)


def _dashboard_url() -> str:
    return absolute(reverse("reminders:dashboard"))


def draft_url(reminder: Reminder) -> str:
    """The reminder on This week, focused, where "Draft note" starts the note.

    Its group is shown in full (it may be past the first few), and people only followed
    are shown too when it is one of theirs (the board hides them by default).
    """
    query = {"focus": str(reminder.pk), "all": GROUP_OF_KIND.get(reminder.kind, "")}
    if reminder.contact.trust_level == TrustLevel.FOLLOWING:
        query["trust"] = "all"
    path = reverse("reminders:dashboard")
    return absolute(f"{path}?{urlencode(query)}#reminder-{reminder.pk}")


def _settings_url() -> str:
    return absolute(reverse("reminders:notifications"))


def channel_test_message(channel: NotificationChannel) -> Message:
    hour = {"hour": channel.send_hour}
    if channel.morning_message and channel.weekly_digest:
        plan = (
            gettext(
                "a message on the morning an occasion is due (from %(hour)s:00) "
                "and the weekly digest"
            )
            % hour
        )
    elif channel.morning_message:
        plan = gettext("a message on the morning an occasion is due (from %(hour)s:00)") % hour
    elif channel.weekly_digest:
        plan = gettext("the weekly digest")
    else:
        plan = gettext("test messages only, for now")
    works = gettext("This channel works. “%(name)s” will receive %(plan)s.") % {
        "name": channel.name,
        "plan": plan,
    }
    change = gettext("Change what it receives: %(url)s") % {"url": _settings_url()}
    return Message(title=gettext("Rapport: test message"), body=f"{works}\n{change}")


def _named_recently(channel: NotificationChannel, day: date) -> set[int]:
    """Reminders that earlier morning messages to this channel named (sent, or maybe sent)."""
    since = day - timedelta(days=CAREER_MOVE_OPEN_DAYS + 1)
    named: set[int] = set()
    for ids in NotificationDelivery.objects.filter(
        channel=channel,
        kind=DeliveryKind.MORNING,
        status__in=[DeliveryStatus.SENT, DeliveryStatus.SENDING],
        created_at__date__gte=since,
    ).values_list("reminder_ids", flat=True):
        named.update(i for i in ids or [] if isinstance(i, int))
    return named


def morning_reminders(channel: NotificationChannel, day: date) -> list[Reminder]:
    """What is due on `day`, plus career moves noticed late that no message named yet."""
    kinds = [*OCCASION_KINDS]
    if channel.include_keep_in_touch:
        kinds.append(ReminderKind.KEEP_IN_TOUCH)
    late_careers = Q(
        status=ReminderStatus.OPEN,
        kind__in=CAREER_KINDS,
        due_on__gte=day - timedelta(days=CAREER_MOVE_OPEN_DAYS),
        due_on__lt=day,
    )
    return list(
        Reminder.objects.owned_by(channel.owner)
        .filter(kind__in=kinds)
        .filter(
            Q(status=ReminderStatus.OPEN, due_on=day)
            | Q(status=ReminderStatus.SNOOZED, snoozed_until=day)
            | late_careers
        )
        .exclude(pk__in=_named_recently(channel, day))
        .select_related("contact", "position", "custom_date")
        .order_by("due_on", "contact__last_name", "contact__first_name", "id")
    )


def morning_message(channel: NotificationChannel, day: date) -> Message | None:
    """The message for the morning of `day`, or None when nothing is due."""
    user: User = channel.owner
    scan_user(user=user, today=day)  # today's occasions exist even before the daily scan
    reminders = morning_reminders(channel, day)
    if not reminders:
        return None
    shown = reminders[:MORNING_LIMIT]
    if len(reminders) == 1:
        title = gettext("Today: %(name)s") % {"name": reminders[0].contact.full_name}
    else:
        title = ngettext(
            "Today: %(count)d person to congratulate or catch up with",
            "Today: %(count)d people to congratulate or catch up with",
            len(reminders),
        ) % {"count": len(reminders)}
    lines = []
    for reminder in shown:
        lines.append(f"• {reminder.contact.full_name} — {describe_reminder(reminder)}")
        lines.append("  " + gettext("Draft a note: %(url)s") % {"url": draft_url(reminder)})
    if len(reminders) > len(shown):
        more = len(reminders) - len(shown)
        lines.append(
            ngettext("…and %(count)d more: %(url)s", "…and %(count)d more: %(url)s", more)
            % {"count": more, "url": _dashboard_url()}
        )
    lines.append("")
    lines.append(gettext("Your week: %(url)s") % {"url": _dashboard_url()})
    return Message(title=title, body="\n".join(lines), reminder_ids=[r.pk for r in reminders])


def _digest_line(item: DigestItem, today: date) -> str:
    """ "• Ada Lovelace — New job: … (since Mon 30 Nov)"; an item that says its own "when"
    (a promise "due", an introduction "waiting since") says it before the date."""
    day = date_format(item.due_on, "D j M")
    if item.when:
        when = f"{item.when} {day}"
    else:
        when = gettext("since %(date)s") % {"date": day} if item.due_on < today else day
    what = f" — {item.what}" if item.what else ""
    return f"• {item.name}{what} ({when})"


def digest_message(channel: NotificationChannel, week_start: date) -> Message | None:
    """The week ahead from `week_start` (or today, if later), or None when it is empty."""
    user: User = channel.owner
    prefs = UserSettings.for_user(user)
    today = max(prefs.today(), week_start)
    scan_user(user=user, today=today)
    # The same groups as the email digest: what waits on the user first, then the week.
    groups = waiting_groups(user=user, today=today) + [
        group
        for group in digest_groups(user=user, today=today)
        if channel.include_keep_in_touch or group.title != str(KEEP_IN_TOUCH_GROUP)
    ]
    if not groups:
        return None
    count = sum(len(g.items) + g.more for g in groups)
    until = today + timedelta(days=6)
    lines = [
        gettext("%(start)s to %(end)s")
        % {"start": date_format(today, "D j M"), "end": date_format(until, "D j M")}
    ]
    for group in groups:
        lines.append("")
        lines.append(group.title.upper())
        lines.extend(_digest_line(item, today) for item in group.items[:DIGEST_GROUP_LIMIT])
        more = len(group.items) - DIGEST_GROUP_LIMIT + group.more
        if more > 0:
            lines.append(
                ngettext("…and %(count)d more", "…and %(count)d more", more) % {"count": more}
            )
    lines.append("")
    lines.append(gettext("Your week: %(url)s") % {"url": _dashboard_url()})
    title = ngettext(
        "Who to congratulate this week: %(count)d to keep up with",
        "Who to congratulate this week: %(count)d to keep up with",
        count,
    ) % {"count": count}
    return Message(title=title, body="\n".join(lines))
