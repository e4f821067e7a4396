"""Interactions: a contact page with a long history, and the losing-touch page."""

import random
from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

from django.urls import reverse

from bench.framework import Context, get_ok, scenario
from bench.scenarios.directory import CONTACT_PAGE_FLOOR_RATIO, CONTACT_PAGE_MS
from contacts.models import Contact, Interaction, InteractionKind
from contacts.relationships import refresh_last_interaction
from crm.data_version import data_changed

LONG_HISTORY = 1000


def _contact_with_long_history(ctx: Context) -> Contact:
    """One of the seeded contacts, given 1,000 interactions (once per dataset)."""
    contact = Contact.objects.owned_by(ctx.user).order_by("pk").first()
    assert contact is not None, "seed_demo made no contacts"
    through = Interaction.contacts.through
    have = through.objects.filter(contact=contact).count()
    if have < LONG_HISTORY:
        rng = random.Random(contact.pk)
        start = date.today() - timedelta(days=3 * 365)
        kinds = InteractionKind.values
        made = Interaction.objects.bulk_create(
            Interaction(
                owner=ctx.user,
                kind=rng.choice(kinds),
                occurred_on=start + timedelta(days=rng.randrange(3 * 365)),
                summary=f"Bench interaction {i}",
                notes="Talked about work and family." if i % 3 == 0 else "",
            )
            for i in range(LONG_HISTORY - have)
        )
        through.objects.bulk_create(through(interaction=i, contact=contact) for i in made)
        refresh_last_interaction([contact.pk])
        data_changed(int(ctx.user.pk))  # bulk writes send no signals
    return contact


@scenario(
    "contact_detail_1000_interactions",
    target_ms=CONTACT_PAGE_MS,
    max_floor_ratio=CONTACT_PAGE_FLOOR_RATIO,
)
def contact_detail(ctx: Context) -> Callable[[], Any]:
    contact = _contact_with_long_history(ctx)
    return get_ok(ctx.client, reverse("contacts:detail", args=[contact.pk]))


@scenario("losing_touch", target_ms=60)
def losing_touch(ctx: Context) -> Callable[[], Any]:
    return get_ok(ctx.client, reverse("contacts:losing_touch"))


@scenario("timeline_show_more", target_ms=40)
def timeline_show_more(ctx: Context) -> Callable[[], Any]:
    contact = _contact_with_long_history(ctx)
    return get_ok(
        ctx.client,
        reverse("contacts:timeline", args=[contact.pk]),
        {"page": 3},
        headers={"HX-Request": "true"},
    )
