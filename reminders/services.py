"""State changes of reminders, the notes written for them, and their settings.

Every function is keyword-only and runs in a transaction, so a failed step
leaves nothing half-saved.
"""

import secrets
from collections.abc import Iterable, Mapping
from datetime import date, timedelta

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from contacts.models import Contact, InteractionKind, Promise
from contacts.promises import PromiseSpec, promise_create
from contacts.relationships import interaction_create, interaction_delete
from crm.models import UserSettings
from crm.services import user_settings_update
from reminders.keep_in_touch import SNOOZE_CHOICES, keep_in_touch_status
from reminders.models import CustomDate, NoteDraft, Reminder, ReminderKind, ReminderStatus
from reminders.notes import default_templates_for

# Snoozing further than this is dismissing in disguise; ask the user to dismiss instead.
MAX_SNOOZE_DAYS = 366


@transaction.atomic
def reminder_snooze(*, reminder: Reminder, until: date, today: date) -> Reminder:
    """Hide an open reminder until `until`, when it comes back to the dashboard."""
    if until <= today:
        raise ValidationError(gettext("Choose a day after today to snooze until."))
    if (until - today).days > MAX_SNOOZE_DAYS:
        raise ValidationError(
            gettext("Snooze for at most a year; dismiss it if it no longer matters.")
        )
    reminder.change_status(ReminderStatus.SNOOZED, snoozed_until=until)
    return reminder


@transaction.atomic
def reminder_dismiss(*, reminder: Reminder) -> Reminder:
    """The occasion does not call for anything; keep the row so the scan never raises it again."""
    reminder.change_status(ReminderStatus.DISMISSED)
    return reminder


@transaction.atomic
def reminder_complete(*, reminder: Reminder) -> Reminder:
    reminder.change_status(ReminderStatus.DONE)
    return reminder


@transaction.atomic
def reminder_reopen(*, reminder: Reminder) -> Reminder:
    """Undo a snooze, dismissal or completion."""
    reminder.change_status(ReminderStatus.OPEN)
    return reminder


@transaction.atomic
def keep_in_touch_round(*, contact: Contact, today: date) -> Reminder:
    """The reminder of the contact's current keep-in-touch round, made if the scan has not yet.

    The scan keys keep-in-touch reminders by due date, so its row and this one are
    the same row: a snooze from *Losing touch* is the dashboard's snooze.
    """
    status = keep_in_touch_status(contact, UserSettings.for_user(contact.owner), today)
    if status.due_on is None or status.round_key is None:
        raise ValidationError(
            gettext("%(name)s has no keep-in-touch cadence, so there is nothing to snooze.")
            % {"name": contact}
        )
    reminder, _ = Reminder.objects.get_or_create(
        contact=contact,
        kind=ReminderKind.KEEP_IN_TOUCH,
        occasion_key=status.round_key,
        defaults={"owner": contact.owner, "due_on": status.due_on},
    )
    return reminder


@transaction.atomic
def keep_in_touch_snooze(*, contact: Contact, today: date, days: int) -> Reminder:
    """Snooze the current round for one of SNOOZE_CHOICES days, like any reminder."""
    if days not in SNOOZE_CHOICES:
        raise ValidationError(
            gettext("Choose how long to snooze: 1 week, 2 weeks, 1 month or 3 months.")
        )
    reminder = keep_in_touch_round(contact=contact, today=today)
    return reminder_snooze(reminder=reminder, until=today + timedelta(days=days), today=today)


@transaction.atomic
def note_draft_start(
    *,
    owner: User,
    contact: Contact,
    reminder: Reminder | None,
    subject: str,
    body: str,
) -> NoteDraft:
    """Reopen the unsent draft for this reminder (or contact), or start one."""
    drafts = NoteDraft.objects.owned_by(owner).filter(contact=contact, sent_at__isnull=True)
    existing = (
        drafts.filter(reminder=reminder).first()
        if reminder is not None
        else drafts.filter(reminder__isnull=True).first()
    )
    if existing is not None:
        return existing
    return NoteDraft.objects.create(
        owner=owner, contact=contact, reminder=reminder, subject=subject, body=body
    )


@transaction.atomic
def note_draft_update(*, draft: NoteDraft, subject: str, body: str) -> NoteDraft:
    if draft.sent_at is not None:
        raise ValidationError(
            gettext("This note was already sent; start a new one to write again.")
        )
    draft.subject = subject
    draft.body = body
    draft.full_clean(exclude=["owner", "contact", "reminder", "interaction"])
    draft.save(update_fields=["subject", "body", "updated_at"])
    return draft


@transaction.atomic
def note_draft_mark_sent(
    *, draft: NoteDraft, sent_on: date, promises: Iterable[PromiseSpec] = ()
) -> NoteDraft:
    """Record a *note sent* interaction with the text, complete the reminder.

    The interaction moves Contact.last_interaction_on, which resets the
    keep-in-touch clock. `promises` marked on the composer are made in it.
    """
    if draft.sent_at is not None:
        raise ValidationError(gettext("This note is already marked as sent."))
    if not draft.body.strip():
        raise ValidationError(gettext("Write the note before marking it as sent."))
    fallback = gettext("Note to %(name)s") % {"name": draft.contact.first_name or draft.contact}
    summary = (draft.subject.strip() or fallback)[:200]
    interaction = interaction_create(
        owner=draft.owner,
        kind=InteractionKind.NOTE_SENT,
        occurred_on=sent_on,
        summary=summary,
        notes=draft.body,
        contacts=[draft.contact],
    )
    for spec in promises:
        promise_create(
            owner=draft.owner,
            contact=draft.contact,
            made_by=spec.made_by,
            text=spec.text,
            due_on=spec.due_on,
            today=sent_on,
            interaction=interaction,
        )
    draft.sent_at = timezone.now()
    draft.interaction = interaction
    draft.save(update_fields=["sent_at", "interaction", "updated_at"])
    if draft.reminder is not None and draft.reminder.status != ReminderStatus.DONE:
        reminder_complete(reminder=draft.reminder)
    return draft


@transaction.atomic
def note_draft_unsend(*, draft: NoteDraft) -> NoteDraft:
    """Undo *Mark as sent*: the note is a draft again, its interaction and completion gone.

    Deleting the *note sent* interaction puts the keep-in-touch clock back where it
    was (interaction_delete recomputes the contact's last interaction).
    """
    if draft.sent_at is None:
        raise ValidationError(gettext("This note is not marked as sent."))
    interaction = draft.interaction
    draft.sent_at = None
    draft.interaction = None
    draft.save(update_fields=["sent_at", "interaction", "updated_at"])
    if interaction is not None:
        # Promises marked when it was sent go with it (unless already kept).
        Promise.objects.filter(interaction=interaction, kept_on__isnull=True).delete()
        interaction_delete(interaction=interaction)
    if draft.reminder is not None and draft.reminder.status == ReminderStatus.DONE:
        reminder_reopen(reminder=draft.reminder)
    return draft


@transaction.atomic
def note_draft_delete(*, draft: NoteDraft) -> None:
    draft.delete()


# --- Custom dates ------------------------------------------------------------------------


@transaction.atomic
def custom_date_create(*, contact: Contact, label: str, date: date, yearly: bool) -> CustomDate:
    return CustomDate.objects.create(contact=contact, label=label, date=date, yearly=yearly)


@transaction.atomic
def custom_date_update(
    *, custom_date: CustomDate, label: str, date: date, yearly: bool
) -> CustomDate:
    custom_date.label, custom_date.date, custom_date.yearly = label, date, yearly
    custom_date.save(update_fields=["label", "date", "yearly"])
    return custom_date


@transaction.atomic
def custom_date_delete(*, custom_date: CustomDate) -> None:
    """Delete a custom date; its reminders go with it (cascade)."""
    custom_date.delete()


def note_templates_save(*, owner: User, entered: Mapping[str, tuple[str, str]]) -> None:
    """Store the templates (kind → subject, body) that differ from the defaults.

    Only edits are stored, so improved defaults reach everyone who kept them (and a
    change of language brings the new language's defaults).
    """
    defaults = default_templates_for(owner)
    edited = {
        kind: {"subject": subject, "body": body}
        for kind, (subject, body) in entered.items()
        if (subject, body.replace("\r\n", "\n")) != (defaults[kind].subject, defaults[kind].body)
    }
    user_settings_update(settings=UserSettings.for_user(owner), values={"note_templates": edited})


def note_template_reset(*, owner: User, kind: str) -> None:
    """Back to the default template for this kind of reminder."""
    settings = UserSettings.for_user(owner)
    edited = {k: v for k, v in (settings.note_templates or {}).items() if k != kind}
    user_settings_update(settings=settings, values={"note_templates": edited})


def calendar_token_rotate(*, owner: User) -> str:
    """Turn the calendar feed on at a new secret address; an older address stops working."""
    token = secrets.token_urlsafe(32)
    user_settings_update(settings=UserSettings.for_user(owner), values={"calendar_token": token})
    return token


def calendar_token_revoke(*, owner: User) -> None:
    """Turn the calendar feed off: its address no longer answers."""
    user_settings_update(settings=UserSettings.for_user(owner), values={"calendar_token": None})
