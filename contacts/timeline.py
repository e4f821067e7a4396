"""One chronological story of a relationship: how we met, interactions, job changes.

Entries come from several tables. Each page is built by taking, from every
source, only the newest `page * per_page + 1` rows in date order and merging
them, so page N costs a fixed number of queries however long the history is.
"""

from dataclasses import dataclass
from datetime import date, time
from enum import StrEnum
from functools import lru_cache
from typing import Any
from urllib.parse import quote

from django.db.models import Prefetch
from django.utils.formats import date_format as format_date
from django.utils.html import format_html, format_html_join
from django.utils.translation import get_language, gettext

from contacts.models import CareerMove, Contact, Initiator, Interaction, InteractionKind
from contacts.relationships import interactions_of
from crm.urlcache import id_url

PER_PAGE = 20
# The contact page opens with the newest ten (each entry is a good part of the page's
# cost); *Show more* then adds twenty at a time.
FIRST_PAGE = 10
MAX_PAGE = 500
# Only what a timeline entry shows of the people in an interaction.
_PEOPLE = Contact.objects.only("id", "first_name", "last_name").order_by("first_name", "id")


class EntryKind(StrEnum):
    MET = "met"
    INTERACTION = "interaction"
    NOTE_SENT = "note_sent"
    JOB_CHANGE = "job_change"
    PROMOTION = "promotion"


@dataclass(frozen=True)
class Entry:
    kind: EntryKind
    on: date | None
    obj: Any  # Interaction, Position or Contact (for how we met)
    at: time | None = None

    @property
    def sort_key(self) -> tuple[date, time, int, int]:
        # Undated entries (how we met without a date) sink to the start of the story.
        rank = 0 if self.kind is EntryKind.MET else 1
        return (self.on or date.min, self.at or time.min, rank, getattr(self.obj, "pk", 0))

    @property
    def template(self) -> str:
        return f"contacts/_timeline_{'interaction' if self.obj_is_interaction else self.kind}.html"

    @property
    def obj_is_interaction(self) -> bool:
        return self.kind in (EntryKind.INTERACTION, EntryKind.NOTE_SENT)


@dataclass(frozen=True)
class TimelinePage:
    entries: list[Entry]
    number: int
    has_next: bool

    @property
    def next_number(self) -> int:
        return self.number + 1


def _interactions(contact: Contact, limit: int) -> list[Entry]:
    # Through the link table's contact index (see interactions_of): joined in one
    # query, PostgreSQL may prefer hashing the whole interaction table of every user.
    rows = (
        interactions_of(contact)
        .order_by("-occurred_on", "-occurred_at", "-id")
        .prefetch_related(Prefetch("contacts", queryset=_PEOPLE))[:limit]
    )
    return [
        Entry(
            EntryKind.NOTE_SENT if i.kind == InteractionKind.NOTE_SENT else EntryKind.INTERACTION,
            i.occurred_on,
            i,
            i.occurred_at,
        )
        for i in rows
    ]


def _career_moves(contact: Contact) -> list[Entry]:
    # Every move (a person has a handful of jobs), from the positions the contact page
    # prefetched for its header and career section: no query of its own there.
    moves = (CareerMove.JOB_CHANGE, CareerMove.PROMOTION)
    return [
        Entry(EntryKind(p.move), p.began_on, p) for p in contact.positions.all() if p.move in moves
    ]


def _met(contact: Contact) -> list[Entry]:
    if contact.met_on or contact.how_we_met or contact.met_at or contact.introduced_by_id:
        return [Entry(EntryKind.MET, contact.met_on, contact)]
    return []


def timeline_page(
    contact: Contact, page: int = 1, per_page: int = PER_PAGE, first_page: int | None = None
) -> TimelinePage:
    """Entries of one page, newest first; the first page holds `first_page` entries
    (default `per_page`), every later one `per_page`."""
    page = min(max(page, 1), MAX_PAGE)
    first = per_page if first_page is None else first_page
    start = 0 if page == 1 else first + (page - 2) * per_page
    size = first if page == 1 else per_page
    entries = _interactions(contact, start + size + 1) + _career_moves(contact) + _met(contact)
    entries.sort(key=lambda e: e.sort_key, reverse=True)
    return TimelinePage(
        entries=entries[start : start + size],
        number=page,
        has_next=len(entries) > start + size,
    )


def contact_timeline_page(contact: Contact, page: int = 1) -> TimelinePage:
    """A page of the timeline as the contact page and its *Show more* pages show it."""
    return timeline_page(contact, page, first_page=FIRST_PAGE)


# An entry's Edit and Delete: in place with htmx, else their own pages.
_ACTIONS = (
    '<a href="{edit}" hx-get="{edit}" hx-target="#interaction-{pk}" hx-swap="outerHTML">'
    '{edit_word}<span class="visually-hidden"> “{summary}”</span></a>\n    '
    '<a href="{delete}" hx-get="{delete}" hx-target="#interaction-{pk}" hx-swap="outerHTML"'
    ' class="danger-link">{delete_word}<span class="visually-hidden"> “{summary}”</span></a>'
)


@lru_cache(maxsize=16)
def _labels(language: str | None) -> dict[str, str]:
    """The kinds' and initiators' labels, translated once per language (get_FOO_display
    hashes every lazy label of the field's choices each time)."""
    kinds = {value: str(label) for value, label in InteractionKind.choices}
    words = {"word:edit": gettext("Edit"), "word:delete": gettext("Delete")}
    return kinds | words | {f"by:{value}": str(label) for value, label in Initiator.choices}


def interaction_row(
    interaction: Interaction, next_url: str = "", page_contact_id: int | None = None
) -> dict[str, Any]:
    """What a timeline entry shows of an interaction, as plain values.

    A page renders twenty of these; plain values render several times faster than
    attribute lookups, filters and tags in the template. On a contact's page
    (`page_contact_id`) it names everyone else in the interaction; shown on its own,
    everyone, but only when there is more than one (a lone person needs no "With").
    """
    people = list(interaction.contacts.all())
    if page_contact_id:
        people = [person for person in people if person.pk != page_contact_id]
    elif len(people) < 2:
        people = []
    on = interaction.occurred_on
    when = format_date(on, "j M Y")
    if interaction.occurred_at:
        when = f"{when}, {interaction.occurred_at:%H:%M}"
    back = f"?next={quote(next_url, safe='/')}" if next_url else ""
    pk = interaction.pk
    labels = _labels(get_language())
    return {
        "pk": str(pk),  # as text: the template would localize a number
        "kind": interaction.kind,
        "kind_label": labels.get(interaction.kind, interaction.kind),
        "on_iso": on.isoformat(),
        "when": when,
        "summary": interaction.summary,
        "initiator": (
            labels.get(f"by:{interaction.initiated_by}", interaction.initiated_by)
            if interaction.initiated_by != Initiator.ME
            else None
        ),
        "notes": interaction.notes,
        # The two parts repeated most, joined here (every value escaped).
        "people": format_html_join(
            ", ", '<a href="{}">{}</a>', ((p.get_absolute_url(), p.full_name) for p in people)
        ),
        "actions": format_html(
            _ACTIONS,
            edit=id_url("contacts:interaction_edit", pk) + back,
            delete=id_url("contacts:interaction_delete", pk) + back,
            pk=pk,
            summary=interaction.summary,
            edit_word=labels["word:edit"],
            delete_word=labels["word:delete"],
        ),
    }
