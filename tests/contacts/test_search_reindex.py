"""contacts.search.reindex_contacts: the one reindexer (forms, services, importers, merge)."""

import pytest
from django.contrib.auth.models import User
from django.db import connection
from django.test.utils import CaptureQueriesContext

from contacts.models import Contact
from contacts.search import build_search_text, reindex_contacts
from tests.factories import ContactEmailFactory, ContactFactory, PositionFactory


def _people(owner: User, count: int) -> list[Contact]:
    people = []
    for n in range(count):
        contact = ContactFactory(owner=owner, first_name=f"P{n}", tags=["friends", "Paris"])
        ContactEmailFactory(contact=contact)
        PositionFactory(contact=contact, company="Acme", title="Engineer", end_date=None)
        people.append(contact)
    Contact.objects.filter(owner=owner).update(search_text="")
    return people


@pytest.mark.django_db
def test_it_takes_contacts_or_ids_and_builds_what_build_search_text_would(user: User) -> None:
    first, second = _people(user, 2)
    assert reindex_contacts([first, second.pk]) == 2
    for contact in Contact.objects.filter(owner=user):
        assert contact.search_text and contact.search_text == build_search_text(contact)
        assert "acme engineer" in contact.search_text and "paris" in contact.search_text


@pytest.mark.django_db
def test_its_query_count_does_not_grow_with_the_number_of_contacts(user: User) -> None:
    few, many = _people(user, 2), _people(user, 20)
    with CaptureQueriesContext(connection) as small:
        reindex_contacts(few)
    with CaptureQueriesContext(connection) as large:
        reindex_contacts(many)
    assert len(large) == len(small)
