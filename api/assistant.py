"""The assistant endpoint: an MCP server (the official `mcp` SDK) over Rapport's own rules.

Tools read what the API reads and write through the same forms and services:
this week's occasions (reminders.dashboard), contact search (contacts.search), a
contact's summary with recent interactions, who could introduce you to someone at a
company (contacts.network's finder) and, with a write-scoped token, logging an
interaction and drafting a note (the composer's template and services).

Every call is authenticated with a personal access token: over HTTP the request's
`Authorization: Bearer` header (checked again here, after HttpBearerGate let it in);
over stdio the token `manage.py mcp --token` was started with. The token is looked up
on each call, so revoking it in Settings stops a running assistant at its next call,
and each call counts against the token's rate limit like an API request.
"""

from collections.abc import Callable
from typing import Annotated, Any

import anyio.to_thread
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import close_old_connections
from django.http import Http404
from mcp.server.mcpserver import Context, MCPServer
from mcp.server.mcpserver.exceptions import ToolError
from mcp_types import ToolAnnotations
from pydantic import Field

from api.auth import preferences, seconds_until_allowed, throttle_key
from api.errors import FieldErrors, django_errors
from api.models import AccessToken
from api.schemas import contact_out, contact_rows, contacts_out, interaction_out
from contacts.models import Contact, Interaction, TrustLevel
from contacts.network import introduction_search, why_matched
from contacts.relationships import interactions_of
from contacts.search import search_filter
from crm.ownership import get_owned_or_404
from reminders import services
from reminders.models import Reminder, ReminderStatus
from reminders.notes import draft_for

RECENT_INTERACTIONS = 5
MAX_RESULTS = 25
# A row id the database can hold: anything else is refused by the input schema.
RowId = Annotated[int, Field(ge=1, lt=2**63)]

INSTRUCTIONS = (
    "Rapport is the user's personal relationship CRM: the people they know, how well "
    "(trust levels following < met < acquaintance < know_well < close), how they met, "
    "their interactions and careers, and reminders of occasions (job changes, work "
    "anniversaries, birthdays, keeping in touch). Use this_week for who to congratulate "
    "or contact now, search_contacts and contact_summary to look people up, "
    "who_can_introduce for introductions at a company. With a write token, log_interaction "
    "records what happened and draft_note prepares a personal note for the user to edit "
    "and send themselves; never claim a note was sent."
)


class Principal:
    """The stdio server's token, given at start (HTTP calls carry their own)."""

    stdio_secret: str = ""


def bearer_secret(authorization: str | None) -> str:
    scheme, _, secret = (authorization or "").partition(" ")
    return secret.strip() if scheme.lower() == "bearer" else ""


def _token_for(ctx: Context | None) -> AccessToken:
    headers = ctx.headers if ctx is not None else None
    secret = (
        Principal.stdio_secret if headers is None else bearer_secret(headers.get("authorization"))
    )
    token = AccessToken.find(secret)
    if token is None:
        raise ToolError("The access token is not valid (revoked?). Create one in Settings.")
    wait = seconds_until_allowed(key) if (key := throttle_key(token)) else None
    if wait is not None:
        raise ToolError(f"Too many requests with this token; try again in {wait} s.")
    token.mark_used()
    return token


async def _as(ctx: Context | None, work: Callable[[AccessToken], Any], *, write: bool) -> Any:
    """Run `work` for the caller's token in a worker thread (the ORM is synchronous)."""

    def run() -> Any:
        close_old_connections()
        try:
            token = _token_for(ctx)
            if write and not token.can_write:
                raise ToolError(
                    "This token is read-only; create one with the write scope to change data."
                )
            return work(token)
        except Http404:
            raise ToolError("Not found: no such contact, reminder or note of yours.") from None
        except FieldErrors as error:
            raise ToolError(_explain(error.errors)) from None
        except ValidationError as error:
            raise ToolError(_explain(django_errors(error))) from None
        finally:
            close_old_connections()

    return await anyio.to_thread.run_sync(run)


def _explain(errors: dict[str, list[str]]) -> str:
    return "Not saved. " + " ".join(
        f"{field}: {' '.join(problems)}" for field, problems in errors.items()
    )


def _brief(full: dict[str, Any]) -> dict[str, Any]:
    """A search result: the API's contact, shortened."""
    current = next((p for p in full["positions"] if p["current"]), None)
    return {
        "id": full["id"],
        "name": full["name"],
        "trust": full["trust_label"],
        "job": _job(current),
        "tags": full["tags"],
        "emails": [e["email"] for e in full["emails"]],
        "last_interaction_on": full["last_interaction_on"],
    }


def _job(position: dict[str, Any] | None) -> str:
    if not position:
        return ""
    parts = [position["title"], position["company"]]
    return " at ".join(p for p in parts if p)


def _contacts(owner: User) -> Any:
    return Contact.objects.owned_by(owner)


# --- Tools ---------------------------------------------------------------------------


async def this_week(ctx: Context, trust: str = "") -> dict[str, Any]:
    """Who to congratulate or get back to now: occasions due in the coming 7 days and
    overdue ones (job changes, promotions, work anniversaries, birthdays, dates to
    remember, keeping in touch), oldest first, each with a line of context.

    trust: "" (everyone but people the user only follows), "all", "acquaintance",
    "know_well" or "close" (that close and closer).
    """
    from api.reminders import this_week_page

    if trust not in {"", "all", "acquaintance", "know_well", "close"}:
        raise ToolError("trust must be one of: '', all, acquaintance, know_well, close.")

    def work(token: AccessToken) -> dict[str, Any]:
        return this_week_page(token.owner, trust=trust, cursor=None, limit=MAX_RESULTS * 2)

    return await _as(ctx, work, write=False)


async def search_contacts(
    ctx: Context, query: str, limit: Annotated[int, Field(ge=1, le=MAX_RESULTS)] = 10
) -> dict[str, Any]:
    """Find the user's contacts whose name, email, phone, current job, tags, how-we-met
    story or notes contain every word of `query`."""
    words = query.strip()[:200]
    if not words:
        raise ToolError("Give some words to search for.")
    size = limit

    def work(token: AccessToken) -> dict[str, Any]:
        found = search_filter(_contacts(token.owner), words).order_by(
            "last_name", "first_name", "id"
        )
        return {"contacts": [_brief(c) for c in contacts_out(list(contact_rows(found)[:size]))]}

    return await _as(ctx, work, write=False)


async def contact_summary(ctx: Context, contact_id: RowId) -> dict[str, Any]:
    """Everything about one contact (trust level, how you met, career, tags, emails,
    phones, birthday), their most recent interactions and their open reminders."""

    def work(token: AccessToken) -> dict[str, Any]:
        contact = get_owned_or_404(_contacts(token.owner), token.owner, pk=contact_id)
        recent = (
            interactions_of(contact)
            .filter(owner=token.owner)
            .prefetch_related("contacts")
            .order_by("-occurred_on", "-id")[:RECENT_INTERACTIONS]
        )
        reminders = Reminder.objects.owned_by(token.owner).filter(
            contact=contact, status__in=[ReminderStatus.OPEN, ReminderStatus.SNOOZED]
        )
        return {
            "contact": contact_out(contact),
            "recent_interactions": [interaction_out(i) for i in recent],
            "open_reminders": [
                {"id": r.pk, "kind": r.get_kind_display(), "due_on": r.due_on, "status": r.status}
                for r in reminders.order_by("due_on", "id")[:MAX_RESULTS]
            ],
        }

    return await _as(ctx, work, write=False)


async def who_can_introduce(
    ctx: Context, company: str, min_trust: str = "know_well"
) -> dict[str, Any]:
    """People the user knows at (or around) a company, closest first, who could make an
    introduction to someone there; each says why it matched (title, company, tag…).

    min_trust: the least trust level to include, default know_well (people the user would
    vouch for); use "met" or "acquaintance" to widen the search.
    """
    words = company.strip()[:200]
    if not words:
        raise ToolError("Name the company (or a word that describes where they work).")
    if min_trust not in TrustLevel.values or min_trust == TrustLevel.FOLLOWING:
        raise ToolError("min_trust must be met, acquaintance, know_well or close.")

    def work(token: AccessToken) -> dict[str, Any]:
        found = introduction_search(owner=token.owner, query=words, min_trust=min_trust)
        people = []
        for contact in found[:MAX_RESULTS]:
            positions = getattr(contact, "current_positions", [])
            people.append(
                {
                    "id": contact.pk,
                    "name": contact.full_name,
                    "trust": contact.trust_label,
                    "job": str(positions[0]) if positions else "",
                    "why": [f"{r.label}: {r.text}" for r in why_matched(contact, words)],
                }
            )
        return {"people": people}

    return await _as(ctx, work, write=False)


async def log_interaction(
    ctx: Context,
    contact_ids: Annotated[list[RowId], Field(min_length=1, max_length=100)],
    summary: str,
    kind: str = "other",
    occurred_on: str = "",
    notes: str = "",
) -> dict[str, Any]:
    """Record an interaction the user had with one or more contacts (needs a write token).

    kind: call, video_call, meeting, meal, message, email, letter, note_sent,
    introduction, event or other. occurred_on: YYYY-MM-DD, default today. It resets the
    keep-in-touch clock of everyone in it.
    """
    from api.writes import InteractionIn, interaction_from_api

    def work(token: AccessToken) -> dict[str, Any]:
        day = occurred_on.strip() or preferences(token.owner).today().isoformat()
        try:
            payload = InteractionIn.model_validate(
                {"kind": kind, "occurred_on": day, "summary": summary, "notes": notes,
                 "contacts": contact_ids}
            )  # fmt: skip
        except ValueError as error:
            raise ToolError(f"Not saved: {error}") from None
        interaction = interaction_from_api(owner=token.owner, payload=payload)
        saved = Interaction.objects.prefetch_related("contacts").get(pk=interaction.pk)
        return {"logged": interaction_out(saved)}

    return await _as(ctx, work, write=True)


async def draft_note(
    ctx: Context, contact_id: RowId | None = None, reminder_id: RowId | None = None
) -> dict[str, Any]:
    """Draft a personal note from the user's template and what Rapport knows (needs a
    write token): for a reminder of this_week (congratulations, birthday…) or just to a
    contact. Reopens the unsent draft if there is one. The user edits and sends it
    themselves from the returned page; nothing is sent."""
    from api.schemas import note_out

    if (contact_id is None) == (reminder_id is None):
        raise ToolError("Give either contact_id or reminder_id.")

    def work(token: AccessToken) -> dict[str, Any]:
        owner = token.owner
        reminder = None
        if reminder_id is not None:
            reminder = get_owned_or_404(
                Reminder.objects.select_related("contact", "position"), owner, pk=reminder_id
            )
            contact = reminder.contact
        else:
            contact = get_owned_or_404(Contact.objects.all(), owner, pk=contact_id)
        subject, body = draft_for(user=owner, contact=contact, reminder=reminder)
        draft = services.note_draft_start(
            owner=owner, contact=contact, reminder=reminder, subject=subject, body=body
        )
        return {"draft": note_out(draft)}

    return await _as(ctx, work, write=True)


READ_TOOLS: tuple[Callable[..., Any], ...] = (
    this_week,
    search_contacts,
    contact_summary,
    who_can_introduce,
)
WRITE_TOOLS: tuple[Callable[..., Any], ...] = (log_interaction, draft_note)


def build_server() -> MCPServer:
    server = MCPServer(name="rapport", title="Rapport", instructions=INSTRUCTIONS)
    for tool in READ_TOOLS:
        server.add_tool(tool, annotations=ToolAnnotations(read_only_hint=True))
    for tool in WRITE_TOOLS:
        server.add_tool(tool, annotations=ToolAnnotations(read_only_hint=False))
    return server
