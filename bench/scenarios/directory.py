"""The contacts directory: list page 1, live search, and a contact's page."""

from collections.abc import Callable
from typing import Any

from django.urls import reverse

from bench.framework import Context, get_ok, scenario
from contacts.models import Contact, InteractionKind, TrustLevel
from crm.data_version import data_changed

HTMX = {"HX-Request": "true", "HX-Current-URL": "http://testserver/contacts/"}
# Issue 16: a contact's page within 4x the framework floor (a minimal logged-in page) and
# at least as fast as lorey/personal-crm's on the same people (15 ms, one user over HTTP).
CONTACT_PAGE_MS = 15
CONTACT_PAGE_FLOOR_RATIO = 4.0


@scenario("contact_list_page1", target_ms=40)
def contact_list(ctx: Context) -> Callable[[], Any]:
    return get_ok(ctx.client, reverse("contacts:list"))


@scenario("contact_live_search", target_ms=40)
def live_search(ctx: Context) -> Callable[[], Any]:
    # The first keystrokes of a live search: two letters that fill a page of results
    # at every size (and are too short for the trigram index, the harder case).
    return get_ok(ctx.client, reverse("contacts:list"), {"q": "an"}, headers=HTMX)


def _typical_contact(ctx: Context) -> Contact:
    # A typical contact from the middle of the table: an acquaintance (so keeping in
    # touch applies) with a current job and interactions. Fixing the shape keeps the
    # sections' query counts comparable between sizes; the sections skip queries for
    # things a contact does not have (no cadence, no introductions).
    contacts = (
        Contact.objects.owned_by(ctx.user)
        .filter(
            trust_level=TrustLevel.ACQUAINTANCE,
            positions__end_date__isnull=True,
            last_interaction_on__isnull=False,
        )
        .exclude(interactions__kind=InteractionKind.INTRODUCTION)
        .order_by("pk")
    )
    return contacts[contacts.count() // 2]


@scenario("contact_detail", target_ms=CONTACT_PAGE_MS, max_floor_ratio=CONTACT_PAGE_FLOOR_RATIO)
def contact_detail(ctx: Context) -> Callable[[], Any]:
    # Viewed again: its content comes from the cache (contacts/detail_cache.py). The
    # user's first page makes their settings row, a change of their data: made here, so
    # the counted call is a view like the timed ones.
    get = get_ok(ctx.client, reverse("contacts:detail", args=[_typical_contact(ctx).pk]))
    get()
    return get


@scenario("contact_detail_after_change")
def contact_detail_after_change(ctx: Context) -> Callable[[], Any]:
    """The same page the first time after a change: the owner's data version moves (as
    any write of theirs does), so the content is rendered, not read from the cache. No
    target: it keeps the uncached cost in view."""
    get = get_ok(ctx.client, reverse("contacts:detail", args=[_typical_contact(ctx).pk]))
    owner_id = int(ctx.user.pk)

    def call() -> Any:
        data_changed(owner_id)
        return get()

    return call
