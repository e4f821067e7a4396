"""Who reaches out: recorded on each interaction, the balance on the contact page, the
Losing touch sort, and the backup's `initiated_by` (issue 21)."""

import json
from datetime import datetime, timedelta

import pytest
import time_machine
from django.contrib.auth.models import User
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from contacts.exporters import export_json
from contacts.importers import run_import
from contacts.models import Contact, Initiator, Interaction, TrustLevel
from contacts.reach_out import Balance, reach_out_balance
from contacts.relationships import interaction_create
from reminders.charts import forget_glance
from tests.contacts.conftest import TODAY
from tests.factories import ContactFactory, backup_json

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_today")]


def _log(owner: User, contact: Contact, days_ago: int, by: str) -> Interaction:
    return interaction_create(
        owner=owner,
        kind="call",
        occurred_on=TODAY - timedelta(days=days_ago),
        summary="Call",
        contacts=[contact],
        initiated_by=by,
    )


@pytest.mark.parametrize(
    ("me", "them", "mutual", "sentence"),
    [
        (9, 2, 0, "You reached out 9 times, they did twice."),
        (1, 0, 0, "You reached out once, they did never."),
        (0, 0, 0, "No interactions in the last year."),
        (2, 1, 3, "You reached out twice, they did once; 3 times it was mutual."),
    ],
)
def test_it_words_the_balance(me: int, them: int, mutual: int, sentence: str) -> None:
    assert Balance(me=me, them=them, mutual=mutual).sentence == sentence


def test_it_says_who_carries_the_relationship() -> None:
    assert Balance(me=9, them=2, mutual=0).leaning == "me"
    assert Balance(me=0, them=3, mutual=0).leaning == "them"
    assert Balance(me=3, them=2, mutual=0).leaning == "even"


def test_it_counts_the_last_year_only(user: User) -> None:
    ada = ContactFactory(owner=user)
    for days_ago in (1, 30, 364):
        _log(user, ada, days_ago, Initiator.ME)
    _log(user, ada, 10, Initiator.THEM)
    _log(user, ada, 20, Initiator.MUTUAL)
    _log(user, ada, 400, Initiator.THEM)  # over a year ago
    assert reach_out_balance(ada, TODAY) == Balance(me=3, them=1, mutual=1)


def test_it_records_who_reached_out_from_the_contact_page(auth_client: Client, user: User) -> None:
    ada = ContactFactory(owner=user, first_name="Ada")
    url = reverse("contacts:contact_interaction_new", args=[ada.pk])
    form = {"kind": "call", "occurred_on": "2026-11-19", "summary": "She called"}
    response = auth_client.post(url, {**form, "initiated_by": "them"})
    assert response.status_code == 302
    assert Interaction.objects.get().initiated_by == Initiator.THEM
    page = auth_client.get(ada.get_absolute_url()).content.decode()
    assert "You reached out never, they did once." in page
    assert "They reached out" in page  # on the timeline item


def test_it_defaults_to_me_and_refuses_an_unknown_value(auth_client: Client, user: User) -> None:
    ada = ContactFactory(owner=user)
    url = reverse("contacts:contact_interaction_new", args=[ada.pk])
    form = {"kind": "call", "occurred_on": "2026-11-19", "summary": "Call"}
    auth_client.post(url, form)
    assert Interaction.objects.get().initiated_by == Initiator.ME
    response = auth_client.post(url, {**form, "initiated_by": "the cat"})
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert Interaction.objects.count() == 1


def test_it_keeps_who_reached_out_when_editing(auth_client: Client, user: User) -> None:
    ada = ContactFactory(owner=user)
    interaction = _log(user, ada, 3, Initiator.MUTUAL)
    url = reverse("contacts:interaction_edit", args=[interaction.pk])
    form = auth_client.get(url).context["form"]
    assert form.initial["initiated_by"] == Initiator.MUTUAL
    auth_client.post(
        url,
        {
            "kind": "call",
            "occurred_on": "2026-11-17",
            "summary": "Call",
            "contact": [ada.pk],
            "initiated_by": "them",
        },
    )
    interaction.refresh_from_db()
    assert interaction.initiated_by == Initiator.THEM


def _due(owner: User, name: str, me: int, them: int) -> Contact:
    with time_machine.travel(datetime(2020, 1, 1), tick=False):
        contact = ContactFactory(owner=owner, first_name=name, trust_level=TrustLevel.CLOSE)
    for n in range(me):
        _log(owner, contact, 100 + n, Initiator.ME)
    for n in range(them):
        _log(owner, contact, 120 + n, Initiator.THEM)
    return contact


def test_losing_touch_sorts_by_who_reaches_out(auth_client: Client, user: User) -> None:
    _due(user, "Giver", me=0, them=4)
    _due(user, "Taker", me=5, them=0)
    _due(user, "Even", me=1, them=1)
    url = reverse("contacts:losing_touch")

    def order(sort: str) -> list[str]:
        html = auth_client.get(url, {"sort": sort}).content.decode()
        return sorted(("Giver", "Taker", "Even"), key=lambda name: html.index(f">{name}"))

    assert order("they_reach_out") == ["Giver", "Even", "Taker"]
    assert order("i_reach_out") == ["Taker", "Even", "Giver"]
    html = auth_client.get(url, {"sort": "they_reach_out"}).content.decode()
    assert "they reached out 4 times, you 0" in html
    # Nonsense falls back to the usual order, never an error.
    assert auth_client.get(url, {"sort": "'; drop"}).status_code == 200


def test_losing_touch_sorted_keeps_its_query_count(auth_client: Client, user: User) -> None:
    url = reverse("contacts:losing_touch")
    _due(user, "One", me=1, them=2)
    auth_client.get(url)  # settings and session rows made on the first visit
    forget_glance(user.pk)  # measure the order computed, not read from the cache
    with CaptureQueriesContext(connection) as few:
        auth_client.get(url, {"sort": "they_reach_out"})
    for n in range(12):
        _due(user, f"More{n}", me=n % 3, them=1)
    forget_glance(user.pk)
    with CaptureQueriesContext(connection) as many:
        auth_client.get(url, {"sort": "they_reach_out"})
    assert len(many) == len(few)
    with CaptureQueriesContext(connection) as cached:
        auth_client.get(url, {"sort": "they_reach_out"})
    assert len(cached) == len(few) - 2  # the due ids and their counts come from the cache


def test_the_cached_order_follows_new_interactions(auth_client: Client, user: User) -> None:
    giver = _due(user, "Giver", me=0, them=2)
    _due(user, "Taker", me=3, them=0)
    url = reverse("contacts:losing_touch")

    def first(sort: str) -> str:
        html = auth_client.get(url, {"sort": sort}).content.decode()
        return min(("Giver", "Taker"), key=lambda name: html.index(f">{name}"))

    assert first("they_reach_out") == "Giver"
    for n in range(6):
        _log(user, giver, 130 + n, Initiator.ME)
    assert first("they_reach_out") == "Taker"
    assert first("i_reach_out") == "Giver"


def _backup(initiated_by: object | None) -> bytes:
    interaction: dict[str, object] = {
        "id": 1,
        "kind": "call",
        "occurred_on": "2026-11-01",
        "summary": "Call",
        "contacts": [1],
    }
    if initiated_by is not None:
        interaction["initiated_by"] = initiated_by
    return backup_json(contacts=[{"id": 1, "first_name": "Ada"}], interactions=[interaction])


@pytest.mark.parametrize(
    ("given", "stored", "warned"),
    [("them", "them", False), (None, "me", False), ("boss", "me", True), (7, "me", True)],
)
def test_a_backup_restores_who_reached_out(
    user: User, given: object, stored: str, warned: bool
) -> None:
    report = run_import(owner=user, source="json", data=_backup(given))
    assert Interaction.objects.get(owner=user).initiated_by == stored
    assert any("initiated_by" in warning for warning in report.warnings) == warned


def test_the_backup_says_who_reached_out(user: User) -> None:
    _log(user, ContactFactory(owner=user), 2, Initiator.MUTUAL)
    document = json.loads("".join(export_json(user)))
    assert document["minor_version"] >= 2  # who reached out came in 1.2
    assert document["interactions"][0]["initiated_by"] == "mutual"


def test_a_snooze_takes_them_off_the_cached_order(auth_client: Client, user: User) -> None:
    giver = _due(user, "Giver", me=0, them=2)
    _due(user, "Taker", me=3, them=0)
    url = reverse("contacts:losing_touch")
    assert ">Giver" in auth_client.get(url, {"sort": "they_reach_out"}).content.decode()
    auth_client.post(reverse("contacts:keep_in_touch_snooze", args=[giver.pk]), {"days": "14"})
    response = auth_client.get(url, {"sort": "they_reach_out"})
    html = response.content.decode()
    assert ">Giver" not in html and ">Taker" in html
    assert response.context["page"].paginator.count == 1
