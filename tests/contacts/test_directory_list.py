"""The contact list: live search, filters, sorting, pagination, empty states."""

from datetime import date, timedelta

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from contacts.models import Contact, TrustLevel
from contacts.search import reindex_contacts
from tests.factories import ContactEmailFactory, ContactFactory, PositionFactory
from tests.types import ClientResponse

pytestmark = pytest.mark.django_db


def _names(response: ClientResponse) -> list[str]:
    return [c.full_name for c in response.context["page"].object_list]


def _listed(client: Client, **params: str) -> list[str]:
    """The names the contact list shows for these query parameters."""
    return _names(client.get(reverse("contacts:list"), params))


@pytest.fixture
def people(user: User) -> dict[str, Contact]:
    found = {
        "ada": ContactFactory(
            owner=user,
            first_name="Ada",
            last_name="Lovelace",
            trust_level=TrustLevel.CLOSE,
            tags=["math"],
            notes="Analytical engine",
        ),
        "alan": ContactFactory(
            owner=user,
            first_name="Alan",
            last_name="Turing",
            trust_level=None,
            tags=["math", "crypto"],
        ),
        "grace": ContactFactory(
            owner=user,
            first_name="Grace",
            last_name="Hopper",
            trust_level=TrustLevel.FOLLOWING,
            last_interaction_on=date.today() - timedelta(days=3),
        ),
    }
    ContactEmailFactory(contact=found["grace"], email="grace@navy.example")
    PositionFactory(contact=found["alan"], company="Bletchley Park", title="Codebreaker")
    reindex_contacts(found.values())
    return found


def test_it_lists_the_users_contacts_only(
    auth_client: Client, people: dict, other_user: User
) -> None:
    ContactFactory(owner=other_user, first_name="Mallory", last_name="Other")
    response = auth_client.get(reverse("contacts:list"))
    assert response.status_code == 200
    assert _names(response) == ["Grace Hopper", "Ada Lovelace", "Alan Turing"]
    assert b"Mallory" not in response.content


def test_it_shows_current_job_trust_badge_tags_and_last_interaction(
    auth_client: Client, people: dict
) -> None:
    html = auth_client.get(reverse("contacts:list")).content.decode()
    assert "Codebreaker" in html and "Bletchley Park" in html
    assert 'class="trust trust--close"' in html
    assert 'class="trust trust--unrated">Not rated yet' in html
    assert ">crypto</a>" in html
    assert (date.today() - timedelta(days=3)).strftime("%Y-%m-%d") in html


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("ada", ["Ada Lovelace"]),
        ("LOVE", ["Ada Lovelace"]),
        ("navy.example", ["Grace Hopper"]),
        ("bletchley", ["Alan Turing"]),
        ("crypto", ["Alan Turing"]),
        ("analytical engine", ["Ada Lovelace"]),
        ("math", ["Ada Lovelace", "Alan Turing"]),
        ("nobody-like-this", []),
    ],
)
def test_it_searches_names_emails_companies_tags_and_notes(
    auth_client: Client, people: dict, query: str, expected: list[str]
) -> None:
    assert _listed(auth_client, q=query) == expected


def test_live_search_returns_only_the_results_partial(auth_client: Client, people: dict) -> None:
    response = auth_client.get(reverse("contacts:list"), {"q": "ada"}, HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert html.strip().startswith('<div id="results"')
    assert "<html" not in html and "Ada Lovelace" in html and "Alan Turing" not in html


def test_history_restore_gets_the_whole_page(auth_client: Client, people: dict) -> None:
    response = auth_client.get(
        reverse("contacts:list"),
        {"q": "ada"},
        HTTP_HX_REQUEST="true",
        HTTP_HX_HISTORY_RESTORE_REQUEST="true",
    )
    assert b"<html" in response.content


def test_the_page_works_without_javascript(auth_client: Client, people: dict) -> None:
    html = auth_client.get(reverse("contacts:list")).content.decode()
    # A plain GET form with a submit button, and sort links with real hrefs.
    assert f'method="get" action="{reverse("contacts:list")}"' in html
    assert '<button type="submit" class="button">Search</button>' in html
    assert 'href="?sort=trust"' in html


@pytest.mark.parametrize(
    ("trust", "expected"),
    [("close", ["Ada Lovelace"]), ("unrated", ["Alan Turing"]), ("following", ["Grace Hopper"])],
)
def test_it_filters_by_trust_level(
    auth_client: Client, people: dict, trust: str, expected: list[str]
) -> None:
    assert _listed(auth_client, trust=trust) == expected


def test_it_filters_by_tag_and_combines_filters(auth_client: Client, people: dict) -> None:
    assert _listed(auth_client, tag="math") == ["Ada Lovelace", "Alan Turing"]
    assert _listed(auth_client, tag="math", trust="close") == ["Ada Lovelace"]


def test_it_ignores_unknown_filter_values(auth_client: Client, people: dict) -> None:
    response = auth_client.get(
        reverse("contacts:list"), {"trust": "bogus", "tag": "nope", "sort": "x", "page": "abc"}
    )
    assert response.status_code == 200
    assert len(_names(response)) == 3


@pytest.mark.parametrize(
    ("sort", "expected"),
    [
        ("name", ["Grace Hopper", "Ada Lovelace", "Alan Turing"]),
        ("trust", ["Ada Lovelace", "Alan Turing", "Grace Hopper"]),
        ("last_interaction", ["Grace Hopper", "Ada Lovelace", "Alan Turing"]),
        ("recent", ["Grace Hopper", "Alan Turing", "Ada Lovelace"]),
    ],
)
def test_it_sorts(auth_client: Client, people: dict, sort: str, expected: list[str]) -> None:
    assert _listed(auth_client, sort=sort) == expected


def test_it_paginates_fifty_a_page_keeping_the_filters(auth_client: Client, user: User) -> None:
    contacts = [
        Contact(owner=user, first_name="Person", last_name=f"{i:03d}", search_text="person")
        for i in range(120)
    ]
    Contact.objects.bulk_create(contacts)
    first = auth_client.get(reverse("contacts:list"), {"q": "person"})
    assert len(_names(first)) == 50
    assert 'href="?q=person&amp;page=2"' in first.content.decode()
    last = auth_client.get(reverse("contacts:list"), {"q": "person", "page": "3"})
    assert _names(last) == [f"Person {i:03d}" for i in range(100, 120)]
    beyond = auth_client.get(reverse("contacts:list"), {"q": "person", "page": "99"})
    assert beyond.status_code == 200 and len(_names(beyond)) == 20


def test_an_empty_account_explains_what_to_do_next(auth_client: Client) -> None:
    html = auth_client.get(reverse("contacts:list")).content.decode()
    assert "No contacts yet" in html
    assert reverse("contacts:new") in html


def test_no_matches_offers_to_clear_the_search(auth_client: Client, people: dict) -> None:
    html = auth_client.get(reverse("contacts:list"), {"q": "zebra"}).content.decode()
    assert "No one matches “zebra”" in html
    assert "Clear search and filters" in html


def test_a_search_with_very_many_matches_stops_counting(
    auth_client: Client, user: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    from contacts.views import directory

    monkeypatch.setattr(directory, "SEARCH_COUNT_CAP", 60)
    Contact.objects.bulk_create(
        Contact(owner=user, first_name="Person", last_name=f"{i:03d}", search_text="person")
        for i in range(120)
    )
    response = auth_client.get(reverse("contacts:list"), {"q": "person"})
    html = response.content.decode()
    assert "More than 60 matches" in html
    assert 'rel="next"' in html and "Last \u00bb" not in html
    # Without a search the list counts everyone.
    assert "120 contacts" in auth_client.get(reverse("contacts:list")).content.decode()
