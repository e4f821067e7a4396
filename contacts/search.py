"""Live search over contacts through one lower-cased text column.

`Contact.search_text` holds everything a user may type to find someone: names,
emails, phones, current company and title, tags, how we met and notes. It is
rebuilt here whenever one of those changes, so a search is a single indexed
LIKE (a trigram GIN index on PostgreSQL) instead of a join over six tables.
"""

from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from django.db.models import QuerySet

from contacts.changes import announce_changed
from contacts.models import Contact, ContactEmail, ContactPhone, Position

# A contact's own columns that search reads; the rest comes from its related rows.
TEXT_FIELDS = ("first_name", "last_name", "met_at", "how_we_met", "notes")


def own_text(person: object) -> dict[str, str]:
    """The TEXT_FIELDS of a contact, or of anything spelling them the same (an import's
    PersonRecord), as compose_search_text takes them."""
    return {name: getattr(person, name) for name in TEXT_FIELDS}


def compose_search_text(
    *,
    first_name: str = "",
    last_name: str = "",
    met_at: str = "",
    how_we_met: str = "",
    notes: str = "",
    emails: Iterable[str] = (),
    phones: Iterable[str] = (),
    tags: Iterable[str] = (),
    current_jobs: Iterable[tuple[str, str]] = (),
) -> str:
    """The search text from plain values, for callers that have them in hand (seed_demo)."""
    parts: list[str] = [first_name, last_name, met_at, how_we_met, notes]
    parts += list(emails)
    parts += list(phones)
    parts += list(tags)
    for company, title in current_jobs:
        parts += [company, title]
    return " ".join(part for part in parts if part).lower()


def build_search_text(contact: Contact) -> str:
    """Assumes emails, phones, tags and current positions are prefetched or cheap."""
    return compose_search_text(
        **own_text(contact),
        emails=[email.email for email in contact.emails.all()],
        phones=[phone.number for phone in contact.phones.all()],
        tags=[tag.name for tag in contact.tags.all()],
        current_jobs=[
            (position.company, position.title)
            for position in contact.positions.all()
            if position.end_date is None
        ],
    )


REINDEX_BATCH = 1000


def reindex_contacts(contacts: Iterable[Contact | int], *, touch: bool = True) -> int:
    """Rebuild search_text for these contacts (instances or ids); the one reindexer.

    Used by the services, the forms' views, every importer and merge. It reads plain
    values (no model instances, a fixed number of queries per thousand contacts) and
    writes in small batches: PostgreSQL evaluates bulk_update's CASE per row, so its
    cost grows with the square of the batch.
    """
    ids = [c if isinstance(c, int) else c.pk for c in contacts]
    for start in range(0, len(ids), REINDEX_BATCH):
        _reindex_chunk(ids[start : start + REINDEX_BATCH])
    announce_changed(ids, touch=touch)  # phone sync, API: these contacts changed
    return len(ids)


def _reindex_chunk(ids: list[int]) -> None:
    within = {"contact_id__in": ids}
    emails = _by_contact(ContactEmail.objects.filter(**within).order_by("id"), "email")
    phones = _by_contact(ContactPhone.objects.filter(**within).order_by("id"), "number")
    tags = _by_contact(
        Contact.tags.through.objects.filter(**within).order_by("tag__name"), "tag__name"
    )
    jobs = _by_contact(
        Position.objects.filter(end_date__isnull=True, **within).order_by("-start_date", "-id"),
        "company",
        "title",
    )
    fresh = []
    for values in Contact.objects.filter(pk__in=ids).values("id", *TEXT_FIELDS):
        pk = values.pop("id")
        contact = Contact(pk=pk)
        contact.search_text = compose_search_text(
            **values,
            emails=[e for (e,) in emails.get(pk, [])],
            phones=[p for (p,) in phones.get(pk, [])],
            tags=[t for (t,) in tags.get(pk, [])],
            current_jobs=jobs.get(pk, []),
        )
        fresh.append(contact)
    Contact.objects.bulk_update(fresh, ["search_text"], batch_size=100)


def _by_contact(queryset: Any, *fields: str) -> dict[int, list[tuple[Any, ...]]]:
    grouped: dict[int, list[tuple[Any, ...]]] = defaultdict(list)
    for contact_id, *values in queryset.values_list("contact_id", *fields):
        grouped[contact_id].append(tuple(values))
    return grouped


def search_filter(queryset: QuerySet[Contact], query: str) -> QuerySet[Contact]:
    """Contacts whose search text contains every word of the query."""
    # NUL never occurs in search text, and PostgreSQL refuses it in a query parameter.
    for word in query.replace("\x00", " ").lower().split():
        queryset = queryset.filter(search_text__contains=word)
    return queryset
