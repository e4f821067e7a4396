"""Phone & computer sync. The CardDAV endpoints sign in with app passwords, not the
session, so they are public to this sweep (anonymous requests get 401, not a log-in
redirect); tests/carddav/test_dav_protocol.py checks that another user's card is a 404."""

from typing import Any

from django.contrib.auth.models import User

from carddav.models import AppPassword, Card
from tests.factories import ContactFactory
from tests.ownership import OwnedUrl, Snapshot, row_snapshot


def _password(victim: User) -> tuple[dict[str, Any], Snapshot]:
    password, _ = AppPassword.issue(owner=victim, name="Victim's phone")
    return {"pk": password.pk}, row_snapshot(password)


def _card(victim: User) -> tuple[dict[str, Any], Snapshot]:
    contact = ContactFactory(owner=victim)
    card = Card.objects.create(
        owner=victim,
        contact=contact,
        uid="victim-uid",
        name="victim.vcf",
        present=False,
        conflicts=[{"field": "Notes", "phone": "x", "rapport": "y"}],
    )
    # The row as stored (its JSON lists are not relations, as row_snapshot would read them).
    return {"pk": card.pk}, lambda: Card.objects.filter(pk=card.pk).values().first()


CASES = {
    "carddav:password_revoke": OwnedUrl(_password, methods=("post",)),
    "carddav:card_restore": OwnedUrl(_card, methods=("post",)),
    "carddav:card_seen": OwnedUrl(_card, methods=("post",)),
}
PUBLIC = {
    "carddav:well_known",
    "carddav:root",
    "carddav:principal",
    "carddav:home",
    "carddav:collection",
    "carddav:card",
}
