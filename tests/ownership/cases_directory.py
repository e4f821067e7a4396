"""Ownership cases for the contacts directory (accounts: cases_accounts.py)."""

from typing import Any

from django.contrib.auth.models import User

from contacts.models import ContactPhoto
from tests.factories import ContactFactory
from tests.ownership import OwnedUrl, Snapshot, row_snapshot, victims

_contact = victims(ContactFactory, first_name="Victor", last_name="Victim")


def _photo(victim: User) -> tuple[dict[str, Any], Snapshot]:
    contact = ContactFactory(owner=victim, first_name="Victor", last_name="Victim")
    photo = ContactPhoto.objects.create(contact=contact, data=b"\xff\xd8", width=1, height=1)
    return {"pk": contact.pk}, row_snapshot(photo)


CASES: dict[str, OwnedUrl] = {
    "contacts:photo": OwnedUrl(_photo, methods=("get",)),
    "contacts:detail": OwnedUrl(_contact, methods=("get",)),
    "contacts:edit": OwnedUrl(_contact),
    "contacts:delete": OwnedUrl(_contact),
}
