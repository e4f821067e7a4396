"""Reading the values of a Rapport JSON backup: each helper validates one kind of value.

A bad value raises Bad with a reason; the importer skips that item and reports why.
Dates must lie within contacts.limits (1900 to ten years ahead). Long free text
(notes, how we met) is cut to its limit instead, and the cut is reported: losing a
whole contact over a long note would be worse.
"""

import re
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from django.contrib.auth.models import User
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from contacts import limits
from contacts.importers.base import email_problem
from contacts.models import Contact, TrustLevel
from contacts.normalize import InvalidLinkedInURL, normalize_email, normalize_linkedin_url
from contacts.photos import Photo, PhotoError, photo_from_base64
from crm.formats import grouped

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

BIRTHDAY = re.compile(r"^(?:(\d{4})|-)-(\d{2})-(\d{2})$")


class Bad(ValueError):
    """One item of the document is unusable; it is skipped with this reason."""


# What the report calls each item of a backup: "Interaction 3: unknown kind …".
CONTACT = pgettext_lazy("backup item", "Contact")
INTERACTION = pgettext_lazy("backup item", "Interaction")
REMINDER = pgettext_lazy("backup item", "Reminder")
NOTE = pgettext_lazy("backup item", "Note")
NOBODY_IMPORTED = _("none of its contacts was imported")


def item_name(what: "StrOrPromise", number: int, name: str = "") -> str:
    """ "Contact 3", or "Contact 3 (Ada Lovelace)" once the name is known."""
    values = {"what": what, "number": number, "name": name}
    return (
        gettext("%(what)s %(number)s (%(name)s)") if name else gettext("%(what)s %(number)s")
    ) % values


def already_here(name: str) -> str:
    return gettext("%(name)s is already in your contacts") % {"name": name}


def unknown_initiator(shown: str) -> str:
    return gettext('"initiated_by" %(value)s is unknown, so "me"') % {"value": repr(shown)}


def second_current_job(position: Any, kept: Any) -> str:
    """The cut noted when a backup's second current job is ended before the kept one."""
    return gettext(
        '"%(job)s" was a second current job, so it now ends on %(day)s, before “%(kept)s”'
    ) % {"job": position, "day": position.end_date.isoformat(), "kept": kept}


def problem_line(where: str, problem: object) -> str:
    """A line of the report: "Contact 3: no first or last name."."""
    return gettext("%(where)s: %(problem)s.") % {"where": where, "problem": problem}


def text(item: dict[str, Any], key: str, limit: int | None = None) -> str:
    value = item.get(key) or ""
    if not isinstance(value, str):
        raise Bad(gettext('"%(key)s" must be text') % {"key": key})
    value = value.strip() if limit else value
    if limit and len(value) > limit:
        raise Bad(
            gettext('"%(key)s" is longer than %(limit)s characters') % {"key": key, "limit": limit}
        )
    return value


def long_text(item: dict[str, Any], key: str, limit: int, cuts: list[str]) -> str:
    """Free text cut to `limit` characters; the cut is added to `cuts` for the report."""
    value = text(item, key)
    if len(value) > limit:
        cuts.append(
            gettext('"%(key)s" was cut to %(limit)s characters (it had %(length)s)')
            % {"key": key, "limit": grouped(limit), "length": grouped(len(value))}
        )
        value = value[:limit]
    return value


def date_value(
    item: dict[str, Any], key: str, *, today: date, cuts: list[str] | None = None
) -> date | None:
    """The date under `key`, or None. Out of range, it is left out with a note in
    `cuts` when given (an optional date of a record worth keeping), else refused."""
    value = item.get(key)
    if value in (None, ""):
        return None
    try:
        parsed = date.fromisoformat(value)
    except (TypeError, ValueError):
        raise Bad(gettext('"%(key)s" is not a date like 2024-03-14') % {"key": key}) from None
    if not limits.in_range(parsed, today=today):
        outside = _outside(key, value, today)
        if cuts is None:
            raise Bad(outside)
        cuts.append(_left_out(outside))
        return None
    return parsed


def datetime_value(item: dict[str, Any], key: str, *, today: date) -> datetime | None:
    value = item.get(key)
    if value in (None, ""):
        return None
    try:
        parsed = parse_datetime(value) if isinstance(value, str) else None
    except ValueError:  # well formed, but no such moment (2024-02-30T25:00)
        parsed = None
    if parsed is None:
        raise Bad(gettext('"%(key)s" is not a date and time') % {"key": key})
    if not limits.datetime_in_range(parsed, today=today):
        raise Bad(_outside(key, value, today))
    return parsed


def birthday(
    value: Any, *, today: date, cuts: list[str]
) -> tuple[int | None, int | None, int | None]:
    """Year, month and day; a year Rapport cannot store is left out, and a day that
    does not exist leaves the whole birthday out, each with a note in `cuts`."""
    if value in (None, ""):
        return None, None, None
    match = BIRTHDAY.match(value) if isinstance(value, str) else None
    if not match:
        raise Bad(gettext('"birthday" must look like 1986-07-04 or --07-04'))
    year = int(match.group(1)) if match.group(1) else None
    month, day = int(match.group(2)), int(match.group(3))
    if limits.birthday_problem(None, month, day, today=today):
        cuts.append(
            gettext('"birthday" %(value)s is not a real date, and was left out') % {"value": value}
        )
        return None, None, None
    problem = limits.birthday_problem(year, month, day, today=today)
    if problem:
        cuts.append(
            gettext('"birthday" %(value)s %(problem)s: kept without the year')
            % {"value": value, "problem": problem}
        )
        return None, month, day
    return year, month, day


def ref(value: Any) -> Any:
    return value if isinstance(value, (int, str)) and not isinstance(value, bool) else None


def whole_number(item: dict[str, Any], key: str, limit: int, what: "StrOrPromise") -> int | None:
    value = item.get(key)
    if value is None:
        return None
    if not isinstance(value, int) or isinstance(value, bool) or not 0 <= value <= limit:
        raise Bad(
            gettext('"%(key)s" must be a whole number of %(what)s from 0 to %(limit)s')
            % {"key": key, "what": what, "limit": grouped(limit)}
        )
    return value


def contact_from(owner: User, item: dict[str, Any], *, today: date, cuts: list[str]) -> Contact:
    """An unsaved contact; free text over its limit is cut and the cut noted in `cuts`."""
    trust = item.get("trust_level")
    if trust not in (None, "") and trust not in TrustLevel.values:
        raise Bad(gettext('unknown trust level "%(level)s"') % {"level": trust})
    try:
        days = whole_number(item, "keep_in_touch_days", limits.KEEP_IN_TOUCH_MAX_DAYS, _("days"))
    except Bad as exc:
        cuts.append(_left_out(str(exc)))
        days = None
    url = text(item, "linkedin_url", 300)
    if url:
        try:
            url = normalize_linkedin_url(url)
        except InvalidLinkedInURL:
            raise Bad(gettext('"%(url)s" is not a LinkedIn profile URL') % {"url": url}) from None
    year, month, day = birthday(item.get("birthday"), today=today, cuts=cuts)
    contact = Contact(
        owner=owner,
        first_name=text(item, "first_name", 100),
        last_name=text(item, "last_name", 100),
        trust_level=trust or None,
        how_we_met=long_text(item, "how_we_met", limits.HOW_WE_MET_MAX, cuts),
        met_on=date_value(item, "met_on", today=today, cuts=cuts),
        met_at=text(item, "met_at", 200),
        linkedin_url=url,
        birthday_year=year,
        birthday_month=month,
        birthday_day=day,
        notes=long_text(item, "notes", limits.NOTES_MAX, cuts),
        keep_in_touch_days=days,
        connected_on=date_value(item, "connected_on", today=today, cuts=cuts),
    )
    if not contact.full_name:
        raise Bad(gettext("no first or last name"))
    return contact


def listed(item: dict[str, Any], key: str) -> list[Any]:
    """The list under `key` (missing or null: empty); anything else is refused."""
    value = item.get(key)
    if value is None:
        return []
    if not isinstance(value, list):
        raise Bad(gettext('"%(key)s" must be a list') % {"key": key})
    return value


def pairs(values: Any, key: str) -> list[tuple[str, str]]:
    """Emails or phones given as strings or as {"email"/"number": ..., "label": ...}."""
    field = {"email": "emails", "number": "phones"}.get(key, f"{key}s")
    if values is not None and not isinstance(values, list):
        raise Bad(gettext('"%(key)s" must be a list') % {"key": field})
    result = []
    for value in values or []:
        if isinstance(value, str):
            result.append((value.strip(), ""))
        elif isinstance(value, dict) and isinstance(value.get(key), str):
            label = value.get("label")
            result.append(
                (value[key].strip(), label[: limits.LABEL_MAX] if isinstance(label, str) else "")
            )
        else:
            raise Bad(gettext('"%(key)s" must be a list of text') % {"key": field})
    return [(v, label) for v, label in result if v]


def emails_of(item: dict[str, Any], cuts: list[str]) -> list[tuple[str, str]]:
    """A contact's addresses as the contact form takes them: one the form would refuse
    is left out, and past EMAILS_MAX the rest are (each noted in `cuts`). Repeats are
    kept, as the backup has them: a restore gives back what was exported."""
    kept: list[tuple[str, str]] = []
    for address, label in pairs(item.get("emails"), "email"):
        address = normalize_email(address)
        if problem := email_problem(address):
            cuts.append(
                gettext('email "%(address)s" %(problem)s, and was left out')
                % {"address": address[:60], "problem": problem}
            )
        else:
            kept.append((address, label))
    return _capped(kept, limits.EMAILS_MAX, _("email addresses"), cuts)


def phones_of(item: dict[str, Any], cuts: list[str]) -> list[tuple[str, str]]:
    kept: list[tuple[str, str]] = []
    for number, label in pairs(item.get("phones"), "number"):
        if len(number) > limits.PHONE_LENGTH_MAX:
            cuts.append(
                gettext('phone "%(number)s" is longer than %(most)s characters, and was left out')
                % {"number": number[:60], "most": limits.PHONE_LENGTH_MAX}
            )
        else:
            kept.append((number, label))
    return _capped(kept, limits.PHONES_MAX, _("phone numbers"), cuts)


def tags_of(item: dict[str, Any], cuts: list[str]) -> list[str]:
    names = [
        name.strip().lower()[: limits.TAG_LENGTH_MAX].strip()
        for name in listed(item, "tags")
        if isinstance(name, str) and name.strip()
    ]
    return _capped(list(dict.fromkeys(names)), limits.TAGS_MAX, _("tags"), cuts)


def _capped(values: list[Any], limit: int, what: "StrOrPromise", cuts: list[str]) -> list[Any]:
    if len(values) > limit:
        cuts.append(
            gettext("only the first %(limit)s of its %(count)s %(what)s were kept")
            % {"limit": limit, "count": grouped(len(values)), "what": what}
        )
    return values[:limit]


def _outside(key: str, value: Any, today: date) -> str:
    return gettext('"%(key)s" is %(value)s, outside %(range)s') % {
        "key": key,
        "value": value,
        "range": limits.range_text(today),
    }


def _left_out(problem: str) -> str:
    return gettext("%(problem)s, and was left out") % {"problem": problem}


def photo_of(item: dict[str, Any], cuts: list[str]) -> Photo | None:
    """The contact's photo (format 1.3), checked as an upload is; a bad one is left out."""
    value = item.get("photo")
    if value in (None, ""):
        return None
    try:
        return photo_from_base64(value)
    except PhotoError as error:
        cuts.append(gettext('"photo" was left out: %(error)s') % {"error": error})
        return None
