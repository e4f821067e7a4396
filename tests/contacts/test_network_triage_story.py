"""Sort (triage) never loses a story, and Undo puts back exactly what one step changed."""

import datetime as dt
from typing import Any

import pytest
import time_machine
from django.contrib.auth.models import User
from django.forms.models import model_to_dict
from django.test import Client
from django.urls import reverse

from contacts import network
from contacts.limits import HOW_WE_MET_MAX
from contacts.models import Contact, TrustLevel
from contacts.search import reindex_contacts
from tests.factories import ContactFactory

pytestmark = pytest.mark.django_db

STORY = "Met at PyCon 2019; she ran the sprint room."


def _unrated(owner: User, **fields: object) -> Contact:
    with time_machine.travel(dt.datetime(2024, 3, 1, 9, tzinfo=dt.UTC), tick=False):
        contact = ContactFactory(owner=owner, first_name="Ines", trust_level=None, **fields)
        reindex_contacts([contact])  # as the services leave it
    return contact


def _rate(client: Client, contact: Contact, htmx: bool, **data: str) -> Any:
    headers = {"HX-Request": "true"} if htmx else {}
    url = reverse("contacts:triage_rate", args=[contact.pk])
    return client.post(url, {"trust_level": TrustLevel.CLOSE, **data}, headers=headers)


def _undo(client: Client, contact: Contact, htmx: bool) -> Any:
    headers = {"HX-Request": "true"} if htmx else {}
    return client.post(reverse("contacts:triage_undo", args=[contact.pk]), headers=headers)


def _level_and_story(contact: Contact) -> tuple[str | None, str]:
    """The contact's trust level and how we met, as stored now."""
    return Contact.objects.values_list("trust_level", "how_we_met").get(pk=contact.pk)


def _state(contact: Contact) -> dict[str, Any]:
    """Every stored column of the contact, tags included."""
    fresh = Contact.objects.get(pk=contact.pk)
    values = model_to_dict(fresh)
    values["tags"] = sorted(tag.pk for tag in values["tags"])
    values.update(
        {field.attname: getattr(fresh, field.attname) for field in Contact._meta.concrete_fields}
    )
    return values


def test_it_shows_the_story_and_asks_to_add_to_it(auth_client: Client, user: User) -> None:
    _unrated(user, how_we_met=STORY)
    html = auth_client.get(reverse("contacts:triage")).content.decode()
    assert "PyCon 2019" in html
    assert "Add to how we met" in html and "never replaces it" in html


def test_it_asks_how_we_met_when_there_is_no_story(auth_client: Client, user: User) -> None:
    _unrated(user)
    html = auth_client.get(reverse("contacts:triage")).content.decode()
    assert "Add to how we met" not in html and ">How we met <span" in html


@pytest.mark.parametrize("htmx", [True, False], ids=["htmx", "no javascript"])
def test_typing_adds_to_the_story_instead_of_replacing_it(
    auth_client: Client, user: User, htmx: bool
) -> None:
    ines = _unrated(user, how_we_met=STORY)
    _rate(auth_client, ines, htmx, how_we_met="  Later worked together at Acme  ")
    ines.refresh_from_db()
    assert ines.how_we_met == f"{STORY}\nLater worked together at Acme"
    assert "acme" in ines.search_text and "pycon" in ines.search_text


def test_typing_what_is_already_there_adds_nothing(user: User) -> None:
    ines = _unrated(user, how_we_met=STORY)
    network.triage_rate(contact=ines, trust_level=TrustLevel.MET, how_we_met="PyCon 2019")
    assert Contact.objects.get(pk=ines.pk).how_we_met == STORY


def test_a_story_that_would_grow_past_the_limit_is_refused_whole(
    auth_client: Client, user: User
) -> None:
    ines = _unrated(user, how_we_met="x" * (HOW_WE_MET_MAX - 5))
    before = _state(ines)
    response = _rate(auth_client, ines, True, how_we_met="and one more line")
    assert response.status_code == 400
    assert "shorten it on their page" in response.content.decode()
    assert _state(ines) == before


@pytest.mark.parametrize("htmx", [True, False], ids=["htmx", "no javascript"])
@pytest.mark.parametrize(
    ("story", "typed"),
    [(STORY, "Later at Acme"), ("", "Met at the school gate"), (STORY, ""), ("", "")],
    ids=["added to a story", "a first story", "story untouched", "no story"],
)
def test_undo_restores_every_field_the_step_changed(
    auth_client: Client, user: User, htmx: bool, story: str, typed: str
) -> None:
    ines = _unrated(user, how_we_met=story, tags=["pycon"])
    before = _state(ines)

    _rate(auth_client, ines, htmx, how_we_met=typed)
    assert _state(ines) != before
    response = _undo(auth_client, ines, htmx)

    assert response.status_code == (200 if htmx else 302)
    assert _state(ines) == before


def test_undo_puts_back_a_level_that_was_set_before(auth_client: Client, user: User) -> None:
    # Sort shows only unrated people, but a rating posted from an old tab must undo too.
    ines = _unrated(user, how_we_met=STORY)
    Contact.objects.filter(pk=ines.pk).update(trust_level=TrustLevel.KNOW_WELL)
    before = _state(ines)
    _rate(auth_client, ines, True, how_we_met="More")
    _undo(auth_client, ines, True)
    assert _state(ines) == before


def test_undo_without_the_steps_record_keeps_the_story(auth_client: Client, user: User) -> None:
    ines = _unrated(user, how_we_met=STORY)
    Contact.objects.filter(pk=ines.pk).update(trust_level=TrustLevel.CLOSE)
    _undo(auth_client, ines, True)
    assert _level_and_story(ines) == (None, STORY)


def test_undo_of_another_contact_does_not_use_this_steps_record(
    auth_client: Client, user: User
) -> None:
    ines = _unrated(user, how_we_met=STORY)
    other = _unrated(user, how_we_met="Choir")
    _rate(auth_client, ines, True, how_we_met="More")
    Contact.objects.filter(pk=other.pk).update(trust_level=TrustLevel.MET)
    _undo(auth_client, other, True)
    assert _level_and_story(other) == (None, "Choir")
    # The record of Ines's step is still there for her own Undo.
    _undo(auth_client, ines, True)
    assert _level_and_story(ines) == (None, STORY)


def test_the_page_after_a_rating_without_javascript_offers_undo(
    auth_client: Client, user: User
) -> None:
    ines = _unrated(user)
    response = _rate(auth_client, ines, False)
    html = auth_client.get(response["Location"]).content.decode()
    assert f'action="{reverse("contacts:triage_undo", args=[ines.pk])}"' in html
    assert html.count(f"{ines.full_name}: Close.") == 1


def test_another_users_undo_is_a_404_and_changes_nothing(
    auth_client: Client, other_user: User
) -> None:
    theirs = _unrated(other_user, how_we_met=STORY)
    Contact.objects.filter(pk=theirs.pk).update(trust_level=TrustLevel.CLOSE)
    before = _state(theirs)
    assert _undo(auth_client, theirs, True).status_code == 404
    assert _state(theirs) == before
