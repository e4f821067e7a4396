"""Imports and merges record trust-level history (issue 21): a level an import gives a new
person starts their history (not a promotion), a merge that changes the kept contact's
level records that change, in bulk for imports."""

import json
from datetime import date

import pytest
from django.contrib.auth.models import User
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from contacts.duplicates import DUPLICATE, contact_merge
from contacts.exporters import export_json
from contacts.importers import run_import
from contacts.models import Contact, TrustLevel
from contacts.relation_models import TrustChange
from contacts.services import contact_update
from tests.factories import ContactFactory, UserFactory, backup_json

pytestmark = pytest.mark.django_db

TODAY = date(2026, 11, 29)
HEADER = "First Name,Last Name,URL,Email Address,Company,Position,Connected On\r\n"


def _connections(names: list[str]) -> bytes:
    rows = [
        f"{n},Doe,https://www.linkedin.com/in/{n.lower()}-doe,,,,14 Mar 2019\r\n" for n in names
    ]
    return (HEADER + "".join(rows)).encode()


def _linkedin(owner: User, names: list[str], level: str | None) -> None:
    run_import(
        owner=owner, source="linkedin", data=_connections(names), trust_level=level, today=TODAY
    )


def _history(owner: User) -> list[tuple[str, str | None, str | None, bool, date]]:
    return [
        (c.contact.first_name, c.from_level, c.to_level, c.promotion, c.changed_on)
        for c in TrustChange.objects.filter(owner=owner).select_related("contact").order_by("id")
    ]


def test_a_linkedin_import_starts_each_new_persons_history(user: User) -> None:
    ContactFactory(
        owner=user,
        first_name="Known",
        last_name="Doe",
        linkedin_url="https://www.linkedin.com/in/known-doe",
        trust_level=TrustLevel.CLOSE,
    )
    _linkedin(user, ["Ada", "Known"], TrustLevel.ACQUAINTANCE)
    # The known contact keeps its level and gets no change; the new one starts a history.
    assert _history(user) == [("Ada", None, "acquaintance", False, TODAY)]
    assert Contact.objects.get(first_name="Known").trust_level == TrustLevel.CLOSE


def test_an_import_without_a_level_records_nothing(user: User) -> None:
    _linkedin(user, ["Ada", "Bob"], None)
    assert not TrustChange.objects.exists()


def test_imports_record_the_history_in_a_fixed_number_of_queries(user: User) -> None:
    def queries(owner: User, count: int) -> int:
        names = [f"P{owner.pk}n{n}" for n in range(count)]
        with CaptureQueriesContext(connection) as captured:
            _linkedin(owner, names, TrustLevel.MET)
        return len(captured)

    other = UserFactory()
    assert queries(user, 3) == queries(other, 60)
    assert TrustChange.objects.filter(owner=other).count() == 60


def test_a_vcard_import_records_the_level_too(user: User) -> None:
    card = "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Ada Doe\r\nN:Doe;Ada;;;\r\nEND:VCARD\r\n"
    run_import(owner=user, source="vcard", data=card.encode(), trust_level="close", today=TODAY)
    assert _history(user) == [("Ada", None, "close", False, TODAY)]


def test_imported_levels_are_not_promoted_lately(auth_client: Client, user: User) -> None:
    _linkedin(user, ["Ada"], TrustLevel.CLOSE)
    bob = ContactFactory(owner=user, first_name="Bob", trust_level=TrustLevel.MET)
    contact_update(contact=bob, trust_level=TrustLevel.CLOSE)
    html = auth_client.get(reverse("contacts:relationships")).content.decode()
    assert "Met → Close" in html and "Not rated yet → Close" not in html


def test_a_json_backup_keeps_its_history_and_the_import_marks_are_no_promotions(
    user: User,
) -> None:
    _linkedin(user, ["Ada"], TrustLevel.CLOSE)
    document = json.loads("".join(export_json(user)))
    assert document["minor_version"] >= 6
    other = UserFactory()
    run_import(owner=other, source="json", data=json.dumps(document).encode(), today=TODAY)
    assert _history(other) == [("Ada", None, "close", False, TODAY)]


def test_a_json_backup_without_history_starts_one_for_each_rated_person(user: User) -> None:
    ada = {"id": 1, "first_name": "Ada", "trust_level": "know_well"}
    data = backup_json(minor_version=3, contacts=[ada, {"id": 2, "first_name": "Bob"}])
    run_import(owner=user, source="json", data=data, today=TODAY)
    assert _history(user) == [("Ada", None, "know_well", False, TODAY)]


def _pair(owner: User, kept: str | None, other: str | None) -> tuple[Contact, Contact]:
    survivor = ContactFactory(owner=owner, first_name="Ingrid", trust_level=kept)
    duplicate = ContactFactory(owner=owner, first_name="Ingrid", trust_level=other)
    return survivor, duplicate


def test_a_merge_that_takes_the_other_level_records_the_change(user: User) -> None:
    survivor, duplicate = _pair(user, TrustLevel.ACQUAINTANCE, TrustLevel.MET)
    contact_update(contact=duplicate, trust_level=TrustLevel.CLOSE)  # the duplicate's history
    merged = contact_merge(
        survivor=survivor, duplicate=duplicate, choices={"trust_level": DUPLICATE}
    )
    changes = list(TrustChange.objects.filter(contact=merged).order_by("id"))
    assert [(c.from_level, c.to_level, c.promotion) for c in changes] == [
        ("met", "close", True),  # moved over with the duplicate
        ("acquaintance", "close", True),  # the merge itself
    ]


def test_a_merge_that_keeps_the_level_records_nothing(user: User) -> None:
    survivor, duplicate = _pair(user, TrustLevel.CLOSE, TrustLevel.MET)
    contact_merge(survivor=survivor, duplicate=duplicate)
    assert not TrustChange.objects.exists()


def test_the_merge_page_records_a_lowered_level(auth_client: Client, user: User) -> None:
    survivor, duplicate = _pair(user, TrustLevel.CLOSE, TrustLevel.ACQUAINTANCE)
    url = reverse("contacts:merge", args=[survivor.pk, duplicate.pk])
    form = auth_client.get(url).context["form"]
    data = {name: field.initial or form.initial.get(name) for name, field in form.fields.items()}
    response = auth_client.post(url, {**data, "trust_level": DUPLICATE})
    assert response.status_code == 302
    change = TrustChange.objects.get()
    assert (change.contact_id, change.from_level, change.to_level, change.promotion) == (
        survivor.pk,
        "close",
        "acquaintance",
        False,
    )
