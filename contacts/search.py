"""Live search over contacts through one lower-cased text column.

`Contact.search_text` holds everything a user may type to find someone: names,
emails, phones, current company and title, tags, how we met and notes. It is
rebuilt here whenever one of those changes, so a search is a single indexed
LIKE (a trigram GIN index on PostgreSQL) instead of a join over six tables.
"""

from collections.abc import Iterable

from django.db.models import Prefetch, QuerySet

from contacts.models import Contact, Position


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
        first_name=contact.first_name,
        last_name=contact.last_name,
        met_at=contact.met_at,
        how_we_met=contact.how_we_met,
        notes=contact.notes,
        emails=[email.email for email in contact.emails.all()],
        phones=[phone.number for phone in contact.phones.all()],
        tags=[tag.name for tag in contact.tags.all()],
        current_jobs=[
            (position.company, position.title)
            for position in contact.positions.all()
            if position.end_date is None
        ],
    )


def reindex_contacts(contacts: Iterable[Contact] | QuerySet[Contact]) -> int:
    """Rebuild search_text for these contacts with a fixed number of queries."""
    ids = [c.pk for c in contacts]
    if not ids:
        return 0
    fresh = list(
        Contact.objects.filter(pk__in=ids).prefetch_related(
            "emails",
            "phones",
            "tags",
            Prefetch("positions", queryset=Position.objects.filter(end_date__isnull=True)),
        )
    )
    for contact in fresh:
        contact.search_text = build_search_text(contact)
    Contact.objects.bulk_update(fresh, ["search_text"], batch_size=1000)
    return len(fresh)


def search_filter(queryset: QuerySet[Contact], query: str) -> QuerySet[Contact]:
    """Contacts whose search text contains every word of the query."""
    # NUL never occurs in search text, and PostgreSQL refuses it in a query parameter.
    for word in query.replace("\x00", " ").lower().split():
        queryset = queryset.filter(search_text__contains=word)
    return queryset
