"""Introductions, following versus knowing, the triage queue and connection requests.

The trust level is what separates people the user knows from people they are
merely connected to, so every query here filters on it: introductions default
to *know well* and above, `following` contacts stay out unless asked for, and
the triage queue is the contacts that are *not rated yet* (NULL).
"""

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import (
    Case,
    Count,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    When,
)
from django.db.models import Value as V
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext

from contacts.changes import announce_changed
from contacts.limits import HOW_WE_MET_MAX
from contacts.models import (
    Contact,
    Interaction,
    InteractionKind,
    Position,
    TrustLevel,
)
from contacts.relationships import interaction_create
from contacts.search import reindex_contacts, search_filter
from contacts.trust_history import forget_trust_change, record_trust_change
from crm.formats import grouped
from reminders.charts import forget_glance
from reminders.notes import INTRODUCTION, render_note, render_subject, sender_context

# Levels a real relationship can have: everything but `following`.
KNOWN_LEVELS = [TrustLevel.MET, TrustLevel.ACQUAINTANCE, TrustLevel.KNOW_WELL, TrustLevel.CLOSE]

# --- Who could I introduce? ---------------------------------------------------


def introduction_levels(min_trust: str, include_following: bool = False) -> Q:
    """Contacts at least as close as `min_trust`; *not rated yet* counts as `met`."""
    levels = [level for level in TrustLevel.at_least(min_trust) if level != TrustLevel.FOLLOWING]
    condition = Q(trust_level__in=levels)
    if TrustLevel.rank(min_trust) <= TrustLevel.rank(TrustLevel.MET):
        condition |= Q(trust_level__isnull=True)
    if include_following:
        condition |= Q(trust_level=TrustLevel.FOLLOWING)
    return condition


def _closeness() -> Case:
    """Trust rank in SQL, so the closest people come first."""
    return Case(
        *[When(trust_level=level, then=V(TrustLevel.rank(level))) for level in TrustLevel],
        default=V(TrustLevel.rank(None)),
        output_field=IntegerField(),
    )


def with_context(queryset: QuerySet[Contact]) -> QuerySet[Contact]:
    """What a result card shows: current job, tags and what the last talk was about.

    `last_summary` is one primary-key lookup through Contact.last_interaction,
    however long each person's history is. A scalar subquery rather than a join,
    so PostgreSQL runs it for the page's rows only, after sorting and LIMIT.
    """
    summary = Interaction.objects.filter(pk=OuterRef("last_interaction")).values("summary")
    return queryset.annotate(last_summary=Coalesce(Subquery(summary), V(""))).prefetch_related(
        Prefetch(
            "positions",
            queryset=Position.objects.filter(end_date__isnull=True).order_by("-start_date", "-id"),
            to_attr="current_positions",
        ),
        # A plain list: each `contact.tags.all()` would build a related manager.
        Prefetch("tags", to_attr="tag_list"),
    )


def introduction_search(
    *,
    owner: User,
    query: str,
    min_trust: str = TrustLevel.KNOW_WELL,
    include_following: bool = False,
) -> QuerySet[Contact]:
    """People matching every word of `query` (job, tags, notes, names), closest first.

    One LIKE per word on `search_text`, which the trigram GIN index serves on
    PostgreSQL (contacts/migrations/0002); SQLite scans, fine at its scale.
    """
    queryset: QuerySet[Contact] = Contact.objects.owned_by(owner).filter(
        introduction_levels(min_trust, include_following)
    )
    queryset = search_filter(queryset, query)
    return with_context(
        queryset.annotate(closeness=_closeness()).order_by(
            "-closeness", "last_name", "first_name", "id"
        )
    )


@dataclass
class Reason:
    label: str
    text: str


def _snippet(text: str, word: str, width: int = 60) -> str:
    at = text.lower().find(word)
    if at < 0:
        return ""
    start, end = max(0, at - width // 2), min(len(text), at + len(word) + width // 2)
    return ("…" if start else "") + text[start:end].strip() + ("…" if end < len(text) else "")


def why_matched(contact: Contact, query: str) -> list[Reason]:
    """The fields that contain the query's words, so a result explains itself.

    Expects a contact from `with_context` (current positions and tag list prefetched).
    """
    words = query.lower().split()
    if not words:
        return []
    positions = getattr(contact, "current_positions", None) or []
    fields: list[tuple[str, str]] = []
    for position in positions:
        fields += [("title", position.title), ("company", position.company)]
    tags = contact.tag_list  # type: ignore[attr-defined]  # prefetched by with_context
    fields += [("tag", tag.name) for tag in tags]
    fields += [
        ("name", contact.full_name),
        ("how we met", contact.how_we_met),
        ("place or event", contact.met_at),
        ("notes", contact.notes),
    ]
    reasons: list[Reason] = []
    seen: set[tuple[str, str]] = set()
    for label, text in fields:
        hits = [word for word in words if text and word in text.lower()]
        if not hits or (label, text) in seen:
            continue
        seen.add((label, text))
        long_text = label in {"notes", "how we met"}
        reasons.append(Reason(label, _snippet(text, hits[0]) if long_text else text))
    if not reasons:
        # Emails and phones are in the search text too.
        reasons.append(Reason("contact details", ", ".join(words)))
    return reasons


# --- Recording an introduction ------------------------------------------------


def _job(contact: Contact) -> str:
    positions = getattr(contact, "current_positions", None)
    if positions is None:
        positions = list(contact.positions.filter(end_date__isnull=True)[:1])
    return str(positions[0]) if positions else ""


@transaction.atomic
def introduction_record(
    *,
    owner: User,
    contact: Contact,
    other: Contact,
    occurred_on: date,
    note: str = "",
    introduced_me: bool = False,
) -> Interaction:
    """Log one *introduction* interaction with both people, resetting both clocks.

    `introduced_me=True` records that `contact` introduced the user to `other`:
    `other.introduced_by` then points at `contact`, and other's empty "how we met"
    and "met on" are filled in. Otherwise the user introduced the two to each other.
    """
    if contact.pk == other.pk:
        raise ValidationError(gettext("Choose two different people."))
    if introduced_me:
        summary = gettext("%(first)s introduced me to %(second)s")
    else:
        summary = gettext("Introduced %(first)s and %(second)s")
    summary %= {"first": contact.full_name, "second": other.full_name}
    interaction = interaction_create(
        owner=owner,
        kind=InteractionKind.INTRODUCTION,
        occurred_on=occurred_on,
        summary=summary[:200],
        notes=note.strip(),
        contacts=[contact, other],
    )
    if introduced_me:
        other.introduced_by = contact
        fields = ["introduced_by", "updated_at"]
        if not other.how_we_met.strip():
            story = gettext("%(name)s introduced us.") % {"name": contact.full_name} + (
                f" {note.strip()}" if note.strip() else ""
            )
            other.how_we_met = story[:HOW_WE_MET_MAX]
            fields.append("how_we_met")
        if other.met_on is None:
            other.met_on = occurred_on
            fields.append("met_on")
        other.save(update_fields=fields)
        reindex_contacts([other])
    return interaction


def introduction_draft(*, owner: User, contact: Contact, other: Contact) -> tuple[str, str]:
    """Subject and body of a double opt-in message asking `contact` to meet `other`.

    Uses the user's "introduction" note template from reminders.notes (the one
    they can edit in settings); Rapport's own wording if that module is missing.
    Shared tags become the reason to meet; otherwise the template shows
    "[reason]" for the user to fill in.
    """
    shared = sorted(
        {tag.name for tag in contact.tags.all()} & {tag.name for tag in other.tags.all()}
    )
    context = {
        "first_name": contact.first_name or contact.full_name,
        "other_name": other.full_name,
        "other_context": _job(other),
        "reason": gettext("you share an interest in %(tags)s") % {"tags": ", ".join(shared)}
        if shared
        else "",
        **sender_context(owner),
    }
    return (
        render_subject(INTRODUCTION, context, user=owner),
        render_note(INTRODUCTION, context, user=owner),
    )


# --- Following is not knowing ---------------------------------------------------


def following_contacts(owner: User) -> QuerySet[Contact]:
    return with_context(
        Contact.objects.owned_by(owner).filter(trust_level=TrustLevel.FOLLOWING)
    ).order_by("last_name", "first_name", "id")


@transaction.atomic
def contact_now_known(
    *,
    contact: Contact,
    trust_level: str,
    how_we_met: str,
    met_on: date | None = None,
    met_at: str = "",
) -> Contact:
    """Turn a followed (or unrated) person into a real connection: how we met is required."""
    if trust_level not in KNOWN_LEVELS:
        raise ValidationError({"trust_level": gettext("Choose how well you know them now.")})
    if not how_we_met.strip():
        raise ValidationError(
            {"how_we_met": gettext("Say how you met: that is what makes it a connection.")}
        )
    before = contact.trust_level
    contact.trust_level = trust_level
    contact.how_we_met = how_we_met.strip()
    if met_on is not None:
        contact.met_on = met_on
    if met_at.strip():
        contact.met_at = met_at.strip()
    contact.full_clean(exclude=["owner", "introduced_by", "tags"])
    contact.save()
    record_trust_change(contact=contact, before=before, after=trust_level)
    reindex_contacts([contact])
    return contact


# --- Triage ----------------------------------------------------------------------

# One key per level, in order of closeness; F is a mnemonic for `following`.
TRIAGE_KEYS: dict[str, str] = {
    "1": TrustLevel.FOLLOWING,
    "2": TrustLevel.MET,
    "3": TrustLevel.ACQUAINTANCE,
    "4": TrustLevel.KNOW_WELL,
    "5": TrustLevel.CLOSE,
    "f": TrustLevel.FOLLOWING,
}


@dataclass(frozen=True)
class Progress:
    sorted: int
    total: int

    @property
    def remaining(self) -> int:
        return self.total - self.sorted

    @property
    def label(self) -> str:
        return gettext("%(sorted)s of %(total)s sorted") % {
            "sorted": grouped(self.sorted),
            "total": grouped(self.total),
        }


def triage_progress(owner: User) -> Progress:
    # COUNT(*) and COUNT(trust_level) read only the (owner, trust_level) index.
    counts = Contact.objects.owned_by(owner).aggregate(total=Count("*"), rated=Count("trust_level"))
    return Progress(sorted=counts["rated"], total=counts["total"])


def triage_next(owner: User, after: int | None = None, *, pk: int | None = None) -> Contact | None:
    """The unrated contact `pk` if given and still unrated, else the next one after
    `after` (by id), wrapping round to the first."""
    queue = with_context(Contact.objects.owned_by(owner).filter(trust_level__isnull=True))
    found = None
    if pk is not None:
        found = queue.filter(pk=pk).first()
    if found is None and after is not None:
        found = queue.filter(pk__gt=after).order_by("pk").first()
    if found is None:
        found = queue.order_by("pk").first()
    return found


def triage_snapshot(contact: Contact) -> dict[str, Any]:
    """The fields a triage step changes, as JSON-ready values (kept in the session)."""
    return {
        "pk": contact.pk,
        "trust_level": contact.trust_level,
        "how_we_met": contact.how_we_met,
        "updated_at": contact.updated_at.isoformat(),
    }


def _story_with(story: str, line: str) -> str:
    """Add the typed line to the story already told; never replace it."""
    if not story.strip():
        return line
    if line in story:
        return story
    return f"{story.rstrip()}\n{line}"


@transaction.atomic
def triage_undo(*, contact: Contact, snapshot: dict[str, Any] | None = None) -> Contact:
    """Put back the state before the last step: every field the step changed.

    Without a snapshot of that step (another tab, an expired session) only the
    level goes back to *not rated yet*; the story is kept as it is.
    """
    changes: dict[str, Any] = {"trust_level": None, "updated_at": timezone.now()}
    if snapshot is not None and snapshot.get("pk") == contact.pk:
        changes = {
            "trust_level": snapshot["trust_level"],
            "how_we_met": snapshot["how_we_met"],
            "updated_at": datetime.fromisoformat(snapshot["updated_at"]),
        }
    story_changed = changes.get("how_we_met", contact.how_we_met) != contact.how_we_met
    before = contact.trust_level
    Contact.objects.filter(pk=contact.pk).update(**changes)
    # Undone, the step never happened: its history row goes too.
    forget_trust_change(contact=contact, before=changes["trust_level"], after=before)
    forget_glance(contact.owner_id)  # an update sends no signal; the overdue count may move
    for name, value in changes.items():
        setattr(contact, name, value)
    if story_changed:
        reindex_contacts([contact], touch=False)
    else:
        # updated_at went back to the snapshot's: tell phone sync the level changed.
        announce_changed([contact.pk], touch=False)
    return contact


@transaction.atomic
def triage_rate(*, contact: Contact, trust_level: str, how_we_met: str = "") -> Contact:
    """Set the trust level and add the typed line (if any) to how we met, in one UPDATE."""
    if trust_level not in TrustLevel.values:
        raise ValidationError({"trust_level": gettext("Choose one of the five trust levels.")})
    changes: dict[str, Any] = {"trust_level": trust_level, "updated_at": timezone.now()}
    line = how_we_met.strip()
    if line:
        story = _story_with(contact.how_we_met, line)
        if len(story) > HOW_WE_MET_MAX:
            raise ValidationError(
                {
                    "how_we_met": gettext(
                        "How we met would pass %(most)s characters; shorten it on their page."
                    )
                    % {"most": grouped(HOW_WE_MET_MAX)}
                }
            )
        changes["how_we_met"] = story
    before = contact.trust_level
    Contact.objects.filter(pk=contact.pk).update(**changes)
    record_trust_change(contact=contact, before=before, after=trust_level)
    forget_glance(contact.owner_id)  # an update sends no signal; the overdue count may move
    for name, value in changes.items():
        setattr(contact, name, value)
    if line:
        reindex_contacts([contact])
    return contact
