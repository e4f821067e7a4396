"""Ids that arrive in query strings and form bodies, not in the URL path.

tests/test_ownership_sweep.py covers every id in a URL path. These requests put
the attacker's own object in the path (so the view runs) and another user's ids
in the parameters: the other user's data must not show and nothing of theirs may
change or be linked to.
"""

from collections.abc import Callable
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from contacts.models import Contact, Interaction, TrustLevel
from reminders.models import NoteDraft
from tests.factories import ContactFactory, ReminderFactory, UserFactory

SECRET = "Zebediah"  # the victim's contact's name; must never appear


@pytest.fixture
def victim_contact(db: Any) -> Contact:
    victim = UserFactory(username="victim")
    return ContactFactory(owner=victim, first_name=SECRET, last_name="Victimson", trust_level=None)


@pytest.fixture
def mine(user: User) -> Contact:
    return ContactFactory(owner=user, first_name="Mine", trust_level=TrustLevel.CLOSE)


def _ok_and_clean(response: Any) -> None:
    assert response.status_code in (200, 302, 400, 404)
    assert SECRET not in response.content.decode()


REQUESTS: dict[str, Callable[[Client, Contact, Contact], Any]] = {
    "introduce ?other=": lambda c, mine, theirs: c.get(
        reverse("contacts:introduce", args=[mine.pk]), {"other": theirs.pk}
    ),
    "introduce other= (POST)": lambda c, mine, theirs: c.post(
        reverse("contacts:introduce", args=[mine.pk]),
        {"other": theirs.pk, "occurred_on": "2024-01-02", "note": "hi"},
    ),
    "new contact ?introduced_by=": lambda c, mine, theirs: c.get(
        reverse("contacts:new"), {"introduced_by": theirs.pk}
    ),
    "introducer options ?exclude=&introduced_by=": lambda c, mine, theirs: c.get(
        reverse("contacts:introducer_options"),
        {"exclude": str(theirs.pk), "introduced_by": str(theirs.pk), "introducer_q": "Zeb"},
        HTTP_HX_REQUEST="true",
    ),
    "edit contact introduced_by= (POST)": lambda c, mine, theirs: c.post(
        reverse("contacts:edit", args=[mine.pk]),
        {"first_name": "Mine", "introduced_by": theirs.pk},
    ),
    "log interaction ?contact=": lambda c, mine, theirs: c.get(
        reverse("contacts:interaction_new"), {"contact": [mine.pk, theirs.pk]}
    ),
    "log interaction contact= (POST)": lambda c, mine, theirs: c.post(
        reverse("contacts:interaction_new"),
        {"contact": [theirs.pk], "kind": "meeting", "occurred_on": "2024-01-02", "summary": "x"},
    ),
    "log interaction search contact= (POST)": lambda c, mine, theirs: c.post(
        reverse("contacts:interaction_new"), {"contact": [theirs.pk], "search": "1", "q": "Zeb"}
    ),
    "log from a contact page contact= (POST, htmx)": lambda c, mine, theirs: c.post(
        reverse("contacts:contact_interaction_new", args=[mine.pk]),
        {"contact": [theirs.pk], "kind": "meeting", "occurred_on": "2024-01-02", "summary": "x"},
        HTTP_HX_REQUEST="true",
    ),
    "triage ?contact=": lambda c, mine, theirs: c.get(
        reverse("contacts:triage"), {"contact": theirs.pk, "after": theirs.pk}
    ),
    "triage ?contact= (htmx)": lambda c, mine, theirs: c.get(
        reverse("contacts:triage"), {"contact": theirs.pk}, HTTP_HX_REQUEST="true"
    ),
    "start a note contact= (POST)": lambda c, mine, theirs: c.post(
        reverse("reminders:note_start"), {"contact": theirs.pk}
    ),
    "start a note reminder= (POST, htmx)": lambda c, mine, theirs: c.post(
        reverse("reminders:note_start"),
        {"reminder": ReminderFactory(contact=theirs).pk},
        HTTP_HX_REQUEST="true",
    ),
    "merge mine with theirs": lambda c, mine, theirs: c.post(
        reverse("contacts:merge", args=[mine.pk, theirs.pk])
    ),
}


@pytest.mark.parametrize("name", sorted(REQUESTS))
@pytest.mark.django_db
def test_another_users_ids_in_parameters_show_and_change_nothing(
    name: str, auth_client: Client, user: User, mine: Contact, victim_contact: Contact
) -> None:
    before = Contact.objects.filter(pk=victim_contact.pk).values().get()
    _ok_and_clean(REQUESTS[name](auth_client, mine, victim_contact))
    assert Contact.objects.filter(pk=victim_contact.pk).values().get() == before
    assert not Interaction.objects.filter(contacts=victim_contact).exists()
    assert not NoteDraft.objects.filter(contact=victim_contact).exists()
    assert not Contact.objects.filter(owner=user, introduced_by=victim_contact).exists()
