"""contact_create / contact_update / contact_delete, as other areas call them."""

import pytest
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError

from contacts.models import Contact
from contacts.services import contact_create, contact_delete, contact_save, contact_update
from tests.factories import ContactFactory

pytestmark = pytest.mark.django_db


def test_create_refuses_another_users_contact_as_introducer(user: User, other_user: User) -> None:
    theirs = ContactFactory(owner=other_user)
    with pytest.raises(ValidationError) as caught:
        contact_create(owner=user, first_name="Ada", introduced_by=theirs)
    assert "introduced_by" in caught.value.message_dict
    assert not Contact.objects.filter(owner=user).exists()


def test_update_refuses_self_introduction_and_changes_nothing(user: User) -> None:
    contact = contact_create(owner=user, first_name="Ada", emails=["ada@example.com"])
    with pytest.raises(ValidationError):
        contact_update(contact=contact, introduced_by=contact, emails=["new@example.com"])
    fresh = Contact.objects.get(pk=contact.pk)
    assert fresh.introduced_by is None
    assert [e.email for e in fresh.emails.all()] == ["ada@example.com"]


def test_create_normalises_and_indexes_details(user: User) -> None:
    contact = contact_create(
        owner=user,
        first_name="Ada",
        emails=[" Ada@Example.com ", "ada@example.com"],
        phones=["+44 20 1234 5678", "+44 20 1234 5678"],
        tags=["Math", "math ", ""],
    )
    assert [e.email for e in contact.emails.all()] == ["ada@example.com"]
    assert contact.phones.count() == 1
    assert [t.name for t in contact.tags.all()] == ["math"]
    contact.refresh_from_db()
    assert "ada@example.com" in contact.search_text and "math" in contact.search_text


def test_create_refuses_a_contact_without_a_name(user: User) -> None:
    with pytest.raises(ValidationError):
        contact_create(owner=user, first_name="", last_name="")
    assert not Contact.objects.exists()


def test_delete_keeps_people_they_introduced(user: User) -> None:
    introducer = contact_create(owner=user, first_name="Alan")
    friend = contact_create(owner=user, first_name="Grace", introduced_by=introducer)
    contact_delete(contact=introducer)
    friend.refresh_from_db()
    assert friend.introduced_by is None


def test_contact_save_with_a_refused_photo_adds_no_one(user: User) -> None:
    with pytest.raises(ValidationError) as caught:
        contact_save(owner=user, contact=None, photo=b"MZ not an image", first_name="Ada")
    assert "photo" in caught.value.message_dict
    assert not Contact.objects.filter(owner=user).exists()


def test_contact_save_with_a_refused_photo_keeps_the_old_details(user: User) -> None:
    contact = contact_create(owner=user, first_name="Ada", emails=["ada@example.com"])
    with pytest.raises(ValidationError):
        contact_save(
            owner=user, contact=contact, photo=b"junk", first_name="Eve", emails=["e@example.com"]
        )
    fresh = Contact.objects.get(pk=contact.pk)
    assert fresh.first_name == "Ada"
    assert [e.email for e in fresh.emails.all()] == ["ada@example.com"]
