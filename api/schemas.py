"""What the API sends back: plain JSON objects built from the models.

Each `*_out` builder reads only what its list query selected or prefetched, so a
page of fifty costs the same handful of queries as a page of one.
"""

from datetime import date, datetime
from types import SimpleNamespace
from typing import Any

from django.db.models import QuerySet
from pydantic import BaseModel

from api.details import contact_details
from contacts.models import Contact, Interaction, Tag, TrustLevel
from crm.urlcache import id_url
from reminders.context_lines import days_phrase
from reminders.models import NoteDraft, Reminder, ReminderKind


class ErrorOut(BaseModel):
    detail: str
    errors: dict[str, list[str]] | None = None


class PersonRef(BaseModel):
    id: int
    name: str


class PositionOut(BaseModel):
    id: int
    company: str
    title: str
    start_date: date | None
    end_date: date | None
    current: bool


class EmailOut(BaseModel):
    email: str
    label: str


class PhoneOut(BaseModel):
    number: str
    label: str


class BirthdayOut(BaseModel):
    day: int
    month: int
    year: int | None


class HowWeMetOut(BaseModel):
    story: str
    met_on: date | None
    met_at: str
    introduced_by: PersonRef | None


class ContactOut(BaseModel):
    id: int
    first_name: str
    last_name: str
    name: str
    trust_level: str | None
    trust_label: str
    how_we_met: HowWeMetOut
    linkedin_url: str
    birthday: BirthdayOut | None
    notes: str
    keep_in_touch_days: int | None
    tags: list[str]
    emails: list[EmailOut]
    phones: list[PhoneOut]
    positions: list[PositionOut]
    last_interaction_on: date | None
    created_at: datetime
    updated_at: datetime
    url: str


class ContactPage(BaseModel):
    items: list[ContactOut]
    next_cursor: str | None


class TagOut(BaseModel):
    id: int
    name: str
    contacts: int


class TagPage(BaseModel):
    items: list[TagOut]
    next_cursor: str | None


class InteractionOut(BaseModel):
    id: int
    kind: str
    kind_label: str
    occurred_on: date
    occurred_at: str | None
    summary: str
    notes: str
    initiated_by: str
    contacts: list[PersonRef]
    created_at: datetime
    updated_at: datetime


class InteractionPage(BaseModel):
    items: list[InteractionOut]
    next_cursor: str | None


class ReminderOut(BaseModel):
    id: int
    kind: str
    kind_label: str
    status: str
    due_on: date
    snoozed_until: date | None
    years: int | None
    when: str
    context: str
    contact: PersonRef
    company: str
    title: str
    label: str


class WeekOut(BaseModel):
    starts_on: date
    ends_on: date
    today: date


class ReminderPage(BaseModel):
    week: WeekOut
    items: list[ReminderOut]
    next_cursor: str | None


class NoteOut(BaseModel):
    id: int
    contact: PersonRef
    reminder: int | None
    subject: str
    body: str
    sent_at: datetime | None
    created_at: datetime
    updated_at: datetime
    url: str


class NotePage(BaseModel):
    items: list[NoteOut]
    next_cursor: str | None


def person(contact: Contact) -> dict:
    return {"id": contact.pk, "name": contact.full_name}


# What contacts_out reads of a contact, as `contact_rows` selects it.
CONTACT_FIELDS = (
    "id", "first_name", "last_name", "trust_level", "how_we_met", "met_on", "met_at",
    "introduced_by_id", "introduced_by__first_name", "introduced_by__last_name",
    "linkedin_url", "birthday_day", "birthday_month", "birthday_year", "notes",
    "keep_in_touch_days", "last_interaction_on", "created_at", "updated_at",
)  # fmt: skip


def full_name_of(first_name: str, last_name: str) -> str:
    """Contact.full_name's own rule, for a row read without a model instance."""
    names = SimpleNamespace(first_name=first_name, last_name=last_name)
    return str(Contact.full_name.fget(names))  # type: ignore[attr-defined]


def contact_rows(queryset: QuerySet[Contact]) -> QuerySet[Contact, dict[str, Any]]:
    """The contacts as plain rows for contacts_out: a page of them is read without
    building a model instance for each (and for each introducer), which cost more
    than the query."""
    return queryset.values(*CONTACT_FIELDS)


def contacts_out(rows: list[dict[str, Any]]) -> list[dict]:
    """Contacts (rows of `contact_rows`) as the API shows them: one more query."""
    details = contact_details([row["id"] for row in rows])
    return [_contact_out(row, details[row["id"]]) for row in rows]


def contact_out(contact: Contact) -> dict:
    """One contact as the API shows it (reads it again, with its introducer's name)."""
    return contacts_out(list(contact_rows(Contact.objects.filter(pk=contact.pk))))[0]


def _contact_out(row: dict[str, Any], details: dict[str, list]) -> dict:
    birthday = None
    if row["birthday_day"] is not None and row["birthday_month"] is not None:
        birthday = {
            "day": row["birthday_day"],
            "month": row["birthday_month"],
            "year": row["birthday_year"],
        }
    introducer = None
    if row["introduced_by_id"] is not None:
        introducer = {
            "id": row["introduced_by_id"],
            "name": full_name_of(row["introduced_by__first_name"], row["introduced_by__last_name"]),
        }
    return {
        "id": row["id"],
        "first_name": row["first_name"],
        "last_name": row["last_name"],
        "name": full_name_of(row["first_name"], row["last_name"]),
        "trust_level": row["trust_level"],
        "trust_label": TrustLevel.describe(row["trust_level"]),
        "how_we_met": {
            "story": row["how_we_met"],
            "met_on": row["met_on"],
            "met_at": row["met_at"],
            "introduced_by": introducer,
        },
        "linkedin_url": row["linkedin_url"],
        "birthday": birthday,
        "notes": row["notes"],
        "keep_in_touch_days": row["keep_in_touch_days"],
        **details,
        "last_interaction_on": row["last_interaction_on"],
        "created_at": row["created_at"],
        "updated_at": row["updated_at"],
        "url": id_url("contacts:detail", row["id"]),
    }


def tag_out(tag: Tag) -> dict:
    return {"id": tag.pk, "name": tag.name, "contacts": getattr(tag, "contact_count", 0)}


def interaction_out(interaction: Interaction) -> dict:
    """Needs `contacts` prefetched."""
    at = interaction.occurred_at
    return {
        "id": interaction.pk,
        "kind": interaction.kind,
        "kind_label": interaction.get_kind_display(),
        "occurred_on": interaction.occurred_on,
        "occurred_at": at.strftime("%H:%M") if at else None,
        "summary": interaction.summary,
        "notes": interaction.notes,
        "initiated_by": interaction.initiated_by,
        "contacts": [person(c) for c in interaction.contacts.all()],
        "created_at": interaction.created_at,
        "updated_at": interaction.updated_at,
    }


# get_kind_display() rebuilds its lookup for every call; a page calls it fifty times.
KIND_LABELS = dict(ReminderKind.choices)


def reminder_out(reminder: Reminder, today: date) -> dict:
    """Needs `with_context` joins and `attach_context_lines`."""
    position = reminder.position
    return {
        "id": reminder.pk,
        "kind": reminder.kind,
        "kind_label": str(KIND_LABELS.get(reminder.kind, reminder.kind)),
        "status": reminder.status,
        "due_on": reminder.due_on,
        "snoozed_until": reminder.snoozed_until,
        "years": reminder.years,
        "when": days_phrase(reminder.due_on, today),
        "context": getattr(reminder, "context_line", ""),
        "contact": person(reminder.contact),
        "company": position.company if position else "",
        "title": position.title if position else "",
        "label": reminder.custom_date.label if reminder.custom_date else "",
    }


def note_out(note: NoteDraft) -> dict:
    """Needs `contact` joined."""
    return {
        "id": note.pk,
        "contact": person(note.contact),
        "reminder": note.reminder_id,
        "subject": note.subject,
        "body": note.body,
        "sent_at": note.sent_at,
        "created_at": note.created_at,
        "updated_at": note.updated_at,
        "url": id_url("reminders:note_edit", note.pk),
    }
