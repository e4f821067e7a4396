"""One line of context per reminder, so the dashboard says why the occasion matters.

Everything a line needs is fetched set-based: `with_context` joins the contact,
position and custom date; `attach_context_lines` loads the last conversation and
the previous job of all shown reminders' contacts in two queries, whatever
their number (This week asks for them as columns of its one query instead:
reminders.board_entries), and `set_context_lines` writes the lines.
"""

from collections.abc import Callable, Iterable
from datetime import date

from django.db.models import F, QuerySet
from django.utils.formats import date_format
from django.utils.translation import gettext, ngettext

from contacts.models import Interaction, Position, job_phrase
from reminders.introduction_reminders import silence_days
from reminders.models import CAREER_KINDS, Reminder, ReminderKind


def with_context(queryset: QuerySet[Reminder]) -> QuerySet[Reminder]:
    """Join what every line reads; `attach_context_lines` fetches the rest for shown rows."""
    return queryset.select_related("contact", "position", "custom_date")


def _prefetch(reminders: list[Reminder]) -> None:
    """Last conversation and previous job of each reminder's contact: two queries in all.

    Contact.last_interaction, kept right by contacts.relationships, names the
    newest interaction, so no contact's history is walked.
    """
    talked_with: dict[int, list[int]] = {}
    for reminder in reminders:
        newest = reminder.contact.last_interaction_id
        if newest is not None:
            talked_with.setdefault(newest, []).append(reminder.contact_id)
    latest: dict[int, tuple[date, str]] = {}
    if talked_with:
        rows = Interaction.objects.filter(pk__in=list(talked_with)).values_list(
            "pk", "occurred_on", "summary"
        )
        for pk, on, summary in rows:
            for contact_id in talked_with[pk]:
                latest[contact_id] = (on, summary)
    career = [r for r in reminders if r.kind in CAREER_KINDS and r.position_id]
    previous: dict[int, tuple[str, str]] = {}
    if career:
        positions = Position.objects.filter(contact_id__in={r.contact_id for r in career}).order_by(
            "contact_id", F("end_date").desc(nulls_first=True), "-start_date", "-id"
        )
        by_contact: dict[int, list[Position]] = {}
        for position in positions.only("id", "contact_id", "title", "company"):
            by_contact.setdefault(position.contact_id, []).append(position)
        for reminder in career:
            earlier = [
                p for p in by_contact.get(reminder.contact_id, []) if p.pk != reminder.position_id
            ]
            if earlier:
                previous[reminder.pk] = (earlier[0].title, earlier[0].company)
    for reminder in reminders:
        talked_on, summary = latest.get(reminder.contact_id, (None, ""))
        reminder.last_talked_on = talked_on  # type: ignore[attr-defined]
        reminder.last_talked_summary = summary  # type: ignore[attr-defined]
        title, company = previous.get(reminder.pk, ("", ""))
        reminder.previous_title = title  # type: ignore[attr-defined]
        reminder.previous_company = company  # type: ignore[attr-defined]


def days_phrase(day: date, today: date) -> str:
    """'today', 'yesterday', '4 days ago', 'tomorrow', 'in 3 days'."""
    delta = (today - day).days
    if delta == 0:
        return gettext("today")
    if delta == 1:
        return gettext("yesterday")
    if delta == -1:
        return gettext("tomorrow")
    if delta > 0:
        return ngettext("%(count)d day ago", "%(count)d days ago", delta) % {"count": delta}
    return ngettext("in %(count)d day", "in %(count)d days", -delta) % {"count": -delta}


def _on(day: date, today: date) -> str:
    if abs((today - day).days) <= 1:
        return days_phrase(day, today)
    return gettext("on %(date)s") % {"date": date_format(day, "D j M")}


# The lines below grow a phrase at a time; each step is one msgid with the line so far as
# %(line)s, so a language can put the addition where it belongs.
def _add(line: str, template: str, **values: object) -> str:
    return template % {"line": line, **values}


def _last_talked(reminder: Reminder, today: date) -> str:
    on = getattr(reminder, "last_talked_on", None)
    if on is None:
        return ""
    summary = (getattr(reminder, "last_talked_summary", "") or "").strip()
    when = days_phrase(on, today)
    if summary:
        return gettext("last talked %(when)s: %(summary)s") % {"when": when, "summary": summary}
    return gettext("last talked %(when)s") % {"when": when}


def noticed_phrase(detected_on: date, today: date) -> str:
    """A job an import noticed: when it was noticed, never as a start date."""
    return gettext("noticed %(when)s (start date unknown)") % {"when": _on(detected_on, today)}


def _promotion(reminder: Reminder, position: Position, when: str) -> str:
    title = position.title or gettext("a new role")
    if position.start_date and position.company:
        template = gettext("promoted to %(title)s at %(company)s")
    elif position.start_date:
        template = gettext("promoted to %(title)s")
    elif position.company:
        template = gettext("now %(title)s at %(company)s")
    else:
        template = gettext("now %(title)s")
    line = template % {"title": title, "company": position.company}
    if when and position.start_date:
        line = _add(line, gettext("%(line)s %(when)s"), when=when)
    prior = getattr(reminder, "previous_title", "") or ""
    if prior and prior != position.title:
        line = _add(line, gettext("%(line)s (was %(title)s)"), title=prior)
    if when and not position.start_date:
        line = _add(line, gettext("%(line)s, %(when)s"), when=when)
    return line


def _career_move(reminder: Reminder, today: date) -> str:
    position = reminder.position
    if position is None:
        return gettext("new job")
    # Only a known start date is "when they started"; an import's detection day is not.
    when = days_phrase(position.start_date, today) if position.start_date else ""
    if not position.start_date and position.detected_on:
        when = noticed_phrase(position.detected_on, today)
    if reminder.kind == ReminderKind.PROMOTION:
        return _promotion(reminder, position, when)
    previous = job_phrase(
        getattr(reminder, "previous_title", "") or "",
        getattr(reminder, "previous_company", "") or "",
    )
    company = {"company": position.company}
    if position.start_date:
        line = (
            gettext("started at %(company)s") % company
            if position.company
            else gettext("started a new job")
        )
    else:
        line = (
            gettext("now at %(company)s") % company if position.company else gettext("in a new job")
        )
    if position.title:
        line = _add(line, gettext("%(line)s as %(title)s"), title=position.title)
    if when:
        if position.start_date:
            line = _add(line, gettext("%(line)s %(when)s"), when=when)
        else:
            line = _add(line, gettext("%(line)s, %(when)s"), when=when)
    if previous:
        line = _add(line, gettext("%(line)s, after %(job)s"), job=previous)
    return line


def _anniversary(reminder: Reminder, today: date) -> str:
    position = reminder.position
    years = reminder.years
    if years:
        count = ngettext("%(count)d year", "%(count)d years", years) % {"count": years}
    else:
        count = gettext("another year")
    if position is None or not position.company:
        line = gettext("%(years)s in their job") % {"years": count}
    else:
        line = gettext("%(years)s at %(company)s") % {"years": count, "company": position.company}
    if position is None:
        return line
    if position.title:
        line = _add(line, gettext("%(line)s as %(title)s"), title=position.title)
    if position.start_date:
        since = date_format(position.start_date, "j M Y")
        line = _add(line, gettext("%(line)s, since %(date)s"), date=since)
    return line


def _birthday(reminder: Reminder, today: date) -> str:
    contact = reminder.contact
    when = _on(reminder.due_on, today)
    if contact.birthday_year:
        age = reminder.due_on.year - contact.birthday_year
        line = gettext("turns %(age)d %(when)s") % {"age": age, "when": when}
    else:
        line = gettext("birthday %(when)s") % {"when": when}
    talked = _last_talked(reminder, today)
    return f"{line} · {talked}" if talked else line


def _keep_in_touch(reminder: Reminder, today: date) -> str:
    talked = _last_talked(reminder, today)
    if talked:
        return talked
    contact = reminder.contact
    if contact.met_at or contact.met_on:
        when = date_format(contact.met_on, "M Y") if contact.met_on else ""
        if contact.met_at and when:
            return gettext("no conversation logged since you met at %(place)s %(date)s") % {
                "place": contact.met_at,
                "date": when,
            }
        if contact.met_at:
            return gettext("no conversation logged since you met at %(place)s") % {
                "place": contact.met_at
            }
        return gettext("no conversation logged since you met %(date)s") % {"date": when}
    return gettext("no conversation logged yet")


def _custom(reminder: Reminder, today: date) -> str:
    label = reminder.custom_date.label if reminder.custom_date else gettext("A date to remember")
    when = _on(reminder.due_on, today)
    if reminder.years:
        return ngettext(
            "%(label)s, %(count)d year %(when)s",
            "%(label)s, %(count)d years %(when)s",
            reminder.years,
        ) % {"label": label, "count": reminder.years, "when": when}
    return gettext("%(label)s %(when)s") % {"label": label, "when": when}


def _introduction(reminder: Reminder, today: date) -> str:
    days = silence_days(reminder, today)
    return ngettext(
        "hasn't answered about your introduction in %(count)d day",
        "hasn't answered about your introduction in %(count)d days",
        days,
    ) % {"count": days}


_LINES: dict[str, Callable[[Reminder, date], str]] = {
    ReminderKind.JOB_CHANGE: _career_move,
    ReminderKind.PROMOTION: _career_move,
    ReminderKind.WORK_ANNIVERSARY: _anniversary,
    ReminderKind.BIRTHDAY: _birthday,
    ReminderKind.KEEP_IN_TOUCH: _keep_in_touch,
    ReminderKind.CUSTOM: _custom,
    ReminderKind.INTRODUCTION: _introduction,
}


def context_line(reminder: Reminder, today: date) -> str:
    """The concrete line for one reminder fetched through `with_context`."""
    build = _LINES.get(reminder.kind)
    return build(reminder, today) if build else ""


def attach_context_lines(reminders: Iterable[Reminder], today: date) -> None:
    """Set `context_line` on reminders fetched through `with_context` (two more queries)."""
    reminders = list(reminders)
    if not reminders:
        return
    _prefetch(reminders)
    set_context_lines(reminders, today)


def set_context_lines(reminders: Iterable[Reminder], today: date) -> None:
    """Set `context_line` on reminders fetched through `with_line_columns` (no query)."""
    for reminder in reminders:
        reminder.context_line = context_line(reminder, today)  # type: ignore[attr-defined]
