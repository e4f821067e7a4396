"""Two people who only look alike can be marked as different: Possible duplicates leaves
them out until the owner undoes it."""

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from contacts.duplicates import contact_merge, find_duplicate_groups
from contacts.models import Contact, NotDuplicate
from tests.factories import ContactEmailFactory, ContactFactory

pytestmark = pytest.mark.django_db


def ingrid(owner: User) -> Contact:
    return ContactFactory(owner=owner, first_name="Ingrid", last_name="Torres")


def listed(owner: User) -> list[list[int]]:
    return [[c.pk for c in group.contacts] for group in find_duplicate_groups(owner)]


def mark(client: Client, a: Contact, b: Contact) -> None:
    response = client.post(reverse("contacts:not_duplicate", args=[a.pk, b.pk]))
    assert response.status_code == 302


def test_a_pair_marked_different_is_no_longer_listed_and_undo_lists_it_again(
    auth_client: Client, user: User
) -> None:
    first, second = ingrid(user), ingrid(user)
    assert listed(user) == [[first.pk, second.pk]]
    mark(auth_client, second, first)
    assert listed(user) == []
    assert NotDuplicate.objects.get(owner=user).first == first  # one row, lower id first
    html = auth_client.get(reverse("contacts:duplicates")).content.decode()
    assert "Marked as different people (1)" in html and "No duplicates found" in html
    undo = reverse("contacts:not_duplicate_undo", args=[first.pk, second.pk])
    assert f'action="{undo}"' in html
    auth_client.post(undo)
    assert listed(user) == [[first.pk, second.pk]]
    assert not NotDuplicate.objects.exists()


def test_marking_twice_keeps_one_mark(auth_client: Client, user: User) -> None:
    first, second = ingrid(user), ingrid(user)
    mark(auth_client, first, second)
    mark(auth_client, second, first)
    assert NotDuplicate.objects.count() == 1


def test_in_a_group_of_three_only_the_marked_pair_is_parted(user: User) -> None:
    a, b, c = ingrid(user), ingrid(user), ingrid(user)
    NotDuplicate.objects.create(owner=user, first=a, second=b)
    # a and b are different, but each may still be c: the group stays, linked through c.
    assert listed(user) == [[a.pk, b.pk, c.pk]]
    NotDuplicate.objects.create(owner=user, first=a, second=c)
    assert listed(user) == [[b.pk, c.pk]]


def test_a_marked_pair_stays_hidden_even_when_they_share_an_email(user: User) -> None:
    a, b = ingrid(user), ingrid(user)
    ContactEmailFactory(contact=a, email="shared@example.org")
    ContactEmailFactory(contact=b, email="shared@example.org")
    NotDuplicate.objects.create(owner=user, first=a, second=b)
    # The owner said they are different people: the pair stays hidden whatever the reason.
    assert listed(user) == []


def test_the_mark_outlives_a_merge_of_one_of_them(user: User) -> None:
    a, b = ingrid(user), ingrid(user)
    twin = ContactFactory(owner=user, first_name="Ingrid", last_name="Torres")
    NotDuplicate.objects.create(owner=user, first=a, second=b)
    NotDuplicate.objects.create(owner=user, first=a, second=twin)
    merged = contact_merge(survivor=b, duplicate=twin)
    # b and twin were one person, whom the owner had told apart from a.
    assert listed(user) == []
    assert NotDuplicate.objects.filter(owner=user, first=a, second=merged).exists()


def test_the_page_offers_not_the_same_person_for_each_one_merged_in(
    auth_client: Client, user: User
) -> None:
    first, second = ingrid(user), ingrid(user)
    html = auth_client.get(reverse("contacts:duplicates")).content.decode()
    assert f'action="{reverse("contacts:not_duplicate", args=[first.pk, second.pk])}"' in html
    assert "Not the same person" in html


def test_a_contact_marked_against_itself_is_refused(auth_client: Client, user: User) -> None:
    first = ingrid(user)
    response = auth_client.post(reverse("contacts:not_duplicate", args=[first.pk, first.pk]))
    assert response.status_code == 302 and not NotDuplicate.objects.exists()


def test_marking_with_another_users_contact_is_a_404(
    auth_client: Client, user: User, other_user: User
) -> None:
    mine, theirs = ingrid(user), ingrid(other_user)
    response = auth_client.post(reverse("contacts:not_duplicate", args=[mine.pk, theirs.pk]))
    assert response.status_code == 404 and not NotDuplicate.objects.exists()
