"""Position services (contacts.careers): writes the career section's views go through."""

from datetime import date

import pytest
from django.contrib.auth.models import User

from contacts.careers import position_create, position_delete, position_update
from contacts.models import Contact, PositionSource
from tests.factories import ContactFactory


def _search_text(contact: Contact) -> str:
    return Contact.objects.get(pk=contact.pk).search_text


@pytest.mark.django_db
def test_position_create_enters_it_by_hand_and_makes_it_searchable(user: User) -> None:
    ada = ContactFactory(owner=user)
    position = position_create(
        contact=ada,
        company="Analytical Engines",
        title="Programmer",
        start_date=None,
        end_date=None,
    )
    assert position.source == PositionSource.ENTERED and position.contact == ada
    assert "analytical engines" in _search_text(ada)


@pytest.mark.django_db
def test_position_update_and_delete_keep_the_search_text_right(user: User) -> None:
    ada = ContactFactory(owner=user)
    position = position_create(
        contact=ada, company="Acme", title="Engineer", start_date=date(2020, 1, 1), end_date=None
    )
    position_update(
        position=position,
        company="Contoso",
        title="CTO",
        start_date=date(2020, 1, 1),
        end_date=None,
    )
    position.refresh_from_db()
    assert (position.company, position.title) == ("Contoso", "CTO")
    assert "contoso" in _search_text(ada) and "acme" not in _search_text(ada)
    position_delete(position=position)
    assert not ada.positions.exists()
    assert "contoso" not in _search_text(ada)
