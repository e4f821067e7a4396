"""Reading the values of a Rapport JSON backup: each helper validates one kind of value.

A bad value raises Bad with a reason; the importer skips that item and reports why.
Dates must lie within contacts.limits (1900 to ten years ahead). Long free text
(notes, how we met) is cut to its limit instead, and the cut is reported: losing a
whole contact over a long note would be worse.
"""

import re
from datetime import date, datetime
from typing import Any

from django.contrib.auth.models import User
from django.utils.dateparse import parse_datetime

from contacts import limits
from contacts.models import Contact, TrustLevel
from contacts.normalize import InvalidLinkedInURL, normalize_linkedin_url

BIRTHDAY = re.compile(r"^(?:(\d{4})|-)-(\d{2})-(\d{2})$")


class Bad(ValueError):
    """One item of the document is unusable; it is skipped with this reason."""


def text(item: dict[str, Any], key: str, limit: int | None = None) -> str:
    value = item.get(key) or ""
    if not isinstance(value, str):
        raise Bad(f'"{key}" must be text')
    value = value.strip() if limit else value
    if limit and len(value) > limit:
        raise Bad(f'"{key}" is longer than {limit} characters')
    return value


def long_text(item: dict[str, Any], key: str, limit: int, cuts: list[str]) -> str:
    """Free text cut to `limit` characters; the cut is added to `cuts` for the report."""
    value = text(item, key)
    if len(value) > limit:
        cuts.append(f'"{key}" was cut to {limit:,} characters (it had {len(value):,})')
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
        raise Bad(f'"{key}" is not a date like 2024-03-14') from None
    if not limits.in_range(parsed, today=today):
        outside = f'"{key}" is {value}, outside {limits.range_text(today)}'
        if cuts is None:
            raise Bad(outside)
        cuts.append(f"{outside}, and was left out")
        return None
    return parsed


def datetime_value(item: dict[str, Any], key: str, *, today: date) -> datetime | None:
    value = item.get(key)
    if value in (None, ""):
        return None
    parsed = parse_datetime(value) if isinstance(value, str) else None
    if parsed is None:
        raise Bad(f'"{key}" is not a date and time')
    if not limits.datetime_in_range(parsed, today=today):
        raise Bad(f'"{key}" is {value}, outside {limits.range_text(today)}')
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
        raise Bad('"birthday" must look like 1986-07-04 or --07-04')
    year = int(match.group(1)) if match.group(1) else None
    month, day = int(match.group(2)), int(match.group(3))
    if limits.birthday_problem(None, month, day, today=today):
        cuts.append(f'"birthday" {value} is not a real date, and was left out')
        return None, None, None
    problem = limits.birthday_problem(year, month, day, today=today)
    if problem:
        cuts.append(f'"birthday" {value} {problem}: kept without the year')
        return None, month, day
    return year, month, day


def ref(value: Any) -> Any:
    return value if isinstance(value, (int, str)) and not isinstance(value, bool) else None


def whole_number(item: dict[str, Any], key: str, limit: int, what: str) -> int | None:
    value = item.get(key)
    if value is None:
        return None
    if not isinstance(value, int) or isinstance(value, bool) or not 0 <= value <= limit:
        raise Bad(f'"{key}" must be a whole number of {what} from 0 to {limit:,}')
    return value


def contact_from(owner: User, item: dict[str, Any], *, today: date, cuts: list[str]) -> Contact:
    """An unsaved contact; free text over its limit is cut and the cut noted in `cuts`."""
    trust = item.get("trust_level")
    if trust not in (None, "") and trust not in TrustLevel.values:
        raise Bad(f'unknown trust level "{trust}"')
    try:
        days = whole_number(item, "keep_in_touch_days", limits.KEEP_IN_TOUCH_MAX_DAYS, "days")
    except Bad as exc:
        cuts.append(f"{exc}, and was left out")
        days = None
    url = text(item, "linkedin_url", 300)
    if url:
        try:
            url = normalize_linkedin_url(url)
        except InvalidLinkedInURL:
            raise Bad(f'"{url}" is not a LinkedIn profile URL') from None
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
        raise Bad("no first or last name")
    return contact


def pairs(values: Any, key: str) -> list[tuple[str, str]]:
    """Emails or phones given as strings or as {"email"/"number": ..., "label": ...}."""
    result = []
    for value in values or []:
        if isinstance(value, str):
            result.append((value.strip(), ""))
        elif isinstance(value, dict) and isinstance(value.get(key), str):
            result.append((value[key].strip(), str(value.get("label") or "")[:30]))
        else:
            raise Bad(f'"{key}s" must be a list of text')
    return [(v, label) for v, label in result if v]
