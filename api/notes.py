"""Notes to people: `/api/v1/notes`, drafted from your templates, edited, marked as sent.

The same steps as the web composer: reminders.notes.draft_for writes the first draft
from your template and what Rapport knows; reminders.services keeps the draft and,
once sent, logs the *note sent* interaction and completes the reminder.
"""

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema, Status

from api.auth import caller, preferences, writer
from api.contacts import ERRORS
from api.errors import FieldErrors
from api.pagination import DEFAULT_LIMIT, MAX_LIMIT, paginate
from api.schemas import NoteOut, NotePage, note_out
from api.writes import form_errors
from contacts.models import Contact
from crm.ownership import OwnedQuerySet, get_owned_or_404
from reminders import services
from reminders.models import NoteDraft, Reminder
from reminders.note_forms import NoteDraftForm
from reminders.notes import draft_for

router = Router(tags=["Notes"])


class NoteFilters(Schema):
    sent: bool = Field(False, description="true: notes already marked as sent")
    cursor: str | None = None
    limit: int = Field(DEFAULT_LIMIT, ge=1, le=MAX_LIMIT)


def _notes() -> OwnedQuerySet[NoteDraft]:
    return NoteDraft.objects.select_related("contact").defer("contact__search_text")


@router.get("/notes", response={200: NotePage, **ERRORS}, url_name="notes")
def list_notes(request: HttpRequest, filters: Query[NoteFilters]) -> dict:
    """Your drafts (or, with `sent=true`, the notes you sent), newest first."""
    queryset = _notes().owned_by(caller(request)).filter(sent_at__isnull=not filters.sent)
    page = paginate(queryset, order=["-id"], cursor=filters.cursor, limit=filters.limit)
    return {"items": [note_out(n) for n in page.items], "next_cursor": page.next_cursor}


@router.get("/notes/{int:note_id}", response={200: NoteOut, **ERRORS}, url_name="note")
def get_note(request: HttpRequest, note_id: int) -> dict:
    return note_out(get_owned_or_404(_notes(), caller(request), pk=note_id))


class NoteStart(Schema):
    contact: int | None = Field(None, ge=1, lt=2**63, description="Write to this contact…")
    reminder: int | None = Field(None, ge=1, lt=2**63, description="…or about this reminder")


@router.post("/notes", response={201: NoteOut, **ERRORS}, url_name="notes")
def start_note(request: HttpRequest, payload: NoteStart) -> Status[dict]:
    """Draft a note from your template (reopens the unsent draft if there is one)."""
    owner = writer(request)
    reminder = None
    if payload.reminder is not None:
        reminder = get_owned_or_404(
            Reminder.objects.select_related("contact", "position"), owner, pk=payload.reminder
        )
        contact = reminder.contact
    elif payload.contact is not None:
        contact = get_owned_or_404(Contact.objects.all(), owner, pk=payload.contact)
    else:
        raise FieldErrors({"contact": ["Send the contact (or the reminder) the note is for."]})
    subject, body = draft_for(user=owner, contact=contact, reminder=reminder)
    draft = services.note_draft_start(
        owner=owner, contact=contact, reminder=reminder, subject=subject, body=body
    )
    return Status(201, note_out(draft))


class NoteEdit(Schema):
    subject: str | None = Field(None, max_length=1000)
    body: str | None = Field(None, max_length=100_000)


@router.patch("/notes/{int:note_id}", response={200: NoteOut, **ERRORS}, url_name="note")
def edit_note(request: HttpRequest, note_id: int, payload: NoteEdit) -> dict:
    draft = get_owned_or_404(_notes(), writer(request), pk=note_id)
    values = {"subject": draft.subject, "body": draft.body}
    values.update({k: v or "" for k, v in payload.model_dump(exclude_unset=True).items()})
    form = NoteDraftForm(values, instance=draft)
    if not form.is_valid():
        raise form_errors(form)
    services.note_draft_update(
        draft=draft, subject=form.cleaned_data["subject"], body=form.cleaned_data["body"]
    )
    return note_out(draft)


@router.post("/notes/{int:note_id}/sent", response={200: NoteOut, **ERRORS}, url_name="note_sent")
def mark_sent(request: HttpRequest, note_id: int) -> dict:
    """You sent it today: logs a *note sent* interaction and completes the note's reminder."""
    owner = writer(request)
    draft = get_owned_or_404(_notes().select_related("reminder"), owner, pk=note_id)
    services.note_draft_mark_sent(draft=draft, sent_on=preferences(owner).today())
    return note_out(draft)


@router.delete("/notes/{int:note_id}", response={204: None, **ERRORS}, url_name="note")
def delete_note(request: HttpRequest, note_id: int) -> Status[None]:
    services.note_draft_delete(draft=get_owned_or_404(_notes(), writer(request), pk=note_id))
    return Status(204, None)
