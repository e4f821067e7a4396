"""The JSON export reads child rows by id range: another owner's rows in between never leak."""

import json

import pytest

from contacts.exporters import export_json
from tests.factories import (
    ContactEmailFactory,
    ContactFactory,
    InteractionFactory,
    PositionFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def test_rows_of_another_owner_between_ones_own_stay_out_of_the_export() -> None:
    ada, eve = UserFactory(username="ada"), UserFactory(username="eve")
    mine, theirs = [], []
    for n in range(3):  # ids interleave: ada, eve, ada, eve, ...
        mine.append(ContactFactory(owner=ada, first_name=f"Mine{n}"))
        theirs.append(ContactFactory(owner=eve, first_name=f"Theirs{n}"))
    for contact in mine + theirs:
        ContactEmailFactory(contact=contact, email=f"{contact.first_name.lower()}@example.org")
        PositionFactory(contact=contact, company=f"{contact.first_name} Ltd")
    for a, e in zip(mine, theirs, strict=True):
        InteractionFactory(owner=ada, contacts=[a], summary=f"with {a.first_name}")
        InteractionFactory(owner=eve, contacts=[e], summary=f"with {e.first_name}")

    text = "".join(export_json(ada))
    document = json.loads(text)
    assert "Theirs" not in text
    assert [c["first_name"] for c in document["contacts"]] == ["Mine0", "Mine1", "Mine2"]
    for contact in document["contacts"]:
        name = contact["first_name"]
        assert [e["email"] for e in contact["emails"]] == [f"{name.lower()}@example.org"]
        assert [p["company"] for p in contact["positions"]] == [f"{name} Ltd"]
    ids = {c["first_name"]: c["id"] for c in document["contacts"]}
    assert [(i["summary"], i["contacts"]) for i in document["interactions"]] == [
        (f"with {name}", [ids[name]]) for name in ("Mine0", "Mine1", "Mine2")
    ]
