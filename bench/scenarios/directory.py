"""The contacts directory: list page 1, live search, and a contact's page."""

from collections.abc import Callable
from typing import Any

from django.urls import reverse

from bench.framework import Context, get_ok, scenario
from contacts.models import Contact

HTMX = {"HX-Request": "true", "HX-Current-URL": "http://testserver/contacts/"}


@scenario("contact_list_page1", target_ms=40)
def contact_list(ctx: Context) -> Callable[[], Any]:
    return get_ok(ctx.client, reverse("contacts:list"))


@scenario("contact_live_search", target_ms=40)
def live_search(ctx: Context) -> Callable[[], Any]:
    # What someone types to find a person: a fragment of a surname. It matches a
    # page or more of people at every size, so each run renders a full page.
    return get_ok(ctx.client, reverse("contacts:list"), {"q": "sen"}, headers=HTMX)


@scenario("contact_detail", target_ms=40)
def contact_detail(ctx: Context) -> Callable[[], Any]:
    # A contact from the middle of the table with a current job and interactions.
    contacts = Contact.objects.owned_by(ctx.user).filter(
        positions__end_date__isnull=True, last_interaction_on__isnull=False
    )
    middle = contacts.order_by("pk")[contacts.count() // 2]
    return get_ok(ctx.client, reverse("contacts:detail", args=[middle.pk]))
