"""Every list of the API costs the same queries for a few rows or many (issue 19): the
contacts list and This week have their own tests; these are the others."""

import itertools
from collections.abc import Callable

import pytest
from django.contrib.auth.models import User
from django.db import connection
from django.test.utils import CaptureQueriesContext

from contacts.search import reindex_contacts
from tests.api.conftest import ApiClient
from tests.factories import (
    ContactEmailFactory,
    ContactFactory,
    InteractionFactory,
    NoteDraftFactory,
    PositionFactory,
)

pytestmark = pytest.mark.django_db


_n = itertools.count()


def _contact(user: User) -> None:
    contact = ContactFactory(owner=user, first_name="Ada", tags=["a", "b"])
    ContactEmailFactory(contact=contact)
    PositionFactory(contact=contact)
    reindex_contacts([contact])


def _interaction(user: User) -> None:
    people = [ContactFactory(owner=user), ContactFactory(owner=user)]
    InteractionFactory(owner=user, contacts=people)


def _note(user: User) -> None:
    NoteDraftFactory(contact=ContactFactory(owner=user))


LISTS: dict[str, tuple[str, dict[str, str], Callable[[User], object]]] = {
    "search": ("/api/v1/search", {"q": "ada"}, _contact),
    "tags": ("/api/v1/tags", {}, lambda user: ContactFactory(owner=user, tags=[f"t{next(_n)}"])),
    "interactions": ("/api/v1/interactions", {}, _interaction),
    "notes": ("/api/v1/notes", {}, _note),
}


@pytest.mark.parametrize("name", list(LISTS))
def test_a_list_costs_the_same_queries_for_2_or_12_rows(
    api: ApiClient, user: User, name: str
) -> None:
    url, query, add = LISTS[name]

    def queries(rows: int) -> int:
        with CaptureQueriesContext(connection) as captured:
            response = api.get(url, {**query, "limit": "50"})
        assert response.status_code == 200
        assert len(response.json()["items"]) == rows
        return len(captured)

    for _ in range(2):
        add(user)
    queries(2)  # the token's first use is recorded once; not part of a page's cost
    few = queries(2)
    for _ in range(10):
        add(user)
    assert queries(12) == few
