"""Keeping cards in step with contacts: the work before every read of the address book.

`refresh` looks only at contacts saved since the last look (Contact.updated_at, indexed,
moved by every write that changes what a card shows), at cards marked stale, and at cards
whose contact was deleted, so an unchanged address book costs a fixed handful of small
queries however many contacts there are.

Where the next look starts (SyncSettings.checked_at): a contact saved in a transaction
that commits late carries an updated_at earlier than its commit, so the look must reach
back to the start of the oldest transaction still open, plus a margin for the time between
the save's clock reading and its statement. On PostgreSQL that start is read from
pg_stat_activity when the mark moves; elsewhere a fixed two-minute look-back is kept.
"""

import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from django.contrib.auth.models import User
from django.db import connection, transaction
from django.db.models import Exists, F, FloatField, OuterRef, Q, QuerySet, Subquery
from django.db.models.expressions import RawSQL
from django.utils import timezone

from carddav.cards import etag_of, render_card
from carddav.merge import snapshot_of_document
from carddav.models import UNRATED, Card, SyncSettings
from contacts.export_documents import contact_documents
from contacts.models import Contact
from crm.outbox import outbox_send

# Without pg_stat_activity (SQLite): contacts saved this long before the last look are
# looked at again (a transaction that committed late may carry an earlier updated_at).
WINDOW = timedelta(minutes=2)
# Added to the age of the oldest open transaction: saves read the clock a little before
# their statement runs, and web and worker processes may disagree by a second or two.
MARGIN = timedelta(seconds=10)
# When nothing changed, the mark still moves this often (one write), so the range looked
# at stays short after a bulk change.
MOVE_EVERY = timedelta(minutes=1)
CHUNK = 2000
HISTORY = 8
# Contacts a request looks at in a full pass; the worker does the rest.
REQUEST_BUDGET = 3 * CHUNK
REFRESH_TASK = "carddav.tasks.refresh_cards"
# Seconds since the oldest transaction on this database began (ours included). Only the
# open ones have an xact_start; a reader sees those of its own database role.
OLDEST_OPEN = (
    "SELECT EXTRACT(EPOCH FROM clock_timestamp() - min(xact_start))::float8 "
    "FROM pg_stat_activity WHERE datname = current_database()"
)


def settings_for(owner: User) -> SyncSettings:
    return SyncSettings.objects.get_or_create(owner=owner)[0]


def locked(owner: User) -> SyncSettings:
    """The settings row, locked for this transaction. On PostgreSQL it comes with
    `open_for`: how long (seconds) the oldest transaction on the database has been open,
    read in the same statement, before anything else of the refresh is read."""
    rows = _measured(SyncSettings.objects.select_for_update().filter(owner=owner))
    state = rows.first()
    if state is None:
        SyncSettings.objects.get_or_create(owner=owner)
        state = rows.get()
    return state


def _horizon(state: SyncSettings, now: datetime) -> datetime:
    """Where the next look starts: before the oldest transaction still open (a save it
    made commits with an earlier updated_at than its commit), with a margin."""
    open_for = getattr(state, "open_for", None)
    if open_for is None:
        return now - WINDOW
    return now - timedelta(seconds=open_for) - MARGIN


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


def remember(card: Card, document: dict[str, Any]) -> None:
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
    """Contacts saved since the last look and not yet compared, and cards marked stale."""
    stale = Card.objects.filter(owner=owner, stale_mark__gt=F("seen_mark"))
    batch.marks = dict(stale.values_list("contact_id", "stale_mark"))
    ids = {pk for pk in batch.marks if pk is not None}
    if state.checked_at is not None:
        ids.update(_recent(owner, state.checked_at).values_list("pk", flat=True))
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
                remember(card, document)
        if not fresh and before != (card.etag, card.present, card.seen_updated_at, card.seen_mark):
            changed.append(card)
    Card.objects.bulk_create(new, batch_size=500)
    fields = ["etag", "present", "seq", "history", "seen_updated_at", "seen_mark"]
    Card.objects.bulk_update(changed, fields, batch_size=100)


def _recent(owner: User, since: Any) -> QuerySet[Contact]:
    """Contacts saved since `since` and not yet compared in that version (a LEFT JOIN on
    the card's unique contact key): none at all when nothing changed."""
    return (
        Contact.objects.filter(owner=owner, updated_at__gte=since)
        .annotate(seen=F("sync_card__seen_updated_at"))
        .filter(Q(seen__isnull=True) | ~Q(seen=F("updated_at")))
    )


def _measured(rows: QuerySet[SyncSettings]) -> QuerySet[SyncSettings]:
    """With `open_for` on PostgreSQL: how long (seconds) the oldest transaction on the
    database has been open, read in the same statement."""
    if connection.vendor != "postgresql":
        return rows
    oldest = RawSQL(OLDEST_OPEN, [], output_field=FloatField())  # noqa: S611 (constant SQL)
    return rows.annotate(open_for=oldest)


def _unchanged(owner: User, now: datetime) -> SyncSettings | None:
    """The settings when there is nothing to look at and the mark need not move, else
    None: one small query, no lock and no write, whatever the number of contacts. The
    first changed contact is asked for in updated_at order, so PostgreSQL reads the
    (owner, updated_at) index from the mark on: an empty range when nothing changed."""
    stale = Card.objects.filter(owner=owner, stale_mark__gt=F("seen_mark"))
    orphaned = Card.objects.filter(owner=owner, present=True, contact__isnull=True)
    changed = _recent(owner, OuterRef("checked_at")).order_by("updated_at").values("pk")[:1]
    state = (
        _measured(SyncSettings.objects.filter(owner=owner))
        .annotate(stale=Exists(stale), orphaned=Exists(orphaned), changed=Subquery(changed))
        .first()
    )
    if state is None or state.needs_full or state.checked_at is None:
        return None
    if state.stale or state.orphaned or state.changed is not None:
        return None
    if _horizon(state, now) - state.checked_at >= MOVE_EVERY:
        return None  # the mark moves (one write, about once a minute)
    return state


def refresh(owner: User, *, budget: int | None = REQUEST_BUDGET) -> SyncSettings:
    """Bring the cards up to date with the contacts; returns the settings (with seq).

    When nothing changed, one query says so. Otherwise, under the settings row's lock,
    the changed contacts are looked at; a full pass (the first sync, or after a change of
    who syncs) looks at `budget` contacts per call and queues the worker to finish, so no
    request runs for minutes: a phone sees the rest at its next sync.
    """
    state = _unchanged(owner, timezone.now())
    return state if state is not None else _refresh(owner, budget)


@transaction.atomic
def _refresh(owner: User, budget: int | None) -> SyncSettings:
    now = timezone.now()  # read before the lock query measures the open transactions
    state = locked(owner)
    batch = _Batch(state=state, levels=set(state.levels))
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
    horizon = _horizon(state, now)
    if not worked and state.checked_at is not None and horizon - state.checked_at < MOVE_EVERY:
        # Nothing changed: no write. The mark still moves about once a minute, so the range
        # looked at stays short after a bulk change.
        return state
    state.checked_at = horizon
    SyncSettings.objects.filter(pk=state.pk).update(
        checked_at=state.checked_at,
        needs_full=state.needs_full,
        full_after=state.full_after,
        seq=state.seq,
    )
    return state
