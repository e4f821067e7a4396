"""/api/v1/contacts, /search, /tags: reads with filters and cursors, writes through the
contact form's rules and the contact services."""

import datetime as dt

import pytest
import time_machine
from django.contrib.auth.models import User
from django.db import connection
from django.test.utils import CaptureQueriesContext

from contacts.models import Contact, Interaction
from contacts.relationships import interaction_create
from crm.data_version import data_changed
from tests.api.conftest import ApiClient
from tests.factories import (
    ContactEmailFactory,
    ContactFactory,
    ContactPhoneFactory,
    PositionFactory,
    contact_with_everything,
)

pytestmark = pytest.mark.django_db

CONTACTS = "/api/v1/contacts"


def _names(response: object) -> list[str]:
    return [c["name"] for c in response.json()["items"]]  # type: ignore[attr-defined]


def test_a_contact_comes_with_what_the_issue_asks_for(api: ApiClient, user: User) -> None:
    contact = contact_with_everything(user)
    body = api.get(f"{CONTACTS}/{contact.pk}").json()
    assert body["name"] == "Grace Hopper"
    assert body["trust_level"] == "know_well" and body["trust_label"] == "Know well"
    assert body["how_we_met"] == {
        "story": "She gave a talk on compilers.",
        "met_on": "2019-05-04",
        "met_at": "PyCon Berlin",
        "introduced_by": {"id": contact.introduced_by_id, "name": "Alan Turing"},
    }
    assert body["birthday"] == {"day": 9, "month": 12, "year": None}
    assert body["tags"] == ["navy"]
    assert body["emails"] == [{"email": "grace@navy.example", "label": ""}]
    assert body["phones"] == [{"number": "+1 415 555 0100", "label": ""}]
    assert [(p["company"], p["title"], p["current"]) for p in body["positions"]] == [
        ("US Navy", "Rear Admiral", True)
    ]
    assert body["url"] == f"/contacts/{contact.pk}/"


def test_another_users_contact_is_404(api: ApiClient, other_user: User) -> None:
    theirs = ContactFactory(owner=other_user)
    for response in (
        api.get(f"{CONTACTS}/{theirs.pk}"),
        api.patch(f"{CONTACTS}/{theirs.pk}", {"first_name": "Mine"}),
        api.delete(f"{CONTACTS}/{theirs.pk}"),
    ):
        assert response.status_code == 404
        assert response.json() == {"detail": "Not found."}
    theirs.refresh_from_db()
    assert theirs.first_name != "Mine"


def test_the_cursor_walks_every_contact_once(api: ApiClient, user: User) -> None:
    for n in range(7):
        ContactFactory(owner=user, first_name=f"P{n}", last_name="Same")
    seen: list[str] = []
    cursor = None
    while True:
        page = api.get(CONTACTS, {"limit": 3, **({"cursor": cursor} if cursor else {})}).json()
        seen += [c["first_name"] for c in page["items"]]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert seen == [f"P{n}" for n in range(7)]


def test_it_filters_by_trust_level_tag_and_updated_since(api: ApiClient, user: User) -> None:
    with time_machine.travel(dt.datetime(2026, 1, 1, tzinfo=dt.UTC)):
        ContactFactory(owner=user, first_name="Old", last_name="A", tags=["book"])
    with time_machine.travel(dt.datetime(2026, 6, 1, tzinfo=dt.UTC)):
        ContactFactory(owner=user, first_name="New", last_name="B", tags=["book"])
        ContactFactory(owner=user, first_name="Close", last_name="C", trust_level="close")
        ContactFactory(owner=user, first_name="Unrated", last_name="D", trust_level=None)
    assert _names(api.get(CONTACTS, {"trust_level": "close"})) == ["Close C"]
    assert _names(api.get(CONTACTS, {"trust_level": "unrated"})) == ["Unrated D"]
    assert _names(api.get(CONTACTS, {"tag": "book"})) == ["Old A", "New B"]
    since = api.get(CONTACTS, {"tag": "book", "updated_since": "2026-03-01T00:00:00Z"})
    assert _names(since) == ["New B"]
    by_update = api.get(CONTACTS, {"order": "updated", "updated_since": "2026-03-01"})
    assert len(by_update.json()["items"]) == 3


@pytest.mark.parametrize(
    "query",
    [
        {"trust_level": "best_friend"},
        {"updated_since": "2026-13-45"},
        {"limit": "0"},
        {"limit": "100000"},
        {"cursor": "not-a-cursor"},
        {"cursor": "WyJcdTAwMDAiLCAiYSIsIDFd"},  # ["\u0000", "a", 1]
        {"cursor": "WyJhIiwgImIiLCA5OTk5OTk5OTk5OTk5OTk5OTk5OTk5OTld"},  # id out of range
        {"order": "shoe_size"},
    ],
)
def test_bad_query_values_are_422_with_the_field_named(api: ApiClient, query: dict) -> None:
    response = api.get(CONTACTS, query)
    assert response.status_code == 422
    assert set(response.json()["errors"]) == set(query)


def test_the_list_costs_the_same_queries_for_3_or_30_contacts(api: ApiClient, user: User) -> None:
    def add(count: int) -> None:
        for _ in range(count):
            contact = ContactFactory(owner=user, tags=["a", "b"], introduced_by=None)
            ContactEmailFactory(contact=contact)
            ContactPhoneFactory(contact=contact)
            PositionFactory(contact=contact)

    def queries() -> int:
        data_changed(user.pk)  # the page built afresh, not read from the cache (api/read_cache.py)
        with CaptureQueriesContext(connection) as captured:
            assert api.get(CONTACTS, {"limit": 50}).status_code == 200
        return len(captured)

    add(3)
    queries()  # the token's first use is recorded once; not part of the page's cost
    few = queries()
    add(27)
    assert queries() == few


def test_search_matches_every_word_anywhere(api: ApiClient, user: User) -> None:
    ana = ContactFactory(owner=user, first_name="Ana", last_name="Lima", tags=["climate"])
    PositionFactory(contact=ana, company="Northwind", title="CTO")
    ContactFactory(owner=user, first_name="Bo", last_name="Berg")
    from contacts.search import reindex_contacts

    reindex_contacts(list(Contact.objects.all()))
    assert _names(api.get("/api/v1/search", {"q": "northwind climate"})) == ["Ana Lima"]
    assert api.get("/api/v1/search", {"q": ""}).status_code == 422


def test_tags_come_with_their_counts(api: ApiClient, user: User) -> None:
    ContactFactory(owner=user, tags=["book", "python"])
    ContactFactory(owner=user, tags=["python"])
    ContactFactory(tags=["secret"])
    items = api.get("/api/v1/tags").json()["items"]
    assert [(t["name"], t["contacts"]) for t in items] == [("book", 1), ("python", 2)]


def test_it_creates_a_contact_as_the_form_would(api: ApiClient, user: User) -> None:
    response = api.post(
        CONTACTS,
        {
            "first_name": " Ana ",
            "last_name": "Lima",
            "trust_level": "close",
            "emails": ["Ana@Example.org", "ana@example.org"],
            "phones": ["+351 555 0100"],
            "tags": ["Climate", "book club"],
            "company": "Northwind",
            "title": "CTO",
            "birthday_day": 29,
            "birthday_month": 2,
            "keep_in_touch_days": 0,
            "met_on": "2020-01-02",
        },
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    contact = Contact.objects.get(owner=user)
    assert body["id"] == contact.pk and contact.first_name == "Ana"
    assert body["emails"] == [{"email": "ana@example.org", "label": ""}]
    assert body["tags"] == ["book club", "climate"]
    assert body["keep_in_touch_days"] == 0
    assert [(p["company"], p["current"]) for p in body["positions"]] == [("Northwind", True)]
    assert "northwind" in contact.search_text  # reindexed by the service


@pytest.mark.parametrize(
    ("body", "fields"),
    [
        ({}, {"first_name"}),
        ({"first_name": "A", "emails": ["not an email"]}, {"emails"}),
        ({"first_name": "A", "phones": ["call me"]}, {"phones"}),
        ({"first_name": "A", "birthday_day": 31, "birthday_month": 2}, {"birthday_day"}),
        ({"first_name": "A", "birthday_day": 3}, {"birthday_month"}),
        ({"first_name": "A", "trust_level": "best_friend"}, {"trust_level"}),
        ({"first_name": "A", "keep_in_touch_days": -3}, {"keep_in_touch_days"}),
        ({"first_name": "A", "met_on": "3000-01-01"}, {"met_on"}),
        ({"first_name": "A", "met_on": "yesterday"}, {"met_on"}),
        ({"first_name": "A", "linkedin_url": "https://example.com/x"}, {"linkedin_url"}),
        ({"first_name": "A", "tags": ["x" * 60]}, {"tags"}),
        ({"first_name": ["A"]}, {"first_name"}),
        ({"first_name": "A", "birthday_day": "a" * 40}, {"birthday_day"}),
    ],
)
def test_invalid_contacts_are_422_with_field_names_and_nothing_saved(
    api: ApiClient, user: User, body: dict, fields: set[str]
) -> None:
    response = api.post(CONTACTS, body)
    assert response.status_code == 422, response.json()
    assert set(response.json()["errors"]) == fields
    assert not Contact.objects.filter(owner=user).exists()


def test_another_users_contact_cannot_be_the_introducer(
    api: ApiClient, user: User, other_user: User
) -> None:
    theirs = ContactFactory(owner=other_user)
    response = api.post(CONTACTS, {"first_name": "A", "introduced_by": theirs.pk})
    assert response.status_code == 422
    assert set(response.json()["errors"]) == {"introduced_by"}


@pytest.mark.parametrize("raw", [b"{not json", b"[1, 2]", b"\x00\xff", b'"text"'])
def test_a_body_that_is_not_a_json_object_is_4xx(api: ApiClient, raw: bytes) -> None:
    response = api.client.post(CONTACTS, raw, content_type="application/json", headers=api.headers)
    assert 400 <= response.status_code < 500


def test_a_patch_changes_only_what_it_sends(api: ApiClient, user: User) -> None:
    contact = ContactFactory(
        owner=user, first_name="Ana", last_name="Lima", tags=["book"], keep_in_touch_days=30
    )
    ContactEmailFactory(contact=contact, email="ana@example.org")
    response = api.patch(f"{CONTACTS}/{contact.pk}", {"trust_level": "close", "tags": ["x"]})
    assert response.status_code == 200, response.json()
    contact.refresh_from_db()
    assert contact.trust_level == "close" and contact.last_name == "Lima"
    assert contact.keep_in_touch_days == 30
    assert list(contact.emails.values_list("email", flat=True)) == ["ana@example.org"]
    assert list(contact.tags.values_list("name", flat=True)) == ["x"]
    bad = api.patch(f"{CONTACTS}/{contact.pk}", {"first_name": "", "last_name": ""})
    assert bad.status_code == 422 and "first_name" in bad.json()["errors"]
    assert bad.json()["detail"]


def test_delete_goes_through_the_contact_service(api: ApiClient, user: User) -> None:
    contact = ContactFactory(owner=user)
    other = ContactFactory(owner=user)
    interaction_create(
        owner=user, kind="call", occurred_on=dt.date(2026, 1, 1), summary="s", contacts=[contact]
    )
    shared = interaction_create(
        owner=user,
        kind="call",
        occurred_on=dt.date(2026, 1, 2),
        summary="s",
        contacts=[contact, other],
    )
    assert api.delete(f"{CONTACTS}/{contact.pk}").status_code == 204
    assert not Contact.objects.filter(pk=contact.pk).exists()
    # As on the web: the solo interaction went with them, the shared one stayed.
    assert list(Interaction.objects.filter(owner=user)) == [shared]
