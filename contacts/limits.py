"""How far back and ahead a date may go, and how long a typed text may be.

One place for the forms, the importers and the docs (docs/contacts.md, "Limits").
Dates far outside a lifetime are typos (0001-01-01, 9999-12-31 from a broken
import), and near the ends of the calendar the day before a date, or its
anniversaries, do not exist. Text limits keep one field from swallowing the
5 MB a request may carry.
"""

from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

EARLIEST_YEAR = 1900
EARLIEST = date(EARLIEST_YEAR, 1, 1)
# Planned dates (a new job, a launch, a custom date) may be a few years ahead.
YEARS_AHEAD = 10

# Lengths in characters.
NOTES_MAX = 10_000  # a contact's notes, an interaction's notes, a drafted note
HOW_WE_MET_MAX = 5_000  # the story; the triage and connection-request forms took 5,000 already
SHORT_NOTE_MAX = 5_000  # an introduction note, a connection request's message
KEEP_IN_TOUCH_MAX_DAYS = 3650  # ten years; as the cadences in Settings
YEARS_MAX = 200  # an anniversary or an age counted on a reminder
CONTACT_TEXT_MAX = {"how_we_met": HOW_WE_MET_MAX, "notes": NOTES_MAX}
# The columns' lengths, for values that cannot be cut without becoming wrong.
EMAIL_LENGTH_MAX = 254  # RFC 5321's longest address; ContactEmail.email
PHONE_LENGTH_MAX = 40  # ContactPhone.number
LINKEDIN_URL_MAX = 300  # Contact.linkedin_url, ConnectionRequest.linkedin_url
LABEL_MAX = 30  # an email's or phone's label
TAG_LENGTH_MAX = 50  # Tag.name

# How many of each one person may have: the contact form refuses more, so an import
# that went past them would leave a contact the form can no longer save.
EMAILS_MAX = 20
PHONES_MAX = 20
TAGS_MAX = 30

FUTURE = _("That date is in the future.")
# Things that have happened may be dated a day ahead: the browser's "today" may be
# ahead of the time zone in the user's settings.
TIME_ZONE_SLACK = timedelta(days=1)


def latest(today: date) -> date:
    """The last day a date may fall on: 31 December, YEARS_AHEAD years from now."""
    return date(today.year + YEARS_AHEAD, 12, 31)


def in_range(value: date, *, today: date) -> bool:
    return EARLIEST <= value <= latest(today)


def range_text(today: date) -> str:
    """The bounds, as written in import reports: "1900-01-01 to 2036-12-31"."""
    return gettext("%(start)s to %(end)s") % {
        "start": EARLIEST.isoformat(),
        "end": latest(today).isoformat(),
    }


def datetime_in_range(value: datetime, *, today: date) -> bool:
    # Compared on the local date of the value: converting a date-time near year 1 or
    # 9999 to UTC overflows, which is exactly what this check keeps out.
    return in_range(value.date(), today=today)


def birthday_problem(year: int | None, month: int, day: int, *, today: date) -> str | None:
    """Why a birthday cannot be stored, or None. Without a year, 29 February is fine."""
    try:
        born = date(year or 2000, month, day)
    except ValueError:
        return gettext("is not a real date")
    if year is None:
        return None
    if year < EARLIEST_YEAR:
        return gettext("has a year before %(year)s") % {"year": EARLIEST_YEAR}
    if born > today:
        return gettext("is in the future")
    return None


# --- Form validation -------------------------------------------------------------------


def validate_date(value: date | None, *, today: date | None = None) -> None:
    """A date from 1900 to the end of the tenth year from now (careers, custom dates)."""
    if value is None:
        return
    today = today or timezone.localdate()
    if not in_range(value, today=today):
        raise ValidationError(
            gettext("Enter a date between %(first)s and %(last)s."),
            code="date_range",
            params={"first": EARLIEST_YEAR, "last": latest(today).year},
        )


def validate_past_date(
    value: date | None,
    *,
    today: date | None = None,
    slack: timedelta = timedelta(0),
    future_message: "StrOrPromise" = FUTURE,
) -> None:
    """Something that has happened (met on, an interaction): from 1900 up to today.

    `slack` allows a day ahead where the browser's today may be ahead of the user's zone.
    """
    if value is None:
        return
    today = today or timezone.localdate()
    if value < EARLIEST:
        raise ValidationError(
            gettext("Enter a date in %(year)s or later."),
            code="too_early",
            params={"year": EARLIEST_YEAR},
        )
    if value > today + slack:
        raise ValidationError(future_message, code="future")


def date_input_attrs(*, today: date | None = None, past: bool = False) -> dict[str, str]:
    """min/max for an <input type="date">, so the browser's picker agrees with the form."""
    today = today or timezone.localdate()
    return {"min": EARLIEST.isoformat(), "max": (today if past else latest(today)).isoformat()}
