"""Following is not knowing: the Following view and "I know them now"."""

import datetime as dt
from functools import partial

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from contacts.models import Contact, TrustLevel
from tests.factories import ContactFactory, PositionFactory
from tests.queries import assert_flat, queries_to_get

XSS = '<script>alert(1)</script>"><img src=x onerror=alert(1)>'


def followed(owner: User, first: str, **fields: object) -> Contact:
    return ContactFactory(
        owner=owner, first_name=first, last_name="Doe", trust_level=TrustLevel.FOLLOWING, **fields
    )


@pytest.mark.django_db
def test_it_lists_only_people_i_follow(auth_client: Client, user: User, other_user: User) -> None:
    followed(user, "Fiona")
    for level in [TrustLevel.MET, TrustLevel.CLOSE, None]:
        ContactFactory(owner=user, first_name=f"Known{level}", trust_level=level)
    followed(other_user, "Theirs")
    response = auth_client.get(reverse("contacts:following"))
    assert response.status_code == 200
    assert [c.first_name for c in response.context["page"]] == ["Fiona"]
    body = response.content.decode()
    assert "Theirs" not in body
    assert reverse("contacts:know_now", args=[response.context["page"][0].pk]) in body


@pytest.mark.django_db
def test_it_searches_within_following(auth_client: Client, user: User) -> None:
    fiona = followed(user, "Fiona")
    PositionFactory(contact=fiona, company="Oxide", title="Engineer", end_date=None)
    from contacts.search import reindex_contacts

    reindex_contacts([fiona])
    followed(user, "Gus")
    url = reverse("contacts:following")
    response = auth_client.get(url, {"q": "oxide"}, headers={"HX-Request": "true"})
    assert [c.first_name for c in response.context["page"]] == ["Fiona"]
    assert "<html" not in response.content.decode()
    assert "Engineer at Oxide" in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("headers", "whole_page"),
    [
        ({"HX-Request": "true"}, False),
        ({"HX-Request": "true", "HX-History-Restore-Request": "true"}, True),
        ({"HX-Request": "true", "HX-Boosted": "true"}, True),
    ],
)
def test_it_answers_htmx_with_the_results_and_back_or_reload_with_the_page(
    auth_client: Client, user: User, headers: dict[str, str], whole_page: bool
) -> None:
    followed(user, "Fiona")
    response = auth_client.get(reverse("contacts:following"), {"page": "1"}, headers=headers)
    body = response.content.decode()
    assert ("<html" in body) is whole_page
    assert "Fiona Doe" in body


@pytest.mark.django_db
def test_its_query_count_does_not_grow(auth_client: Client, user: User) -> None:
    for n in range(3):
        followed(user, f"A{n}", tags=["x"])

    def more() -> None:
        for n in range(30):
            PositionFactory(contact=followed(user, f"B{n}", tags=["y", "z"]), end_date=None)

    assert_flat(partial(queries_to_get, auth_client, reverse("contacts:following")), more)


@pytest.mark.django_db
def test_i_know_them_now_requires_how_we_met(auth_client: Client, user: User) -> None:
    fiona = followed(user, "Fiona")
    url = reverse("contacts:know_now", args=[fiona.pk])
    assert auth_client.get(url).status_code == 200
    response = auth_client.post(url, {"trust_level": TrustLevel.ACQUAINTANCE, "how_we_met": " "})
    assert response.status_code == 200
    assert response.context["form"].errors["how_we_met"]
    fiona.refresh_from_db()
    assert fiona.trust_level == TrustLevel.FOLLOWING


@pytest.mark.django_db
def test_i_know_them_now_refuses_following_as_the_new_level(
    auth_client: Client, user: User
) -> None:
    fiona = followed(user, "Fiona")
    response = auth_client.post(
        reverse("contacts:know_now", args=[fiona.pk]),
        {"trust_level": TrustLevel.FOLLOWING, "how_we_met": "Conference"},
    )
    assert response.status_code == 200
    assert response.context["form"].errors["trust_level"]
    fiona.refresh_from_db()
    assert fiona.how_we_met == ""


@pytest.mark.django_db
def test_i_know_them_now_turns_them_into_a_connection(auth_client: Client, user: User) -> None:
    fiona = followed(user, "Fiona")
    response = auth_client.post(
        reverse("contacts:know_now", args=[fiona.pk]),
        {
            "trust_level": TrustLevel.ACQUAINTANCE,
            "how_we_met": "Chatted after her talk",
            "met_on": "2026-10-01",
            "met_at": "PyCon DE",
        },
    )
    assert response.status_code == 302
    fiona.refresh_from_db()
    assert fiona.trust_level == TrustLevel.ACQUAINTANCE
    assert fiona.how_we_met == "Chatted after her talk"
    assert fiona.met_on == dt.date(2026, 10, 1)
    assert fiona.met_at == "PyCon DE"
    assert "chatted after her talk" in fiona.search_text


@pytest.mark.django_db
def test_it_escapes_what_people_typed(auth_client: Client, user: User) -> None:
    person = followed(user, XSS, how_we_met=XSS)
    PositionFactory(contact=person, title=XSS, company=XSS, end_date=None)
    for url in (reverse("contacts:following"), reverse("contacts:know_now", args=[person.pk])):
        body = auth_client.get(url).content.decode()
        assert "<script>alert(1)</script>" not in body
        assert "<img src=x" not in body


@pytest.mark.django_db
def test_the_contact_page_offers_to_introduce_and_to_know_them_now(
    auth_client: Client, user: User
) -> None:
    fiona = followed(user, "Fiona")
    body = auth_client.get(reverse("contacts:detail", args=[fiona.pk])).content.decode()
    assert reverse("contacts:introduce", args=[fiona.pk]) in body
    assert reverse("contacts:know_now", args=[fiona.pk]) in body


@pytest.mark.django_db
def test_it_points_to_the_reminders_opt_in(auth_client: Client) -> None:
    body = auth_client.get(reverse("contacts:following")).content.decode()
    assert reverse("reminders:settings") in body
