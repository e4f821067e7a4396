"""Ownership cases for introductions, following, triage and connection requests."""

from typing import Any

from django.contrib.auth.models import User

from contacts.models import TrustLevel
from tests.factories import ConnectionRequestFactory, ContactFactory
from tests.ownership import OwnedUrl, Snapshot, row_snapshot


def _contact(victim: User) -> tuple[dict[str, Any], Snapshot]:
    contact = ContactFactory(owner=victim, trust_level=None)
    return {"pk": contact.pk}, row_snapshot(contact)


def _following(victim: User) -> tuple[dict[str, Any], Snapshot]:
    contact = ContactFactory(owner=victim, trust_level=TrustLevel.FOLLOWING)
    return {"pk": contact.pk}, row_snapshot(contact)


def _rated(victim: User) -> tuple[dict[str, Any], Snapshot]:
    contact = ContactFactory(owner=victim, trust_level=TrustLevel.CLOSE)
    return {"pk": contact.pk}, row_snapshot(contact)


def _request(victim: User) -> tuple[dict[str, Any], Snapshot]:
    request = ConnectionRequestFactory(owner=victim)
    return {"pk": request.pk}, row_snapshot(request)


CASES: dict[str, OwnedUrl] = {
    "contacts:introduce": OwnedUrl(_contact),
    "contacts:know_now": OwnedUrl(_following),
    "contacts:triage_rate": OwnedUrl(_contact, methods=("post",)),
    "contacts:triage_undo": OwnedUrl(_rated, methods=("post",)),
    "contacts:request_decide": OwnedUrl(_request, methods=("post",)),
}

PUBLIC: set[str] = set()
