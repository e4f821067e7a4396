"""Promises kept: marking them while logging, the short syntax, keeping them (issue 21).

A promise belongs to one contact. Made while logging an interaction with several
people, it goes to the first person chosen. Keeping one logs an interaction, so the
keep-in-touch clock moves as for any other contact.

The short syntax (docs/relationships.md), one promise per line of the summary or notes:

    I promised: send her the article by 2026-12-10
    They promised: intro to a designer
    Promised: the slides (due 2026-12-01)

`Promised:` alone is the user's own. An ISO date after "by" or "due" at the end of the
line is the due date; a date that does not exist stays part of the text.
"""

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, time, timedelta

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import Case, F, IntegerField, Q, QuerySet, Value, When
from django.utils.translation import gettext

from contacts import limits
from contacts.models import Contact, Interaction, InteractionKind, Promise, PromiseBy
from contacts.relation_models import PROMISE_TEXT_MAX, Initiator
from contacts.relationships import interaction_create

# Promises due within this many days show on This week (as the reminders do).
DUE_SOON_DAYS = 7
ON_WEEK_LIMIT = 10

_MARK = re.compile(
    r"(?P<who>\bi\s+promised|\bthey\s+promised|\bpromised)\s*:\s*(?P<rest>.+)$", re.IGNORECASE
)
_DUE = re.compile(r"\s*\(?\b(?:by|due)\s+(?P<day>\d{4}-\d{2}-\d{2})\)?\s*\.?$", re.IGNORECASE)


@dataclass(frozen=True)
class PromiseSpec:
    made_by: str
    text: str
    due_on: date | None = None


def parse_promises(text: str) -> list[PromiseSpec]:
    """The promises written in `text` with the short syntax, in order."""
    found: list[PromiseSpec] = []
    for line in (text or "").splitlines():
        match = _MARK.search(line)
        if match is None:
            continue
        who = match["who"].lower()
        made_by = PromiseBy.THEM if who.startswith("they") else PromiseBy.ME
        rest, due_on = match["rest"].strip(), None
        due = _DUE.search(rest)
        if due is not None:
            try:
                due_on = date.fromisoformat(due["day"])
            except ValueError:
                due_on = None
            else:
                rest = rest[: due.start()].strip()
        rest = rest.rstrip(" .;,")
        if rest:
            found.append(PromiseSpec(made_by=made_by, text=rest[:PROMISE_TEXT_MAX], due_on=due_on))
    return found


def _checked_due(due_on: date | None, today: date) -> date | None:
    if due_on is None:
        return None
    if not limits.in_range(due_on, today=today):
        raise ValidationError(
            {
                "due_on": gettext("Choose a due date from %(range)s.")
                % {"range": limits.range_text(today)}
            },
            code="range",
        )
    return due_on


@transaction.atomic
def promise_create(
    *,
    owner: User,
    contact: Contact,
    made_by: str,
    text: str,
    today: date,
    due_on: date | None = None,
    interaction: Interaction | None = None,
) -> Promise:
    if contact.owner_id != owner.pk:
        raise ValidationError(gettext("Choose someone from your own contacts."))
    if made_by not in PromiseBy.values:
        raise ValidationError({"made_by": gettext("Say who promised it.")})
    if not text.strip():
        raise ValidationError({"text": gettext("Say what was promised.")})
    promise = Promise(
        owner=owner,
        contact=contact,
        made_by=made_by,
        text=text.strip()[:PROMISE_TEXT_MAX],
        due_on=_checked_due(due_on, today),
        interaction=interaction,
    )
    promise.save()
    return promise


@transaction.atomic
def interaction_log(
    *,
    owner: User,
    today: date,
    kind: str,
    occurred_on: date,
    summary: str,
    contacts: list[Contact],
    notes: str = "",
    occurred_at: time | None = None,
    initiated_by: str = Initiator.ME,
    promises: Iterable[PromiseSpec] = (),
    promise_to: Contact | None = None,
) -> Interaction:
    """Log an interaction with the promises marked on the form and those in its text.

    One transaction: a promise that fails (a due date out of range) saves nothing.
    Promises go to `promise_to`, else the first of `contacts`.
    """
    interaction = interaction_create(
        owner=owner,
        kind=kind,
        occurred_on=occurred_on,
        summary=summary,
        contacts=contacts,
        notes=notes,
        occurred_at=occurred_at,
        initiated_by=initiated_by,
    )
    person = promise_to or contacts[0]
    for spec in [*promises, *parse_promises(f"{summary}\n{notes}")]:
        promise_create(
            owner=owner,
            contact=person,
            made_by=spec.made_by,
            text=spec.text,
            due_on=spec.due_on,
            today=today,
            interaction=interaction,
        )
    return interaction


@transaction.atomic
def promise_keep(*, promise: Promise, today: date) -> Promise:
    """Mark it kept and log that on the contact's timeline."""
    if promise.kept_on is not None:
        raise ValidationError(gettext("This promise is already kept."))
    mine = promise.made_by == PromiseBy.ME
    kept = gettext("Kept my promise: %(text)s") if mine else gettext("Kept their promise: %(text)s")
    summary = kept % {"text": promise.text}
    promise.kept_interaction = interaction_create(
        owner=promise.owner,
        kind=InteractionKind.OTHER,
        occurred_on=today,
        summary=summary[:200],
        contacts=[promise.contact],
        initiated_by=Initiator.ME if mine else Initiator.THEM,
    )
    promise.kept_on = today
    promise.save(update_fields=["kept_on", "kept_interaction"])
    return promise


@transaction.atomic
def promise_delete(*, promise: Promise) -> None:
    """Forget a promise marked by mistake (or released); its interactions stay."""
    promise.delete()


def _urgency(today: date) -> Case:
    """Overdue promises I made first, then mine, then theirs."""
    return Case(
        When(Q(made_by=PromiseBy.ME, due_on__lt=today), then=Value(0)),
        When(made_by=PromiseBy.ME, then=Value(1)),
        default=Value(2),
        output_field=IntegerField(),
    )


def open_promises(contact: Contact, today: date) -> QuerySet[Promise]:
    """A contact's open promises, an overdue one of mine before anything else."""
    return (
        Promise.objects.filter(contact=contact, kept_on__isnull=True)
        .annotate(urgency=_urgency(today))
        # Undated after dated on every database (SQLite puts NULLs first by default).
        .order_by("urgency", F("due_on").asc(nulls_last=True), "id")
    )


def kept_promises(contact: Contact) -> QuerySet[Promise]:
    return Promise.objects.filter(contact=contact, kept_on__isnull=False).order_by(
        "-kept_on", "-id"
    )


def promises_due(owner: User, today: date) -> list[Promise]:
    """Open promises due within the week (or overdue), for This week: one query."""
    horizon = today + timedelta(days=DUE_SOON_DAYS)
    due: list[Promise] = list(
        Promise.objects.owned_by(owner)
        .filter(kept_on__isnull=True, due_on__lte=horizon)
        .select_related("contact")
        .defer("contact__search_text", "contact__notes", "contact__how_we_met")
        .annotate(urgency=_urgency(today))
        .order_by("urgency", "due_on", "id")[:ON_WEEK_LIMIT]
    )
    for promise in due:
        promise.overdue = promise.is_overdue(today)  # type: ignore[attr-defined]
    return due


def promise_section_context(contact: Contact, today: date) -> dict[str, object]:
    """The contact page's *Promises* card: open ones (an overdue one of mine first), the
    last few kept. One query (a UNION of both; two where the database cannot limit
    one half of a UNION)."""
    opened = open_promises(contact, today)
    kept = kept_promises(contact).annotate(urgency=Value(3, output_field=IntegerField()))[:3]
    if connection.features.supports_slicing_ordering_in_compound:
        rows = list(opened.union(kept, all=True))
        # The UNION keeps no order: each list sorted as its own query orders it (an
        # open promise without a due date after those with one, as the database does).
        open_list = sorted(
            (p for p in rows if p.kept_on is None),
            key=lambda p: (p.urgency, p.due_on is None, p.due_on or date.min, p.pk),  # type: ignore[attr-defined]
        )
        kept_list = sorted(
            (p for p in rows if p.kept_on is not None),
            key=lambda p: (p.kept_on, p.pk),
            reverse=True,
        )
    else:
        open_list, kept_list = list(opened), list(kept)
    for promise in open_list:
        promise.overdue = promise.is_overdue(today)  # type: ignore[attr-defined]
    return {
        "open": open_list,
        "kept": kept_list,
        "overdue_mine": any(p.overdue and p.made_by == PromiseBy.ME for p in open_list),  # type: ignore[attr-defined]
    }
