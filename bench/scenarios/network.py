"""Introductions search and one triage step, at every dataset size."""

from collections.abc import Callable
from itertools import count
from typing import Any

from django.db import connection
from django.urls import reverse

from bench.framework import Context, get_ok, scenario
from contacts.models import Contact, TrustLevel

TRIAGE_POOL = 40


def _analyze() -> None:
    """Planner statistics and visibility map as autovacuum keeps them on a live server.

    The runner times right after bulk-seeding, before autovacuum has looked at
    the new rows: without statistics PostgreSQL guesses one row per table, and
    without the visibility map no count can be answered from an index alone.
    """
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "VACUUM ANALYZE contacts_contact, contacts_position, contacts_interaction, "
                "contacts_interaction_contacts, contacts_contact_tags, contacts_tag"
            )


@scenario("introductions_search", target_ms=50)
def introductions_search(ctx: Context) -> Callable[[], Any]:
    """A title through the trigram index, filtered to people known well or better.

    "partner" matches about 500 of 30,000 seeded contacts (about 110 known well or
    better): several pages of results, so counting, sorting and the page all work.
    """
    _analyze()
    return get_ok(ctx.client, reverse("contacts:introductions"), {"q": "partner"})


@scenario("introductions_search_htmx", target_ms=50)
def introductions_search_htmx(ctx: Context) -> Callable[[], Any]:
    """The live-results partial while typing, with the bar lowered to everyone met."""
    _analyze()
    return get_ok(
        ctx.client,
        reverse("contacts:introductions"),
        {"q": "northwind", "min_trust": TrustLevel.MET},
        headers={"HX-Request": "true"},
    )


@scenario("triage_page", target_ms=30)
def triage_page(ctx: Context) -> Callable[[], Any]:
    _analyze()
    return get_ok(ctx.client, reverse("contacts:triage"))


@scenario("triage_step", target_ms=30)
def triage_step(ctx: Context) -> Callable[[], Any]:
    """Rate one contact over htmx and get the next card and the progress back.

    Rates contacts of a pool added for the run (unrated at first, then re-rated in
    turn: the work per step is the same), so the seeded data keeps its shape.
    """
    pool = Contact.objects.bulk_create(
        Contact(owner=ctx.user, first_name="Triage", last_name=f"Bench {n}", trust_level=None)
        for n in range(TRIAGE_POOL)
    )
    ids = [contact.pk for contact in pool]
    _analyze()
    turn = count()

    def call() -> Any:
        pk = ids[next(turn) % len(ids)]
        response = ctx.client.post(
            reverse("contacts:triage_rate", args=[pk]),
            {"trust_level": TrustLevel.MET, "how_we_met": ""},
            headers={"HX-Request": "true"},
        )
        if response.status_code != 200:
            raise AssertionError(f"triage step answered {response.status_code}")
        return response

    return call
