"""Interactions: `/api/v1/interactions`, written through contacts.relationships."""

from datetime import date

from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Field, Query, Router, Schema, Status

from api import writes
from api.auth import caller, writer
from api.contacts import ERRORS
from api.pagination import DEFAULT_LIMIT, MAX_LIMIT, paginate
from api.schemas import InteractionOut, InteractionPage, interaction_out
from contacts.models import Contact, Interaction
from contacts.relationships import interaction_delete, interactions_of
from crm.ownership import get_owned_or_404

router = Router(tags=["Interactions"])


class InteractionFilters(Schema):
    contact: int | None = Field(None, ge=1, lt=2**63, description="Only those with this contact")
    since: date | None = Field(None, description="Only those on or after this day")
    cursor: str | None = None
    limit: int = Field(DEFAULT_LIMIT, ge=1, le=MAX_LIMIT)


def _for_output(queryset: QuerySet[Interaction]) -> QuerySet[Interaction]:
    return queryset.prefetch_related("contacts")


@router.get("/interactions", response={200: InteractionPage, **ERRORS}, url_name="interactions")
def list_interactions(request: HttpRequest, filters: Query[InteractionFilters]) -> dict:
    """Your interactions, newest first."""
    owner = caller(request)
    queryset: QuerySet[Interaction] = Interaction.objects.owned_by(owner)
    if filters.contact is not None:
        contact = get_owned_or_404(Contact.objects.all(), owner, pk=filters.contact)
        queryset = interactions_of(contact).filter(owner=owner)
    if filters.since is not None:
        queryset = queryset.filter(occurred_on__gte=filters.since)
    page = paginate(
        _for_output(queryset),
        order=["-occurred_on", "-id"],
        cursor=filters.cursor,
        limit=filters.limit,
    )
    return {"items": [interaction_out(i) for i in page.items], "next_cursor": page.next_cursor}


@router.get(
    "/interactions/{int:interaction_id}",
    response={200: InteractionOut, **ERRORS},
    url_name="interaction",
)
def get_interaction(request: HttpRequest, interaction_id: int) -> dict:
    queryset = _for_output(Interaction.objects.all())
    return interaction_out(get_owned_or_404(queryset, caller(request), pk=interaction_id))


@router.post("/interactions", response={201: InteractionOut, **ERRORS}, url_name="interactions")
def create_interaction(request: HttpRequest, payload: writes.InteractionIn) -> Status[dict]:
    """Log an interaction with one or more of your contacts (moves their keep-in-touch clock)."""
    interaction = writes.interaction_from_api(owner=writer(request), payload=payload)
    return Status(
        201, interaction_out(_for_output(Interaction.objects.filter(pk=interaction.pk)).get())
    )


@router.patch(
    "/interactions/{int:interaction_id}",
    response={200: InteractionOut, **ERRORS},
    url_name="interaction",
)
def update_interaction(
    request: HttpRequest, interaction_id: int, payload: writes.InteractionPatch
) -> dict:
    owner = writer(request)
    interaction = get_owned_or_404(Interaction.objects.all(), owner, pk=interaction_id)
    writes.interaction_update_from_api(owner=owner, interaction=interaction, payload=payload)
    return interaction_out(_for_output(Interaction.objects.filter(pk=interaction.pk)).get())


@router.delete(
    "/interactions/{int:interaction_id}",
    response={204: None, **ERRORS},
    url_name="interaction",
)
def delete_interaction(request: HttpRequest, interaction_id: int) -> Status[None]:
    interaction = get_owned_or_404(Interaction.objects.all(), writer(request), pk=interaction_id)
    interaction_delete(interaction=interaction)
    return Status(204, None)
