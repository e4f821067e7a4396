"""Introductions, following versus knowing, the triage queue and connection requests.

The trust level is what separates people the user knows from people they are
merely connected to, so every query here filters on it: introductions default
to *know well* and above, `following` contacts stay out unless asked for, and
the triage queue is the contacts that are *not rated yet* (NULL).
"""

import csv
import io
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
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
from django.utils import timezone

from contacts.models import (
    ConnectionRequest,
    Contact,
    Interaction,
    InteractionKind,
    Position,
    RequestDirection,
    RequestStatus,
    TrustLevel,
)
from contacts.normalize import InvalidLinkedInURL, normalize_linkedin_url, normalize_name
from contacts.relationships import interaction_create
from contacts.search import reindex_contacts, search_filter
from contacts.services import contact_create

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
    """What a result card shows: current job, tags and the last interaction's summary."""
    last_summary = (
        Interaction.objects.filter(contacts=OuterRef("pk"))
        .order_by("-occurred_on", "-id")
        .values("summary")[:1]
    )
    return queryset.annotate(last_summary=Subquery(last_summary)).prefetch_related(
        Prefetch(
            "positions",
            queryset=Position.objects.filter(end_date__isnull=True).order_by("-start_date", "-id"),
            to_attr="current_positions",
        ),
        "tags",
    )


def introduction_search(
    *,
    owner: AbstractBaseUser,
    query: str,
    min_trust: str = TrustLevel.KNOW_WELL,
    include_following: bool = False,
) -> QuerySet[Contact]:
    """People matching every word of `query` (job, tags, notes, names), closest first.

    One LIKE per word on `search_text`, which the trigram GIN index serves on
    PostgreSQL (contacts/migrations/0002); SQLite scans, fine at its scale.
    """
    queryset = Contact.objects.owned_by(owner).filter(
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

    Expects a contact from `with_context` (current positions and tags prefetched).
    """
    words = query.lower().split()
    if not words:
        return []
    positions = getattr(contact, "current_positions", None) or []
    fields: list[tuple[str, str]] = []
    for position in positions:
        fields += [("title", position.title), ("company", position.company)]
    fields += [("tag", tag.name) for tag in contact.tags.all()]
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
    owner: AbstractBaseUser,
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
        raise ValidationError("Choose two different people.")
    if introduced_me:
        summary = f"{contact.full_name} introduced me to {other.full_name}"
    else:
        summary = f"Introduced {contact.full_name} and {other.full_name}"
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
            other.how_we_met = f"{contact.full_name} introduced us." + (
                f" {note.strip()}" if note.strip() else ""
            )
            fields.append("how_we_met")
        if other.met_on is None:
            other.met_on = occurred_on
            fields.append("met_on")
        other.save(update_fields=fields)
        reindex_contacts([other])
    return interaction


def _default_introduction(context: dict[str, str]) -> tuple[str, str]:
    about = f" ({context['other_context']})" if context["other_context"] else ""
    why = f" I think you two should meet because {context['reason']}." if context["reason"] else ""
    body = (
        f"Hi {context['first_name']},\n\n"
        f"Would you like me to introduce you to {context['other_name']}{about}?{why} "
        f"If you are up for it, I will ask {context['other_name']} too and connect you both "
        f"only if you both say yes. No pressure either way.\n\nAll the best,\n"
        f"{context['my_name']}"
    )
    return f"Would you like an introduction to {context['other_name']}?", body


def introduction_draft(
    *, owner: AbstractBaseUser, contact: Contact, other: Contact
) -> tuple[str, str]:
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
        "reason": f"you share an interest in {', '.join(shared)}" if shared else "",
        "my_name": getattr(owner, "first_name", "") or owner.get_username(),
    }
    try:
        from reminders.notes import INTRODUCTION, render_note, render_subject
    except ImportError:
        return _default_introduction(context)
    return (
        render_subject(INTRODUCTION, context, user=owner),
        render_note(INTRODUCTION, context, user=owner),
    )


# --- Following is not knowing ---------------------------------------------------


def following_contacts(owner: AbstractBaseUser) -> QuerySet[Contact]:
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
        raise ValidationError({"trust_level": "Choose how well you know them now."})
    if not how_we_met.strip():
        raise ValidationError(
            {"how_we_met": "Say how you met: that is what makes it a connection."}
        )
    contact.trust_level = trust_level
    contact.how_we_met = how_we_met.strip()
    if met_on is not None:
        contact.met_on = met_on
    if met_at.strip():
        contact.met_at = met_at.strip()
    contact.full_clean(exclude=["owner", "introduced_by", "tags"])
    contact.save()
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
        return f"{self.sorted:,} of {self.total:,} sorted"


def triage_progress(owner: AbstractBaseUser) -> Progress:
    counts = Contact.objects.owned_by(owner).aggregate(
        total=Count("id"), rated=Count("id", filter=Q(trust_level__isnull=False))
    )
    return Progress(sorted=counts["rated"], total=counts["total"])


def triage_next(owner: AbstractBaseUser, after: int | None = None) -> Contact | None:
    """The next unrated contact after `after` (by id), wrapping round to the first."""
    queue = with_context(Contact.objects.owned_by(owner).filter(trust_level__isnull=True))
    if after is not None:
        found = queue.filter(pk__gt=after).order_by("pk").first()
        if found is not None:
            return found
    return queue.order_by("pk").first()


@transaction.atomic
def triage_rate(*, contact: Contact, trust_level: str, how_we_met: str = "") -> Contact:
    """Set the trust level (and, if given, how we met) in one UPDATE."""
    if trust_level not in TrustLevel.values:
        raise ValidationError({"trust_level": "Choose one of the five trust levels."})
    changes: dict[str, Any] = {"trust_level": trust_level, "updated_at": timezone.now()}
    line = how_we_met.strip()
    if line:
        changes["how_we_met"] = line
    Contact.objects.filter(pk=contact.pk).update(**changes)
    for name, value in changes.items():
        setattr(contact, name, value)
    if line:
        reindex_contacts([contact])
    return contact


# --- Connection requests ------------------------------------------------------------


def split_name(name: str) -> tuple[str, str]:
    parts = name.split()
    if not parts:
        return "", ""
    if len(parts) == 1:
        return parts[0][:100], ""
    return " ".join(parts[:-1])[:100], parts[-1][:100]


def _clean_url(value: str) -> str:
    try:
        return normalize_linkedin_url(value)
    except InvalidLinkedInURL:
        return ""


@transaction.atomic
def connection_request_create(
    *,
    owner: AbstractBaseUser,
    name: str,
    linkedin_url: str = "",
    message: str = "",
    direction: str = RequestDirection.INCOMING,
    sent_at: datetime | None = None,
) -> ConnectionRequest:
    name = " ".join(name.split())
    if not name:
        raise ValidationError({"name": "Enter their name."})
    try:
        url = normalize_linkedin_url(linkedin_url)
    except InvalidLinkedInURL as exc:
        raise ValidationError({"linkedin_url": str(exc)}) from None
    if url and (
        ConnectionRequest.objects.owned_by(owner)
        .filter(linkedin_url=url, direction=direction)
        .exists()
    ):
        raise ValidationError({"linkedin_url": "There is already a request for this profile."})
    request = ConnectionRequest(
        owner=owner,
        name=name[:200],
        linkedin_url=url,
        message=message.strip(),
        direction=direction,
        sent_at=sent_at or timezone.now(),
    )
    request.full_clean(exclude=["owner", "contact"])
    request.save()
    return request


INVITATION_COLUMNS = {"from", "to", "sent at", "direction"}


class InvitationsFormatError(ValueError):
    pass


@dataclass
class InvitationsReport:
    created: int = 0
    already_imported: int = 0
    skipped: int = 0
    problems: list[str] = field(default_factory=list)

    def counts(self) -> dict[str, int]:
        return {
            "created": self.created,
            "already_imported": self.already_imported,
            "skipped": self.skipped,
        }


def parse_sent_at(value: str, zone: Any) -> datetime | None:
    """LinkedIn writes `9/25/26, 8:52 AM` (month first); tolerate a few variants."""
    text = " ".join(value.replace(",", " ").split()).upper()
    for pattern in ("%m/%d/%y %I:%M %p", "%m/%d/%Y %I:%M %p", "%m/%d/%y", "%m/%d/%Y"):
        try:
            parsed = datetime.strptime(text, pattern)
        except ValueError:
            continue
        return parsed.replace(tzinfo=zone)
    try:
        parsed = datetime.fromisoformat(value.strip())
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=zone)


def _invitation_rows(text: str) -> tuple[list[str], list[tuple[int, list[str]]]]:
    """The header (lower-cased) and the numbered rows after it, found by content."""
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    for index, row in enumerate(rows):
        header = [cell.strip().lower() for cell in row]
        if set(header) >= INVITATION_COLUMNS:
            return header, [(index + 2 + n, r) for n, r in enumerate(rows[index + 1 :])]
    raise InvitationsFormatError(
        "This is not LinkedIn's Invitations.csv: no header row with From, To, Sent At and "
        "Direction was found."
    )


def read_invitations(text: str, zone: Any) -> tuple[list[ConnectionRequest], list[str]]:
    """Unsaved requests (without owner) read from the file, and the lines skipped."""
    header, rows = _invitation_rows(text)
    col = {name: header.index(name) for name in header if name}
    problems: list[str] = []
    requests: list[ConnectionRequest] = []

    def cell(row: list[str], name: str) -> str:
        at = col.get(name)
        return row[at].strip() if at is not None and at < len(row) else ""

    for line, row in rows:
        if not any(part.strip() for part in row):
            continue
        direction = cell(row, "direction").lower()
        if direction not in RequestDirection.values:
            problems.append(f"Line {line}: direction “{cell(row, 'direction')}” is unknown.")
            continue
        incoming = direction == RequestDirection.INCOMING
        name = " ".join(cell(row, "from" if incoming else "to").split())
        if not name:
            problems.append(f"Line {line}: no name.")
            continue
        url_column = "inviterprofileurl" if incoming else "inviteeprofileurl"
        requests.append(
            ConnectionRequest(
                name=name[:200],
                linkedin_url=_clean_url(cell(row, url_column)),
                message=cell(row, "message"),
                direction=direction,
                sent_at=parse_sent_at(cell(row, "sent at"), zone),
            )
        )
    return requests, problems


def _request_key(request: ConnectionRequest) -> tuple[Any, ...]:
    if request.linkedin_url:
        return ("url", request.linkedin_url, request.direction)
    return ("name", normalize_name(request.name), request.direction, request.sent_at)


@transaction.atomic
def invitations_import(*, owner: AbstractBaseUser, text: str) -> InvitationsReport:
    """Import LinkedIn's Invitations.csv; requests already imported are left alone."""
    from crm.models import UserSettings

    zone = UserSettings.for_user(owner).zone
    found, problems = read_invitations(text, zone)
    report = InvitationsReport(skipped=len(problems), problems=problems)
    existing = ConnectionRequest.objects.owned_by(owner).filter(
        Q(linkedin_url__in={r.linkedin_url for r in found if r.linkedin_url})
        | Q(linkedin_url="", name__in={r.name for r in found if not r.linkedin_url})
    )
    seen = {_request_key(r) for r in existing.only("name", "linkedin_url", "direction", "sent_at")}
    new: list[ConnectionRequest] = []
    for request in found:
        key = _request_key(request)
        if key in seen:
            report.already_imported += 1
            continue
        seen.add(key)
        request.owner = owner
        new.append(request)
    # ignore_conflicts: a concurrent import of the same file must not fail on the constraint.
    ConnectionRequest.objects.bulk_create(new, ignore_conflicts=True)
    report.created = len(new)
    return report


def import_invitations(*, owner: AbstractBaseUser, text: str) -> dict[str, int]:
    """Import Invitations.csv text; returns counts: created, already_imported, skipped.

    Raises InvitationsFormatError (a ValueError) when the text has no Invitations header.
    """
    return invitations_import(owner=owner, text=text).counts()


def pending_requests(owner: AbstractBaseUser) -> QuerySet[ConnectionRequest]:
    return ConnectionRequest.objects.owned_by(owner).filter(status=RequestStatus.PENDING)


def _contact_for_request(request: ConnectionRequest) -> Contact | None:
    if not request.linkedin_url:
        return None
    return (
        Contact.objects.owned_by(request.owner)
        .filter(linkedin_url=request.linkedin_url)
        .order_by("pk")
        .first()
    )


def _request_note(request: ConnectionRequest) -> str:
    if not request.message:
        return ""
    when = f" ({request.sent_at:%-d %b %Y})" if request.sent_at else ""
    return f"LinkedIn invitation{when}: {request.message}"


def _decide(request: ConnectionRequest, status: str, contact: Contact | None) -> None:
    request.status = status
    request.contact = contact
    request.decided_at = timezone.now()
    request.save(update_fields=["status", "contact", "decided_at"])


def _ensure_pending(request: ConnectionRequest) -> None:
    if request.status != RequestStatus.PENDING:
        raise ValidationError(f"This request was already decided: {request.get_status_display()}.")


@transaction.atomic
def request_know(*, request: ConnectionRequest, trust_level: str, how_we_met: str) -> Contact:
    """I know them: a contact with a real trust level and how we met (required)."""
    _ensure_pending(request)
    if trust_level not in KNOWN_LEVELS:
        raise ValidationError({"trust_level": "Choose how well you know them."})
    if not how_we_met.strip():
        raise ValidationError({"how_we_met": "Say how you met. If you can't, follow them instead."})
    contact = _contact_for_request(request)
    if contact is None:
        first, last = split_name(request.name)
        contact = contact_create(
            owner=request.owner,
            first_name=first,
            last_name=last,
            linkedin_url=request.linkedin_url,
            trust_level=trust_level,
            how_we_met=how_we_met.strip(),
            notes=_request_note(request),
        )
    else:
        contact_now_known(contact=contact, trust_level=trust_level, how_we_met=how_we_met)
    _decide(request, RequestStatus.KNOWN, contact)
    return contact


@transaction.atomic
def request_follow(*, request: ConnectionRequest) -> Contact:
    """Follow only: a `following` contact, no relationship implied."""
    _ensure_pending(request)
    contact = _contact_for_request(request)
    if contact is None:
        first, last = split_name(request.name)
        contact = contact_create(
            owner=request.owner,
            first_name=first,
            last_name=last,
            linkedin_url=request.linkedin_url,
            trust_level=TrustLevel.FOLLOWING,
            notes=_request_note(request),
        )
    # An existing contact keeps its trust level: following never downgrades someone known.
    _decide(request, RequestStatus.FOLLOWING, contact)
    return contact


@transaction.atomic
def request_ignore(*, request: ConnectionRequest) -> None:
    _ensure_pending(request)
    _decide(request, RequestStatus.IGNORED, None)
