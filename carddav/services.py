"""Writes of phone sync: keeping cards in step with contacts, and what phones send.

`refresh` runs before every read of the address book: it looks only at contacts changed
since the last look (Contact.updated_at, indexed, moved by every write that changes what
a card shows) and at cards whose contact was deleted, so an unchanged address book costs
a fixed handful of queries however many contacts there are.
"""

import base64
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from carddav.cards import CardError, PhoneCard, etag_of, kept_lines, own_lines, render_card
from carddav.merge import Snapshot, merge, photo_digest, snapshot_of_document, snapshot_of_record
from carddav.models import UNRATED, AppPassword, Card, SyncSettings
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
from crm.outbox import outbox_send

# Contacts saved this long before the last look are looked at again: a transaction that
# committed late may carry an earlier updated_at. Unchanged cards keep their ETag.
WINDOW = timedelta(minutes=2)
CHUNK = 2000
HISTORY = 8
# Contacts a request looks at in a full pass; the worker does the rest.
REQUEST_BUDGET = 3 * CHUNK
REFRESH_TASK = "carddav.tasks.refresh_cards"


def settings_for(owner: User) -> SyncSettings:
    return SyncSettings.objects.get_or_create(owner=owner)[0]


def _locked(owner: User) -> SyncSettings:
    state = SyncSettings.objects.select_for_update().filter(owner=owner).first()
    if state is None:
        SyncSettings.objects.get_or_create(owner=owner)
        state = SyncSettings.objects.select_for_update().get(owner=owner)
    return state


@dataclass
class _Batch:
    state: SyncSettings
    levels: set[str]
    tags: set[str] | None = None
    bumped: bool = False
    # {contact id: stale_mark} of the stale cards, read before their contacts are.
    marks: dict[int | None, int] = field(default_factory=dict)

    def seq(self) -> int:
        if not self.bumped:
            self.state.seq += 1
            self.bumped = True
        return self.state.seq

    def tag_names(self) -> set[str]:
        if self.tags is None:
            self.tags = set(self.state.tags.values_list("name", flat=True))
        return self.tags


def _selected(document: dict[str, Any], batch: _Batch) -> bool:
    if (document["trust_level"] or UNRATED) in batch.levels:
        return True
    return bool(batch.tag_names() & set(document["tags"]))


def _remember(card: Card, document: dict[str, Any]) -> None:
    history = {k: v for k, v in card.history.items() if k != card.etag}
    history[card.etag] = snapshot_of_document(document)
    card.history = dict(list(history.items())[-HISTORY:])


def card_text(card: Card, document: dict[str, Any], version: str) -> str:
    return render_card(
        document,
        uid=card.uid,
        version=version,
        kept=card.kept,
        kept_version=card.kept_version,
        extra=card.extra,
    )


def _paged(documents: Iterator[dict[str, Any]]) -> Iterator[list[dict[str, Any]]]:
    page: list[dict[str, Any]] = []
    for document in documents:
        page.append(document)
        if len(page) == CHUNK:
            yield page
            page = []
    if page:
        yield page


def _recent_pages(
    owner: User, state: SyncSettings, batch: "_Batch"
) -> Iterator[list[dict[str, Any]]]:
    """Contacts saved since the last look and not yet compared in that version (a LEFT
    JOIN on the card's unique contact key), and cards marked stale: nothing at all when
    nothing changed."""
    stale = Card.objects.filter(owner=owner, stale_mark__gt=F("seen_mark"))
    batch.marks = dict(stale.values_list("contact_id", "stale_mark"))
    ids = {pk for pk in batch.marks if pk is not None}
    if state.checked_at is not None:
        recent = (
            Contact.objects.filter(owner=owner, updated_at__gte=state.checked_at - WINDOW)
            .annotate(seen=F("sync_card__seen_updated_at"))
            .filter(Q(seen__isnull=True) | ~Q(seen=F("updated_at")))
        )
        ids.update(recent.values_list("pk", flat=True))
    if state.needs_full:
        ids = {pk for pk in ids if pk <= state.full_after}  # the rest: the full pass
    if ids:
        yield from _paged(contact_documents(owner, pks=sorted(ids), photos=True))


def mark_stale(sender: Any, ids: list[int], **kwargs: Any) -> None:
    """contacts.changes.contacts_changed: look at these contacts' cards again."""
    for start in range(0, len(ids), 1000):
        Card.objects.filter(contact_id__in=ids[start : start + 1000]).update(
            stale_mark=F("stale_mark") + 1
        )


def _refresh_page(owner: User, page: list[dict[str, Any]], batch: _Batch) -> None:
    # Cards of the page by id range: no long IN lists. Rows of other owners
    # in the range are never looked up (only this page's own ids are).
    span = {"contact_id__gte": page[0]["id"], "contact_id__lte": page[-1]["id"]}
    cards = {c.contact_id: c for c in Card.objects.filter(owner=owner, **span)}
    new: list[Card] = []
    changed: list[Card] = []
    for document in page:
        card = cards.get(document["id"])
        fresh = card is None
        if card is None:
            uid = str(uuid.uuid4())
            card = Card(owner=owner, contact_id=document["id"], uid=uid, name=f"{uid}.vcf")
            card.present = False
            new.append(card)
        before = (card.etag, card.present, card.seen_updated_at, card.seen_mark)
        card.seen_updated_at = document["_updated_at"]
        card.seen_mark = batch.marks.get(document["id"], card.seen_mark)
        wanted = _selected(document, batch) or card.from_phone
        if not wanted or card.deleted_on_phone_at is not None:
            if card.present:
                card.present, card.seq = False, batch.seq()
        else:
            etag = etag_of(card_text(card, document, "3.0"))
            if etag != card.etag or not card.present:
                card.etag, card.present, card.seq = etag, True, batch.seq()
                _remember(card, document)
        if not fresh and before != (card.etag, card.present, card.seen_updated_at, card.seen_mark):
            changed.append(card)
    Card.objects.bulk_create(new, batch_size=500)
    fields = ["etag", "present", "seq", "history", "seen_updated_at", "seen_mark"]
    Card.objects.bulk_update(changed, fields, batch_size=100)


@transaction.atomic
def refresh(owner: User, *, budget: int | None = REQUEST_BUDGET) -> SyncSettings:
    """Bring the cards up to date with the contacts; returns the settings (with seq).

    A full pass (the first sync, or after a change of who syncs) looks at `budget`
    contacts per call and queues the worker to finish, so no request runs for minutes:
    a phone sees the rest at its next sync.
    """
    state = _locked(owner)
    batch = _Batch(state=state, levels=set(state.levels))
    now = timezone.now()
    worked = state.checked_at is None
    for page in _recent_pages(owner, state, batch):
        _refresh_page(owner, page, batch)
        worked = True
    if state.needs_full:
        worked = True
        looked_at = 0
        for page in _paged(contact_documents(owner, after=state.full_after, photos=True)):
            _refresh_page(owner, page, batch)
            state.full_after = page[-1]["id"]
            looked_at += len(page)
            if budget is not None and looked_at >= budget:
                outbox_send(task=REFRESH_TASK, args=[owner.pk])
                break
        else:
            state.needs_full, state.full_after = False, 0
    orphaned = Card.objects.filter(owner=owner, present=True, contact__isnull=True)
    if orphaned.exists():
        orphaned.update(present=False, seq=batch.seq())
        worked = True
    if not worked and state.checked_at is not None and now - state.checked_at < WINDOW / 2:
        # Nothing changed: no write. The mark moves at least every minute, so the look-back
        # range stays a few minutes long after a bulk change.
        return state
    state.checked_at = now
    SyncSettings.objects.filter(pk=state.pk).update(
        checked_at=now, needs_full=state.needs_full, full_after=state.full_after, seq=state.seq
    )
    return state


def sync_settings_update(*, owner: User, levels: list[str], tag_ids: list[int]) -> SyncSettings:
    state = settings_for(owner)
    state.levels = levels
    state.needs_full, state.full_after = True, 0
    state.save(update_fields=["levels", "needs_full", "full_after"])
    state.tags.set(tag_ids)
    return state


# --- Writes from phones -----------------------------------------------------------


class PreconditionFailed(Exception):
    """If-Match / If-None-Match do not hold: nothing is written (412)."""


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


@transaction.atomic
def card_put(
    *, owner: User, name: str, phone: PhoneCard, if_match: str | None, if_none_match: str | None
) -> bool:
    """Store a card a phone sent; True if it created one. Raises PreconditionFailed,
    UidConflict, or CardError (with nothing written) when it cannot be stored."""
    refresh(owner)
    state = _locked(owner)
    card = Card.objects.select_related("contact").filter(owner=owner, name=name).first()
    exists = card is not None and card.present
    if (if_none_match == "*" and exists) or (if_match is not None and not exists):
        raise PreconditionFailed
    # An older version the phone had seen is merged with Rapport's changes (three-way);
    # one Rapport never gave out is refused.
    if if_match not in (None, "*", *(card.history if card else ())) and (
        card is None or if_match != card.etag
    ):
        raise PreconditionFailed
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
    if conflicts:
        now = timezone.now().isoformat()
        card.conflicts = [*card.conflicts, *({**c, "at": now} for c in conflicts)]
    card.etag = etag_of(card_text(card, document, "3.0"))
    state.seq += 1
    card.seq = state.seq
    _remember(card, document)
    card.save()
    SyncSettings.objects.filter(pk=state.pk).update(seq=state.seq)
    return not exists


@transaction.atomic
def card_delete(*, owner: User, name: str, if_match: str | None) -> None:
    """A phone deleted the card: it leaves the address book and the contact is flagged
    for the person to confirm or restore. Nothing of the contact is deleted."""
    refresh(owner)
    state = _locked(owner)
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
