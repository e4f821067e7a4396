"""The composer offers what you share with the person, each insertable with one click."""

import datetime as dt
import html as htmllib

import pytest
from django.contrib.auth.models import User
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from contacts.models import Contact, InteractionKind
from reminders.models import NoteDraft
from reminders.notes import load_history
from tests.factories import ContactFactory, NoteDraftFactory, TagFactory, log_interaction

pytestmark = pytest.mark.django_db


@pytest.fixture
def maya(user: User) -> Contact:
    ana = ContactFactory(owner=user, first_name="Ana", last_name="Lind")
    maya = ContactFactory(
        owner=user,
        first_name="Maya",
        last_name="Okafor",
        how_we_met="Queueing for the climbing social",
        met_at="PyCon Berlin",
        met_on=dt.date(2019, 5, 1),
        introduced_by=ana,
    )
    maya.tags.add(TagFactory(owner=user, name="climbing"))
    ContactFactory(owner=user, first_name="Bo", last_name="Berg", introduced_by=maya)
    jon = ContactFactory(owner=user, first_name="Jon", last_name="Dahl")
    log_interaction(
        user,
        [maya, jon],
        on=dt.date(2026, 8, 13),
        summary="Dinner about her move to Lisbon",
        kind=InteractionKind.MEAL,
    )
    log_interaction(
        user,
        [maya],
        on=dt.date(2025, 12, 24),
        summary="Season's greetings from Oslo",
        kind=InteractionKind.NOTE_SENT,
    )
    return maya


def _composer(client: Client, contact: Contact) -> str:
    draft = NoteDraftFactory(contact=contact, body="Hi Maya,\n\nAll the best,\nalice")
    return client.get(reverse("reminders:note_edit", args=[draft.pk])).content.decode()


def test_it_offers_everything_you_share_each_with_an_insert_button(
    auth_client: Client, maya: Contact
) -> None:
    page = _composer(auth_client, maya)
    shared = htmllib.unescape(page[page.index('id="shared"') :])

    for label, snippet in [
        ("How you met", "Queueing for the climbing social"),
        ("Where and when you met", "PyCon Berlin, May 2019"),
        ("Introduced by", "Ana Lind introduced us"),
        ("Coffee or meal on 13 Aug 2026", "Dinner about her move to Lisbon"),
        ("Your note of 24 Dec 2025", "Season's greetings from Oslo"),
        ("Tags", "climbing"),
        ("They introduced you to", "Bo Berg"),
        ("People you both know", "Jon Dahl"),
    ]:
        assert label in shared, label
        assert f'data-insert="{snippet}"' in shared, snippet
    # Without JavaScript the same facts are listed to copy.
    assert '<span class="shared__text">Dinner about her move to Lisbon</span>' in shared


def test_a_fact_you_used_makes_the_note_personal(auth_client: Client, maya: Contact) -> None:
    draft = NoteDraftFactory(contact=maya, body="Hi Maya,\n\nAll the best,\nalice")
    url = reverse("reminders:note_edit", args=[draft.pk])
    response = auth_client.post(
        url,
        {"subject": "Hi", "body": "Hi Maya, say hello to Jon Dahl from me!"},
        headers={"HX-Request": "true"},
    )
    assert "it mentions people you both know" in response.content.decode()


def test_loading_what_you_share_takes_a_fixed_number_of_queries(user: User, maya: Contact) -> None:
    def count(contact: Contact) -> int:
        contact = Contact.objects.get(pk=contact.pk)
        with CaptureQueriesContext(connection) as queries:
            load_history(contact).facts()
        return len(queries)

    before = count(maya)
    for n in range(6):
        friend = ContactFactory(owner=user, introduced_by=maya)
        log_interaction(
            user,
            [maya, friend],
            on=dt.date(2026, 9, n + 1),
            summary=f"Call {n}",
            kind=InteractionKind.CALL,
        )
    assert count(maya) == before
    history = load_history(Contact.objects.get(pk=maya.pk))
    assert len(history.recent) == 3 and len(history.introduced) == 5


def test_another_users_people_never_show(
    auth_client: Client, maya: Contact, other_user: User
) -> None:
    ContactFactory(owner=other_user, first_name="Zed", introduced_by=maya)
    assert "Zed" not in _composer(auth_client, maya)
    assert NoteDraft.objects.count() == 1
