"""The triage queue: unrated contacts one at a time, one key per trust level."""

import datetime as dt

import pytest
from django.contrib.auth.models import User
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from contacts import network
from contacts.models import Contact, TrustLevel
from tests.factories import ContactFactory, PositionFactory
from tests.queries import assert_flat

XSS = '<script>alert(1)</script>"><img src=x onerror=alert(1)>'


def unrated(owner: User, first: str, **fields: object) -> Contact:
    return ContactFactory(
        owner=owner, first_name=first, last_name="Doe", trust_level=None, **fields
    )


def rate(client: Client, contact: Contact, level: str, htmx: bool = False, **extra: str):
    headers = {"HX-Request": "true"} if htmx else {}
    return client.post(
        reverse("contacts:triage_rate", args=[contact.pk]),
        {"trust_level": level, **extra},
        headers=headers,
    )


def test_it_maps_one_key_to_each_level_in_order_of_closeness() -> None:
    assert set(network.TRIAGE_KEYS) == {"1", "2", "3", "4", "5", "f"}
    by_closeness = sorted(TrustLevel, key=TrustLevel.rank)
    assert [network.TRIAGE_KEYS[key] for key in "12345"] == by_closeness
    assert network.TRIAGE_KEYS["f"] == TrustLevel.FOLLOWING  # F for following


@pytest.mark.django_db
def test_it_shows_the_first_unrated_contact_with_what_is_known(
    auth_client: Client, user: User
) -> None:
    ContactFactory(owner=user, first_name="Rated", trust_level=TrustLevel.CLOSE)
    ada = unrated(user, "Ada", connected_on=dt.date(2019, 3, 14), tags=["pycon", "climate"])
    PositionFactory(contact=ada, title="Partner", company="Northwind Ventures", end_date=None)
    unrated(user, "Bea")
    response = auth_client.get(reverse("contacts:triage"))
    assert response.status_code == 200
    assert response.context["contact"] == ada
    body = response.content.decode()
    assert "Partner at Northwind Ventures" in body
    assert "14 Mar 2019" in body
    assert "climate" in body and "pycon" in body
    assert "1 of 3 sorted" in body
    assert 'accesskey="4"' in body
    assert 'src="/static/js/triage.js"' in body


@pytest.mark.django_db
def test_each_key_sets_its_level_and_moves_on(auth_client: Client, user: User) -> None:
    people = [unrated(user, f"P{n}") for n in range(6)]
    for person, (key, level) in zip(people, network.TRIAGE_KEYS.items(), strict=True):
        response = rate(auth_client, person, level, htmx=True)
        assert response.status_code == 200, key
        person.refresh_from_db()
        assert person.trust_level == level
    assert not Contact.objects.filter(trust_level__isnull=True).exists()


@pytest.mark.django_db
def test_htmx_gets_the_next_card_and_progress_at_once(auth_client: Client, user: User) -> None:
    first, second = unrated(user, "First"), unrated(user, "Second")
    response = rate(auth_client, first, TrustLevel.MET, htmx=True)
    body = response.content.decode()
    assert body.lstrip().startswith('<section id="triage"')
    assert "<html" not in body
    assert "Second Doe" in body
    assert "First Doe: Met." in body
    assert "1 of 2 sorted" in body
    assert response.context["contact"] == second


@pytest.mark.django_db
def test_without_javascript_it_redirects_to_the_next(auth_client: Client, user: User) -> None:
    first, second = unrated(user, "First"), unrated(user, "Second")
    response = rate(auth_client, first, TrustLevel.CLOSE)
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('contacts:triage')}?after={first.pk}"
    page = auth_client.get(response["Location"])
    assert page.context["contact"] == second
    assert "First Doe: Close." in page.content.decode()


@pytest.mark.django_db
def test_it_saves_the_optional_how_we_met_line(auth_client: Client, user: User) -> None:
    ada = unrated(user, "Ada")
    rate(auth_client, ada, TrustLevel.ACQUAINTANCE, how_we_met="  Met at DjangoCon Europe  ")
    ada.refresh_from_db()
    assert ada.how_we_met == "Met at DjangoCon Europe"
    assert "djangocon" in ada.search_text
    bea = unrated(user, "Bea", how_we_met="School")
    rate(auth_client, bea, TrustLevel.MET, how_we_met="   ")
    bea.refresh_from_db()
    assert bea.how_we_met == "School"


@pytest.mark.django_db
def test_skip_moves_on_and_wraps_round(auth_client: Client, user: User) -> None:
    first, second = unrated(user, "First"), unrated(user, "Second")
    url = reverse("contacts:triage")
    assert auth_client.get(url, {"after": first.pk}).context["contact"] == second
    assert auth_client.get(url, {"after": second.pk}).context["contact"] == first
    assert auth_client.get(url, {"after": "nonsense"}).context["contact"] == first
    first.refresh_from_db()
    assert first.trust_level is None


@pytest.mark.django_db
def test_it_says_when_everyone_is_sorted(auth_client: Client, user: User) -> None:
    ContactFactory(owner=user, trust_level=TrustLevel.MET)
    response = auth_client.get(reverse("contacts:triage"))
    assert response.context["contact"] is None
    assert "Everyone is sorted" in response.content.decode()
    assert "1 of 1 sorted" in response.content.decode()


@pytest.mark.django_db
def test_it_formats_progress_with_thousands_separators() -> None:
    assert network.Progress(sorted=312, total=2840).label == "312 of 2,840 sorted"


@pytest.mark.django_db
def test_it_refuses_an_unknown_level_and_keeps_the_card(auth_client: Client, user: User) -> None:
    ada = unrated(user, "Ada")
    response = rate(auth_client, ada, "best_friend", htmx=True)
    assert response.status_code == 400
    assert "Choose one of the five trust levels." in response.content.decode()
    assert response.context["contact"] == ada
    ada.refresh_from_db()
    assert ada.trust_level is None


@pytest.mark.django_db
def test_it_ignores_other_users_contacts(auth_client: Client, user: User, other_user: User) -> None:
    theirs = unrated(other_user, "Theirs")
    mine = unrated(user, "Mine")
    response = auth_client.get(reverse("contacts:triage"))
    assert response.context["contact"] == mine
    assert "0 of 1 sorted" in response.content.decode()
    assert rate(auth_client, theirs, TrustLevel.CLOSE).status_code == 404
    theirs.refresh_from_db()
    assert theirs.trust_level is None


@pytest.mark.django_db
def test_each_step_runs_a_fixed_number_of_queries(auth_client: Client, user: User) -> None:
    def step() -> int:
        person = Contact.objects.filter(owner=user, trust_level__isnull=True).first()
        assert person is not None
        with CaptureQueriesContext(connection) as queries:
            response = rate(auth_client, person, TrustLevel.MET, htmx=True, how_we_met="Work")
        assert response.status_code == 200
        return len(queries.captured_queries)

    def more() -> None:
        for n in range(40):
            PositionFactory(contact=unrated(user, f"B{n}", tags=["c", "d"]), end_date=None)

    for n in range(4):
        unrated(user, f"A{n}", tags=["a", "b"])
    assert_flat(step, more)


@pytest.mark.django_db
def test_it_escapes_what_people_typed(auth_client: Client, user: User) -> None:
    ada = unrated(user, XSS, how_we_met=XSS, tags=[XSS[:40]])
    PositionFactory(contact=ada, title=XSS, company=XSS, end_date=None)
    body = auth_client.get(reverse("contacts:triage")).content.decode()
    assert "<script>alert(1)</script>" not in body
    assert "<img src=x" not in body


@pytest.mark.django_db
def test_undo_puts_the_last_one_back_on_screen(auth_client: Client, user: User) -> None:
    first, _second = unrated(user, "First"), unrated(user, "Second")
    body = rate(auth_client, first, TrustLevel.CLOSE, htmx=True).content.decode()
    undo_url = reverse("contacts:triage_undo", args=[first.pk])
    assert f'hx-post="{undo_url}"' in body
    response = auth_client.post(undo_url, headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert response.context["contact"] == first
    first.refresh_from_db()
    assert first.trust_level is None
    assert "0 of 2 sorted" in response.content.decode()


@pytest.mark.django_db
def test_undo_works_without_javascript(auth_client: Client, user: User) -> None:
    unrated(user, "First")
    second = unrated(user, "Second", how_we_met="Choir")
    rate(auth_client, second, TrustLevel.MET)
    response = auth_client.post(reverse("contacts:triage_undo", args=[second.pk]))
    assert response.status_code == 302
    page = auth_client.get(response["Location"])
    assert page.context["contact"] == second
    second.refresh_from_db()
    assert (second.trust_level, second.how_we_met) == (None, "Choir")


@pytest.mark.django_db
def test_it_opens_on_a_chosen_unrated_contact(auth_client: Client, user: User) -> None:
    unrated(user, "First")
    chosen = unrated(user, "Chosen")
    rated = ContactFactory(owner=user, trust_level=TrustLevel.CLOSE)
    url = reverse("contacts:triage")
    assert auth_client.get(url, {"contact": chosen.pk}).context["contact"] == chosen
    assert auth_client.get(url, {"contact": rated.pk}).context["contact"].first_name == "First"
