"""The Relationships overview (issue 21): trust levels against Dunbar's layers, the
drifting, the promoted, at every dataset size."""

from collections.abc import Callable
from typing import Any

from django.db import connection
from django.urls import reverse

from bench.framework import Context, get_ok, scenario
from contacts.models import Contact
from contacts.trust_history import record_trust_change
from reminders.charts import forget_glance


def _analyze() -> None:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE contacts_contact, contacts_trustchange")


@scenario("relationships_overview", target_ms=60, max_floor_ratio=4)
def relationships_overview(ctx: Context) -> Callable[[], Any]:
    """The page as it is read again and again: rendered once, then from the cache until
    anything of the owner's changes (contacts.dunbar.overview_cache_key)."""
    people = Contact.objects.filter(owner=ctx.user).order_by("pk")[:20]
    for person in people:
        if person.trust_level not in ("close", "know_well"):
            record_trust_change(contact=person, before=person.trust_level, after="know_well")
    _analyze()
    return get_ok(ctx.client, reverse("contacts:relationships"))


@scenario("losing_touch_by_reach_out", target_ms=60)
def losing_touch_by_reach_out(ctx: Context) -> Callable[[], Any]:
    """Losing touch sorted by who reaches out: the sorted order from the cache, one page."""
    _analyze()
    return get_ok(ctx.client, reverse("contacts:losing_touch"), {"sort": "they_reach_out"})


def _after_a_change(ctx: Context, url: str, params: dict[str, str]) -> Callable[[], Any]:
    page = get_ok(ctx.client, url, params)

    def call() -> Any:
        forget_glance(ctx.user.pk)  # as any change of a contact or interaction does
        return page()

    return call


# The first view after a change, computed: reported, no target (the cached view has them).
@scenario("relationships_overview_after_a_change", repeat=15, max_growth=None)
def relationships_overview_fresh(ctx: Context) -> Callable[[], Any]:
    """One GROUP BY over every contact (index-only), the drifting few, the promotions."""
    _analyze()
    return _after_a_change(ctx, reverse("contacts:relationships"), {})


@scenario("losing_touch_by_reach_out_after_a_change", repeat=15, max_growth=None)
def losing_touch_by_reach_out_fresh(ctx: Context) -> Callable[[], Any]:
    """Every due person's year of interactions counted in one GROUP BY, then sorted."""
    _analyze()
    return _after_a_change(ctx, reverse("contacts:losing_touch"), {"sort": "they_reach_out"})
