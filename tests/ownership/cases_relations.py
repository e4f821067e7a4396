"""Promises and introductions: another user's ids are 404 and nothing changes."""

from datetime import date
from typing import Any

from django.contrib.auth.models import User

from contacts.models import Introduction, Promise, TrustLevel
from tests.factories import ContactFactory
from tests.ownership import OwnedUrl, Snapshot, row_snapshot


def _promise(victim: User) -> tuple[dict[str, Any], Snapshot]:
    contact = ContactFactory(owner=victim)
    promise = Promise.objects.create(
        owner=victim, contact=contact, text="Send the article", due_on=date(2026, 1, 1)
    )
    promise_row = row_snapshot(promise)
    return {"pk": promise.pk}, lambda: (promise_row(), contact.interactions.count())


def _contact(victim: User) -> tuple[dict[str, Any], Snapshot]:
    contact = ContactFactory(owner=victim)
    return {"pk": contact.pk}, lambda: list(Promise.objects.filter(contact=contact).values())


def _introduction(victim: User) -> tuple[dict[str, Any], Snapshot]:
    first = ContactFactory(owner=victim, trust_level=TrustLevel.CLOSE)
    second = ContactFactory(owner=victim, trust_level=TrustLevel.CLOSE)
    intro = Introduction.objects.create(
        owner=victim, first=first, second=second, reason="Both row boats", step_on=date(2026, 1, 1)
    )
    intro_row = row_snapshot(intro)
    return {"pk": intro.pk}, lambda: (
        intro_row(),
        first.interactions.count(),
        second.interactions.count(),
    )


CASES = {
    "contacts:introduction_detail": OwnedUrl(_introduction, methods=("get",)),
    "contacts:introduction_step": OwnedUrl(_introduction, methods=("post",)),
    "contacts:introduction_check": OwnedUrl(_introduction, methods=("post",)),
    "contacts:promise_add": OwnedUrl(_contact, methods=("post",)),
    "contacts:promise_keep": OwnedUrl(_promise, methods=("post",)),
    "contacts:promise_delete": OwnedUrl(_promise, methods=("post",)),
}
