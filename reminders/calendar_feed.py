"""The private iCalendar feed of a user's upcoming occasions.

Dates come from reminders.scan.upcoming_occasions, the same rules the daily
scan uses, so the calendar and the dashboard never disagree. Keep-in-touch
nudges are left out: they move whenever you talk to someone, which a
subscribed calendar would show as noise.
"""

from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from typing import TYPE_CHECKING

from django.contrib.auth.models import User
from django.utils.translation import gettext, gettext_lazy, pgettext_lazy
from icalendar import Calendar, Event

from contacts.models import Contact
from reminders.models import ReminderKind
from reminders.occasions import Occasion
from reminders.scan import upcoming_occasions

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

FEED_DAYS = 365
PRODID = "-//Rapport//Occasions feed//EN"
KIND_TITLES: dict[str, "StrOrPromise"] = {
    ReminderKind.JOB_CHANGE: gettext_lazy("New job"),
    ReminderKind.PROMOTION: gettext_lazy("Promotion"),
    ReminderKind.WORK_ANNIVERSARY: gettext_lazy("Work anniversary"),
    ReminderKind.BIRTHDAY: gettext_lazy("Birthday"),
    ReminderKind.CUSTOM: pgettext_lazy("calendar day", "Date"),
}


def feed_occasions(*, user: User, start: date) -> list[Occasion]:
    end = start + timedelta(days=FEED_DAYS)
    return [
        occasion
        for occasion in upcoming_occasions(user=user, start=start, end=end)
        if occasion.kind != ReminderKind.KEEP_IN_TOUCH
    ]


def build_feed(
    *, user: User, start: date, contact_url: Callable[[int], str] | None = None
) -> bytes:
    """The iCalendar text: one all-day event per occasion in the next 12 months.

    `contact_url(contact_id)` gives the absolute URL of a contact's page, so
    calendar apps can link back.
    """
    occasions = feed_occasions(user=user, start=start)
    names = dict(
        (pk, " ".join(p for p in (first, last) if p))
        for pk, first, last in Contact.objects.owned_by(user)
        .filter(pk__in={o.contact_id for o in occasions})
        .values_list("pk", "first_name", "last_name")
    )
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", gettext("Rapport: occasions"))
    calendar.add(
        "x-wr-caldesc", gettext("Birthdays, work anniversaries and new jobs of people you know.")
    )
    calendar.add("x-published-ttl", "PT12H")
    stamp = datetime.now(UTC).replace(microsecond=0)
    for occasion in occasions:
        name = names.get(occasion.contact_id)
        if name is None:
            continue
        title = str(KIND_TITLES.get(occasion.kind) or gettext("Occasion"))
        event = Event()
        event.add("uid", f"{occasion.kind}-{occasion.contact_id}-{occasion.occasion_key}@rapport")
        event.add("dtstamp", stamp)
        event.add("dtstart", occasion.due_on)
        event.add("dtend", occasion.due_on + timedelta(days=1))
        event.add("summary", gettext("%(occasion)s: %(name)s") % {"occasion": title, "name": name})
        if occasion.label:
            event.add("description", occasion.label)
        url = contact_url(occasion.contact_id) if contact_url else ""
        if url:
            event.add("url", url)
        event.add("transp", "TRANSPARENT")
        event.add("categories", [title])
        calendar.add_component(event)
    return calendar.to_ical()
