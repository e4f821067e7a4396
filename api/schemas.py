"""What the API sends back: plain JSON objects built from the models.

Each `*_out` builder reads only what its list query selected or prefetched, so a
page of fifty costs the same handful of queries as a page of one.
"""

from datetime import date, datetime

from django.urls import reverse
from ninja import Schema

from contacts.models import Contact, ContactEmail, ContactPhone, Interaction, Position, Tag
from reminders.context_lines import days_phrase
from reminders.models import NoteDraft, Reminder


class ErrorOut(Schema):
    detail: str
    errors: dict[str, list[str]] | None = None


class PersonRef(Schema):
    id: int
    name: str


class PositionOut(Schema):
    id: int
    company: str
    title: str
    start_date: date | None
    end_date: date | None
    current: bool


class EmailOut(Schema):
    email: str
    label: str


class PhoneOut(Schema):
    number: str
    label: str


class BirthdayOut(Schema):
    day: int
    month: int
    year: int | None


class HowWeMetOut(Schema):
    story: str
    met_on: date | None
    met_at: str
    introduced_by: PersonRef | None


class ContactOut(Schema):
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


class ContactPage(Schema):
    items: list[ContactOut]
    next_cursor: str | None


class TagOut(Schema):
    id: int
    name: str
    contacts: int


class TagPage(Schema):
    items: list[TagOut]
    next_cursor: str | None


class InteractionOut(Schema):
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


class InteractionPage(Schema):
    items: list[InteractionOut]
    next_cursor: str | None


class ReminderOut(Schema):
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


class WeekOut(Schema):
    starts_on: date
    ends_on: date
    today: date


class ReminderPage(Schema):
    week: WeekOut
    items: list[ReminderOut]
    next_cursor: str | None


class NoteOut(Schema):
    id: int
    contact: PersonRef
    reminder: int | None
    subject: str
    body: str
    sent_at: datetime | None
    created_at: datetime
    updated_at: datetime
    url: str


class NotePage(Schema):
    items: list[NoteOut]
    next_cursor: str | None


def person(contact: Contact) -> dict:
    return {"id": contact.pk, "name": contact.full_name}


def _details(ids: list[int]) -> dict[int, dict[str, list]]:
    """Tags, emails, phones and positions of these contacts: four plain queries in all.

    Plain values rather than prefetched model instances: a page of fifty people has a
    few hundred of these rows, and building a model object for each cost more than the
    queries themselves.
    """
    found: dict[int, dict[str, list]] = {
        pk: {"tags": [], "emails": [], "phones": [], "positions": []} for pk in ids
    }
    tags = Contact.tags.through.objects.filter(contact_id__in=ids).order_by("tag__name")
    for contact_id, name in tags.values_list("contact_id", "tag__name"):
        found[contact_id]["tags"].append(name)
    emails = ContactEmail.objects.filter(contact_id__in=ids).order_by("id")
    for contact_id, email, label in emails.values_list("contact_id", "email", "label"):
        found[contact_id]["emails"].append({"email": email, "label": label})
    phones = ContactPhone.objects.filter(contact_id__in=ids).order_by("id")
    for contact_id, number, label in phones.values_list("contact_id", "number", "label"):
        found[contact_id]["phones"].append({"number": number, "label": label})
    positions = Position.objects.filter(contact_id__in=ids).order_by("-start_date", "-id")
    fields = ("contact_id", "id", "company", "title", "start_date", "end_date")
    for contact_id, pk, company, title, start, end in positions.values_list(*fields):
        found[contact_id]["positions"].append(
            {"id": pk, "company": company, "title": title, "start_date": start,
             "end_date": end, "current": end is None}
        )  # fmt: skip
    return found


def contacts_out(contacts: list[Contact]) -> list[dict]:
    """Contacts with `introduced_by` joined, as the API shows them (five queries at most)."""
    details = _details([c.pk for c in contacts]) if contacts else {}
    return [_contact_out(c, details[c.pk]) for c in contacts]


def contact_out(contact: Contact) -> dict:
    return contacts_out([contact])[0]


def _contact_out(contact: Contact, details: dict[str, list]) -> dict:
    introducer = contact.introduced_by
    birthday = None
    if contact.birthday_day is not None and contact.birthday_month is not None:
        birthday = {
            "day": contact.birthday_day,
            "month": contact.birthday_month,
            "year": contact.birthday_year,
        }
    return {
        "id": contact.pk,
        "first_name": contact.first_name,
        "last_name": contact.last_name,
        "name": contact.full_name,
        "trust_level": contact.trust_level,
        "trust_label": contact.trust_label,
        "how_we_met": {
            "story": contact.how_we_met,
            "met_on": contact.met_on,
            "met_at": contact.met_at,
            "introduced_by": person(introducer) if introducer else None,
        },
        "linkedin_url": contact.linkedin_url,
        "birthday": birthday,
        "notes": contact.notes,
        "keep_in_touch_days": contact.keep_in_touch_days,
        **details,
        "last_interaction_on": contact.last_interaction_on,
        "created_at": contact.created_at,
        "updated_at": contact.updated_at,
        "url": reverse("contacts:detail", args=[contact.pk]),
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


def reminder_out(reminder: Reminder, today: date) -> dict:
    """Needs `with_context` joins and `attach_context_lines`."""
    position = reminder.position
    return {
        "id": reminder.pk,
        "kind": reminder.kind,
        "kind_label": reminder.get_kind_display(),
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
        "url": reverse("reminders:note_edit", args=[note.pk]),
    }
