"""Contacts, tags and search: `/api/v1/contacts`, `/api/v1/tags`, `/api/v1/search`."""

import datetime as dt
from datetime import datetime
from typing import Literal

from django.db.models import Count, QuerySet
from django.http import HttpRequest
from django.utils import timezone
from ninja import Field, Query, Router, Schema, Status
from pydantic import BaseModel

from api import writes
from api.auth import caller, writer
from api.pagination import DEFAULT_LIMIT, MAX_LIMIT, paginate
from api.read_cache import cached_read
from api.schemas import (
    ContactOut,
    ContactPage,
    ErrorOut,
    TagPage,
    contact_out,
    contact_rows,
    contacts_out,
    tag_out,
)
from contacts.models import Contact, Tag
from contacts.search import search_filter
from contacts.services import contact_delete
from crm.ownership import get_owned_or_404

router = Router(tags=["Contacts"])

UNRATED = "unrated"
ORDERS = {"name": ["last_name", "first_name", "id"], "updated": ["updated_at", "id"]}
ERRORS: dict[int, type[BaseModel]] = {
    401: ErrorOut,
    403: ErrorOut,
    404: ErrorOut,
    422: ErrorOut,
    429: ErrorOut,
}


class ContactFilters(Schema):
    trust_level: (
        Literal["following", "met", "acquaintance", "know_well", "close", "unrated"] | None
    ) = None
    tag: str | None = None
    updated_since: datetime | None = None
    order: Literal["name", "updated"] = "name"
    cursor: str | None = None
    limit: int = Field(DEFAULT_LIMIT, ge=1, le=MAX_LIMIT)


def _filtered(owner_queryset: QuerySet[Contact], filters: ContactFilters) -> QuerySet[Contact]:
    queryset = owner_queryset
    if filters.trust_level == UNRATED:
        queryset = queryset.filter(trust_level__isnull=True)
    elif filters.trust_level:
        queryset = queryset.filter(trust_level=filters.trust_level)
    if filters.tag is not None:
        queryset = queryset.filter(tags__name=filters.tag.strip().lower().replace("\x00", ""))
    if filters.updated_since is not None:
        since = filters.updated_since
        if timezone.is_naive(since):
            since = timezone.make_aware(since, dt.UTC)
        queryset = queryset.filter(updated_at__gte=since)
    return queryset


@router.get("/contacts", response={200: ContactPage, **ERRORS}, url_name="contacts")
@cached_read
def list_contacts(request: HttpRequest, filters: Query[ContactFilters]) -> dict:
    """Your contacts, by name (or by last change with `order=updated`), a page at a time.

    Filters combine: `trust_level` (or `unrated`), `tag`, `updated_since` (ISO 8601).
    """
    queryset = _filtered(Contact.objects.owned_by(caller(request)), filters)
    page = paginate(
        contact_rows(queryset),
        order=ORDERS[filters.order],
        cursor=filters.cursor,
        limit=filters.limit,
    )
    return {"items": contacts_out(page.items), "next_cursor": page.next_cursor}


@router.get("/contacts/{int:contact_id}", response={200: ContactOut, **ERRORS}, url_name="contact")
def get_contact(request: HttpRequest, contact_id: int) -> dict:
    return contact_out(get_owned_or_404(Contact.objects.all(), caller(request), pk=contact_id))


@router.post("/contacts", response={201: ContactOut, **ERRORS}, url_name="contacts")
def create_contact(request: HttpRequest, payload: writes.ContactIn) -> Status[dict]:
    """Add someone; validated by the same rules as the Add contact form."""
    contact = writes.contact_from_api(owner=writer(request), payload=payload)
    return Status(201, contact_out(contact))


@router.patch(
    "/contacts/{int:contact_id}", response={200: ContactOut, **ERRORS}, url_name="contact"
)
def update_contact(request: HttpRequest, contact_id: int, payload: writes.ContactPatch) -> dict:
    """Change the fields you send; the others keep their values."""
    owner = writer(request)
    contact = get_owned_or_404(Contact.objects.all(), owner, pk=contact_id)
    writes.contact_update_from_api(owner=owner, contact=contact, payload=payload)
    return contact_out(contact)


@router.delete("/contacts/{int:contact_id}", response={204: None, **ERRORS}, url_name="contact")
def delete_contact(request: HttpRequest, contact_id: int) -> Status[None]:
    """Delete someone with what the web's delete removes (their solo interactions, reminders…)."""
    contact = get_owned_or_404(Contact.objects.all(), writer(request), pk=contact_id)
    contact_delete(contact=contact)
    return Status(204, None)


class SearchQuery(Schema):
    q: str = Field(min_length=1, max_length=200)
    cursor: str | None = None
    limit: int = Field(DEFAULT_LIMIT, ge=1, le=MAX_LIMIT)


@router.get("/search", response={200: ContactPage, **ERRORS}, url_name="search")
def search(request: HttpRequest, query: Query[SearchQuery]) -> dict:
    """Contacts matching every word of `q`: names, emails, phones, job, tags, story, notes."""
    queryset = search_filter(Contact.objects.owned_by(caller(request)), query.q)
    page = paginate(
        contact_rows(queryset),
        order=ORDERS["name"],
        cursor=query.cursor,
        limit=query.limit,
    )
    return {"items": contacts_out(page.items), "next_cursor": page.next_cursor}


class PageQuery(Schema):
    cursor: str | None = None
    limit: int = Field(DEFAULT_LIMIT, ge=1, le=MAX_LIMIT)


@router.get("/tags", response={200: TagPage, **ERRORS}, url_name="tags")
def list_tags(request: HttpRequest, query: Query[PageQuery]) -> dict:
    """Your tags by name, each with how many contacts have it."""
    queryset = Tag.objects.owned_by(caller(request)).annotate(contact_count=Count("contacts"))
    page = paginate(queryset, order=["name", "id"], cursor=query.cursor, limit=query.limit)
    return {"items": [tag_out(t) for t in page.items], "next_cursor": page.next_cursor}
