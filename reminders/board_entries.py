"""The entries of This week as the template shows them: fetched with their context, dressed.

A board shows a few dozen entries at most, each in one query with what its line
needs (`shown_rows`); `dress_entries` then works out, once per entry, what the
template would otherwise compute in every place it is used: the template language
is slow at logic and at numbers (it localizes them), and a page repeats both per
entry.
"""

from datetime import date
from typing import Any

from django.contrib.auth.models import User
from django.db.models import F, QuerySet
from django.db.models.expressions import RawSQL
from django.utils.formats import date_format
from django.utils.translation import gettext

from contacts.models import Position
from contacts.templatetags.avatars import avatar
from crm.urlcache import id_url
from reminders.context_lines import (
    attach_context_lines,
    days_phrase,
    set_context_lines,
    with_context,
)
from reminders.models import NoteDraft, Reminder, ReminderKind, ReminderStatus

# Long text the board never shows; left in the database.
HEAVY_CONTACT_FIELDS = ("contact__search_text", "contact__notes", "contact__how_we_met")


def shown_rows(picked: QuerySet[Reminder, Any]) -> QuerySet[Reminder]:
    """The reminders `picked` (a top-level filter), with their line's data and open draft.

    One query: the last conversation (a join on Contact.last_interaction), the
    previous job and the unsent draft come as columns of the reminders' own rows, so
    no number of entries adds a query. The two lookups are plain SQL subqueries on
    the outer table by name, which is why `picked` must not be nested in another
    query: as ORM expressions they cost more Python than the whole query's run. The
    previous job is looked up only for job changes and promotions (a CASE evaluates
    its branch lazily).
    """
    return (
        with_context(picked)
        .annotate(
            last_talked_on=F("contact__last_interaction__occurred_on"),
            last_talked_summary=F("contact__last_interaction__summary"),
            previous_title=_previous_job("title"),
            previous_company=_previous_job("company"),
            draft_id=RawSQL(_OPEN_DRAFT, ()),  # noqa: S611 (no outside text in it)
        )
        .defer(*HEAVY_CONTACT_FIELDS, "contact__last_interaction__notes")
        .order_by("due_on", "id")
    )


_REMINDER = Reminder._meta.db_table
_POSITION = Position._meta.db_table
# The newest unsent draft of the reminder.
_OPEN_DRAFT = f"""(
    SELECT d.id FROM {NoteDraft._meta.db_table} d
    WHERE d.reminder_id = "{_REMINDER}".id AND d.sent_at IS NULL ORDER BY d.id DESC LIMIT 1
)"""  # noqa: S608


def _previous_job(column: str) -> RawSQL:
    """The contact's job before the reminder's, as context_lines orders positions."""
    sql = f"""CASE WHEN "{_REMINDER}".kind IN (%s, %s)
        AND "{_REMINDER}".position_id IS NOT NULL THEN (
        SELECT p.{column} FROM {_POSITION} p
        WHERE p.contact_id = "{_REMINDER}".contact_id AND p.id <> "{_REMINDER}".position_id
        ORDER BY p.end_date DESC NULLS FIRST, p.start_date DESC, p.id DESC LIMIT 1
    ) END"""  # noqa: S608
    kinds = (ReminderKind.JOB_CHANGE.value, ReminderKind.PROMOTION.value)
    return RawSQL(sql, kinds)  # noqa: S611 (a column name of ours; values are parameters)


def dress_entries(entries: list[Reminder], today: date) -> None:
    """Entries fetched by `shown_rows`, ready for the template (no query)."""
    set_context_lines(entries, today)
    for reminder in entries:
        _dress(reminder, today)


def annotate_entry(reminder: Reminder, *, owner: User, today: date) -> Reminder:
    """One reminder (fetched through `with_context`) dressed as the board shows it.

    For an entry swapped back in after Undo or an error: two queries for its line,
    one for its draft.
    """
    attach_context_lines([reminder], today)
    entry: Any = reminder
    entry.draft_id = (
        NoteDraft.objects.owned_by(owner)
        .filter(reminder=reminder, sent_at__isnull=True)
        .order_by("-pk")
        .values_list("pk", flat=True)
        .first()
    )
    _dress(reminder, today)
    return reminder


def _dress(reminder: Reminder, today: date) -> None:
    entry: Any = reminder
    effective = (
        reminder.snoozed_until if reminder.status == ReminderStatus.SNOOZED else None
    ) or reminder.due_on
    entry.overdue_days = (today - effective).days
    entry.when = days_phrase(reminder.due_on, today)
    # Read by the template for every entry: a missing attribute costs a failed lookup.
    entry.settled = False
    entry.focus = False
    entry.key = str(reminder.pk)
    entry.is_touch = reminder.kind == ReminderKind.KEEP_IN_TOUCH
    overdue = entry.overdue_days > 0
    entry.classes = "entry" + (" entry--touch" if entry.is_touch else "")
    entry.classes += " entry--overdue" if overdue else ""
    entry.badge_class = "badge badge--overdue" if overdue else "badge"
    if reminder.status == ReminderStatus.SNOOZED:
        entry.badge = gettext("back from snooze")
    elif overdue:
        entry.badge = gettext("due %(when)s") % {"when": entry.when}
    else:
        entry.badge = entry.when
    entry.due_title = date_format(reminder.due_on, "j M Y")
    entry.name = reminder.contact.full_name
    # The avatar tag's own markup (contacts.templatetags.avatars), made here once.
    entry.avatar = avatar(reminder.contact)
    entry.trust_class = reminder.contact.trust_level or "unrated"
    entry.trust_label = reminder.contact.trust_label
    entry.contact_url = id_url("contacts:detail", reminder.contact_id)
    entry.draft_url = id_url("reminders:note_edit", entry.draft_id) if entry.draft_id else ""
    introduction = reminder.introduction_id
    entry.introduction_url = (
        id_url("contacts:introduction_detail", introduction) if introduction else ""
    )
    entry.snooze_url = id_url("reminders:reminder_snooze", reminder.pk)
    entry.done_url = id_url("reminders:reminder_done", reminder.pk)
    entry.dismiss_url = id_url("reminders:reminder_dismiss", reminder.pk)
