"""Merging keeps both texts by default: notes, how we met and the place are not lost."""

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from contacts import limits
from contacts.duplicates import BOTH, SURVIVOR, contact_merge
from contacts.models import Contact
from tests.factories import ContactFactory

pytestmark = pytest.mark.django_db


def pair(user: User, **duplicate: str) -> tuple[Contact, Contact]:
    kept = ContactFactory(
        owner=user,
        first_name="Ingrid",
        last_name="Torres",
        notes="Architect.",
        how_we_met="PyCon",
        met_at="Berlin",
    )
    other = ContactFactory(owner=user, first_name="Ingrid", last_name="Torres", **duplicate)
    return kept, other


def test_without_choices_the_texts_of_both_are_kept(user: User) -> None:
    kept, other = pair(user, notes="Plays cello.", how_we_met="Via Bea", met_at="Lisbon")
    merged = contact_merge(survivor=kept, duplicate=other)
    assert merged.notes == "Architect.\n\nPlays cello."
    assert merged.how_we_met == "PyCon\n\nVia Bea"
    assert merged.met_at == "Berlin; Lisbon"


def test_the_same_text_on_both_is_kept_once_and_an_empty_one_adds_nothing(user: User) -> None:
    kept, other = pair(user, notes="Architect.", how_we_met="", met_at="")
    merged = contact_merge(survivor=kept, duplicate=other)
    assert (merged.notes, merged.how_we_met, merged.met_at) == ("Architect.", "PyCon", "Berlin")


def test_the_merge_form_offers_keep_both_first_and_checked(auth_client: Client, user: User) -> None:
    kept, other = pair(user, notes="Plays cello.", how_we_met="PyCon", met_at="Lisbon")
    url = reverse("contacts:merge", args=[kept.pk, other.pk])
    html = auth_client.get(url).content.decode()
    assert 'name="notes" value="both" required id="id_notes_0" checked' in html
    assert 'name="met_at" value="both" required id="id_met_at_0" checked' in html
    response = auth_client.post(url, {"notes": BOTH, "met_at": SURVIVOR})
    assert response.status_code == 302
    merged = Contact.objects.get(pk=kept.pk)
    assert (merged.notes, merged.met_at) == ("Architect.\n\nPlays cello.", "Berlin")


def test_texts_too_long_together_keep_the_kept_contacts_by_default(
    auth_client: Client, user: User
) -> None:
    kept, other = pair(user, notes="n" * limits.NOTES_MAX)
    html = auth_client.get(reverse("contacts:merge", args=[kept.pk, other.pk])).content.decode()
    assert "only one can be kept" in html
    merged = contact_merge(survivor=kept, duplicate=other)
    assert merged.notes == "Architect."
