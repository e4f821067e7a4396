"""The Relationships overview (issue 21): trust levels against Dunbar's layers, the
drifting, the promoted, at every dataset size."""

from collections.abc import Callable
from typing import Any

from django.db import connection
from django.urls import reverse

from bench.framework import Context, get_ok, scenario
from contacts.models import Contact
from contacts.trust_history import record_trust_change


def _analyze() -> None:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE contacts_contact, contacts_trustchange")


@scenario("relationships_overview", target_ms=60, max_floor_ratio=4)
def relationships_overview(ctx: Context) -> Callable[[], Any]:
    """Counts over every contact in one aggregate, the drifting through the
    (owner, trust level, last interaction) index, a few promotions."""
    people = Contact.objects.filter(owner=ctx.user).order_by("pk")[:20]
    for person in people:
        if person.trust_level not in ("close", "know_well"):
            record_trust_change(contact=person, before=person.trust_level, after="know_well")
    _analyze()
    return get_ok(ctx.client, reverse("contacts:relationships"))


@scenario("losing_touch_by_reach_out", target_ms=60)
def losing_touch_by_reach_out(ctx: Context) -> Callable[[], Any]:
    """Losing touch sorted by who reaches out: two counts per due person, per page."""
    _analyze()
    return get_ok(ctx.client, reverse("contacts:losing_touch"), {"sort": "they_reach_out"})
