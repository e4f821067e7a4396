"""Interactions and the keep-in-touch clock they reset."""

from collections.abc import Iterable
from datetime import date, time
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max, OuterRef, Subquery

from contacts.models import Contact, Interaction


def refresh_last_interaction(contact_ids: Iterable[int]) -> None:
    """Recompute Contact.last_interaction_on for these contacts in one UPDATE."""
    ids = list(set(contact_ids))
    if not ids:
        return
    newest = (
        Interaction.contacts.through.objects.filter(contact_id=OuterRef("pk"))
        .values("contact_id")
        .annotate(newest=Max("interaction__occurred_on"))
        .values("newest")
    )
    Contact.objects.filter(pk__in=ids).update(last_interaction_on=Subquery(newest))


def _owned_contacts(owner: AbstractBaseUser, contacts: Iterable[Contact | int]) -> list[Contact]:
    ids = {c.pk if isinstance(c, Contact) else int(c) for c in contacts}
    if not ids:
        raise ValidationError("Choose at least one person.")
    found = list(Contact.objects.owned_by(owner).filter(pk__in=ids))
    if len(found) != len(ids):
        # Another user's id must never be linked, nor revealed to exist.
        raise ValidationError("Choose people from your own contacts.")
    return found


@transaction.atomic
def interaction_create(
    *,
    owner: AbstractBaseUser,
    kind: str,
    occurred_on: date,
    summary: str,
    contacts: Iterable[Contact | int],
    notes: str = "",
    occurred_at: time | None = None,
) -> Interaction:
    people = _owned_contacts(owner, contacts)
    interaction = Interaction(
        owner=owner,
        kind=kind,
        occurred_on=occurred_on,
        occurred_at=occurred_at,
        summary=summary,
        notes=notes,
    )
    interaction.full_clean(exclude=["owner"])
    interaction.save()
    interaction.contacts.set(people)
    refresh_last_interaction(c.pk for c in people)
    return interaction


@transaction.atomic
def interaction_update(
    *, interaction: Interaction, contacts: Iterable[Contact | int] | None = None, **fields: Any
) -> Interaction:
    before = set(interaction.contacts.values_list("pk", flat=True))
    for name, value in fields.items():
        setattr(interaction, name, value)
    interaction.full_clean(exclude=["owner"])
    interaction.save()
    after = before
    if contacts is not None:
        people = _owned_contacts(interaction.owner, contacts)
        interaction.contacts.set(people)
        after = {c.pk for c in people}
    refresh_last_interaction(before | after)
    return interaction


@transaction.atomic
def interaction_delete(*, interaction: Interaction) -> None:
    affected = list(interaction.contacts.values_list("pk", flat=True))
    interaction.delete()
    refresh_last_interaction(affected)
