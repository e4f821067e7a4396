"""Writes of phone sync: who syncs, and what phones send (PUT and DELETE of cards).

Keeping cards in step with contacts before every read is carddav/refresh.py.
"""

import base64
import enum
from typing import Any

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from carddav.cards import CardError, PhoneCard, etag_of, kept_lines, own_lines
from carddav.merge import Snapshot, merge, photo_digest, snapshot_of_document, snapshot_of_record
from carddav.models import AppPassword, Card, SyncSettings
from carddav.refresh import card_text, locked, refresh, remember, settings_for
from contacts.careers import (
    current_position_end,
    imported_move,
    position_update,
    record_job_change,
)
from contacts.export_documents import contact_documents
from contacts.importers.base import fit_record
from contacts.models import CareerMove, Contact, ContactEmail, ContactPhone, ContactPhoto
from contacts.services import (
    contact_create,
    contact_photo_remove,
    contact_photo_set,
    contact_update,
)


def sync_settings_update(*, owner: User, levels: list[str], tag_ids: list[int]) -> SyncSettings:
    state = settings_for(owner)
    state.levels = levels
    state.needs_full, state.full_after = True, 0
    state.save(update_fields=["levels", "needs_full", "full_after"])
    state.tags.set(tag_ids)
    return state


# --- Writes from phones -----------------------------------------------------------


class PreconditionFailed(Exception):
    """If-Match / If-None-Match do not hold and the write cannot be merged: nothing is
    written (412)."""


class UidConflict(Exception):
    """The UID belongs to another card of the address book (403, no-uid-conflict)."""


def _birthday(text: str) -> dict[str, int | None]:
    if not text:
        return {"birthday_year": None, "birthday_month": None, "birthday_day": None}
    if text.startswith("--"):
        return {
            "birthday_year": None,
            "birthday_month": int(text[2:4]),
            "birthday_day": int(text[5:7]),
        }
    year, month, day = (int(part) for part in text.split("-"))
    return {"birthday_year": year, "birthday_month": month, "birthday_day": day}


def _fields(snapshot: dict[str, Any]) -> dict[str, Any]:
    return {
        "first_name": snapshot["first_name"],
        "last_name": snapshot["last_name"],
        "linkedin_url": snapshot["linkedin_url"],
        "notes": snapshot["notes"],
        **_birthday(snapshot["birthday"]),
        "emails": [email for email, _ in snapshot["emails"]],
        "phones": [number for number, _ in snapshot["phones"]],
        "tags": snapshot["tags"],
    }


def _labels(contact: Contact, snapshot: dict[str, Any]) -> None:
    """Emails and phones keep the labels the card gave them (Home, Work, custom ones)."""
    email_labels = {value: label[:30] for value, label in snapshot["emails"]}
    emails = list(ContactEmail.objects.filter(contact=contact))
    for email in emails:
        email.label = email_labels.get(email.email, email.label)
    ContactEmail.objects.bulk_update(emails, ["label"])
    phone_labels = {value: label[:30] for value, label in snapshot["phones"]}
    phones = list(ContactPhone.objects.filter(contact=contact))
    for phone in phones:
        phone.label = phone_labels.get(phone.number, phone.label)
    ContactPhone.objects.bulk_update(phones, ["label"])


def _job(contact: Contact, company: str, title: str) -> None:
    current = contact.positions.filter(end_date__isnull=True).first()
    if not company and current is not None and not current.company.strip():
        # A job known by its title alone (a phone card made with TITLE and no ORG):
        # the phone's new title is that job's.
        if title.strip() and title != current.title:
            position_update(
                position=current,
                company=current.company,
                title=title,
                start_date=current.start_date,
                end_date=None,
            )
        return
    move = imported_move(current, company, title)
    if move is None and current is not None:
        current.title = title
        current.save(update_fields=["title"])
    elif move in (CareerMove.FIRST, CareerMove.JOB_CHANGE, CareerMove.PROMOTION):
        record_job_change(contact=contact, company=company, title=title, start_date=None)


def _photo(contact: Contact, phone: PhoneCard, card: Card, had: Snapshot | None) -> None:
    """A new picture from the phone becomes the face; one Rapport cannot read stays
    in the card as sent. A picture removed on the phone (the version it had showed one)
    goes, unless Rapport's changed since."""
    sent = phone.lines.get("PHOTO")
    stored = ContactPhoto.objects.filter(contact=contact).values_list("data", flat=True).first()
    if sent is None:
        face = base64.b64encode(bytes(stored)).decode("ascii") if stored is not None else None
        if had and had.get("photo") and photo_digest(face) == had["photo"]:
            contact_photo_remove(contact=contact)
        return
    if not phone.record.photo or card.kept.get("PHOTO", {}).get("lines") == sent:
        return  # the picture the phone sent last time
    if stored is not None and bytes(stored) == phone.record.photo:
        return  # Rapport's own picture, sent back
    try:
        contact_photo_set(contact=contact, raw=phone.record.photo)
    except ValidationError:
        phone.extra += phone.lines.pop("PHOTO", [])


def _write_contact(
    owner: User, card: Card | None, phone: PhoneCard, had: Snapshot | None
) -> tuple[Contact, list[dict[str, str]]]:
    """Create or update the card's contact. `had` is the version the phone last had
    (its If-Match), None when unknown: only then can a cleared field clear Rapport's."""
    fit_record(phone.record, today=timezone.localdate())
    theirs = snapshot_of_record(phone.record)
    if card is None or card.contact is None:
        contact = contact_create(
            owner=owner,
            trust_level=None,
            company=theirs["company"],
            title=theirs["title"],
            **_fields(theirs),
        )
        _labels(contact, theirs)
        return contact, []
    contact = card.contact
    ours = snapshot_of_document(next(contact_documents(owner, pk=contact.pk)))
    merged, conflicts = merge(had or ours, ours, theirs)
    contact_update(contact=contact, **_fields(merged))
    _labels(contact, merged)
    if had and had["company"] and not merged["company"]:
        # The company was cleared on the phone: the job ends and stays in the history.
        current_position_end(contact=contact, on=timezone.localdate())
    else:
        _job(contact, merged["company"], merged["title"])
    return contact, conflicts


class Stored(enum.Enum):
    """What became of a card a phone sent."""

    CREATED = "created"  # 201
    REPLACED = "replaced"  # 204: written from the version the phone had (or without If-Match)
    # 412: the phone wrote from an older version Rapport gave out. Its changes were merged
    # into the current one (both values kept, conflicts shown), which it fetches next sync.
    MERGED = "merged"


def _precondition(card: Card | None, if_match: str | None, if_none_match: str | None) -> bool:
    """Whether the write is from an older version Rapport gave out (to be merged and
    answered 412); raises PreconditionFailed, nothing written, when it cannot be done."""
    exists = card is not None and card.present
    if (if_none_match == "*" and exists) or (if_match is not None and not exists):
        raise PreconditionFailed
    if card is None or if_match in (None, "*", card.etag):
        return False
    if if_match not in card.history:
        raise PreconditionFailed  # an ETag Rapport never gave out for this card
    return True


@transaction.atomic
def card_put(
    *, owner: User, name: str, phone: PhoneCard, if_match: str | None, if_none_match: str | None
) -> Stored:
    """Store a card a phone sent. Raises PreconditionFailed, UidConflict, or CardError
    (with nothing written) when it cannot be stored."""
    refresh(owner)
    state = locked(owner)
    card = Card.objects.select_related("contact").filter(owner=owner, name=name).first()
    exists = card is not None and card.present
    stale = _precondition(card, if_match, if_none_match)
    same_uid = Card.objects.filter(owner=owner, uid=phone.uid).exclude(name=name).first()
    if card is not None and card.uid != phone.uid and not exists and card.contact_id is None:
        card.uid = phone.uid  # a tombstone's name, taken by a new card
    if same_uid is not None or (card is not None and card.uid != phone.uid):
        raise UidConflict
    try:
        # A card that left the address book (deleted on the phone, or its contact left
        # the chosen set) and comes back under its old name updates the same contact.
        had = card.history.get(if_match or "") if card is not None else None
        contact, conflicts = _write_contact(owner, card, phone, had)
    except ValidationError as error:
        raise CardError("; ".join(error.messages)[:300]) from error
    if card is None or not exists:
        card = card or Card(owner=owner, name=name, uid=phone.uid)
        card.contact, card.from_phone, card.present = contact, True, True
        card.deleted_on_phone_at = None
    _photo(contact, phone, card, had)
    document = next(contact_documents(owner, pk=contact.pk, photos=True))
    own = own_lines(document, phone.version)
    card.kept, card.kept_version, card.extra = (
        kept_lines(phone, own),
        phone.version,
        "\n".join(phone.extra),
    )
    _flag(card, conflicts)
    card.etag = etag_of(card_text(card, document, "3.0"))
    state.seq += 1
    card.seq = state.seq
    remember(card, document)
    card.save()
    SyncSettings.objects.filter(pk=state.pk).update(seq=state.seq)
    if stale:
        return Stored.MERGED
    return Stored.REPLACED if exists else Stored.CREATED


def _flag(card: Card, conflicts: list[dict[str, str]]) -> None:
    """Shown to the person until marked seen; the same one sent again is not repeated."""
    now = timezone.now().isoformat()
    shown = [{k: v for k, v in c.items() if k != "at"} for c in card.conflicts]
    card.conflicts = [*card.conflicts, *({**c, "at": now} for c in conflicts if c not in shown)]


@transaction.atomic
def card_delete(*, owner: User, name: str, if_match: str | None) -> None:
    """A phone deleted the card: it leaves the address book and the contact is flagged
    for the person to confirm or restore. Nothing of the contact is deleted."""
    refresh(owner)
    state = locked(owner)
    card = Card.objects.filter(owner=owner, name=name, present=True).first()
    if card is None:
        raise Card.DoesNotExist
    if if_match not in (None, "*") and if_match != card.etag:
        raise PreconditionFailed
    state.seq += 1
    card.present, card.seq = False, state.seq
    card.deleted_on_phone_at = timezone.now() if card.contact_id else None
    card.save(update_fields=["present", "seq", "deleted_on_phone_at"])
    SyncSettings.objects.filter(pk=state.pk).update(seq=state.seq)


@transaction.atomic
def card_restore(*, card: Card) -> None:
    """Put a contact deleted on a phone back into the address book."""
    card.deleted_on_phone_at = None
    card.save(update_fields=["deleted_on_phone_at"])
    if card.contact_id is not None:
        Contact.objects.filter(pk=card.contact_id).update(updated_at=timezone.now())


def card_conflicts_clear(*, card: Card) -> None:
    card.conflicts = []
    card.save(update_fields=["conflicts"])


@transaction.atomic
def app_password_delete(*, password: AppPassword) -> None:
    """Revoke an app password: the phone or computer that uses it can no longer sync."""
    password.delete()
