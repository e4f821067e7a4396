"""The list and detail pages make as many queries for 200 contacts as for 10."""

from collections.abc import Iterator
from datetime import date, timedelta
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.db import transaction
from django.test import Client
from django.urls import reverse

from contacts.models import Contact, Interaction, TrustLevel
from contacts.relationships import refresh_last_interaction
from contacts.search import reindex_contacts
from tests.factories import (
    ContactEmailFactory,
    ContactFactory,
    PositionFactory,
    TagFactory,
    UserFactory,
)
from tests.queries import queries_to_get

pytestmark = pytest.mark.django_db


def _network(user: User, size: int) -> Contact:
    """`size` contacts with tags, emails, jobs, introductions and interactions."""
    tags = [TagFactory(owner=user, name=f"tag{i}") for i in range(3)]
    levels = [*TrustLevel.values, None]
    first: Contact | None = None
    contacts = []
    for i in range(size):
        contact = ContactFactory(
            owner=user,
            first_name=f"Person{i}",
            last_name="Example",
            trust_level=levels[i % len(levels)],
            introduced_by=first,
        )
        contact.tags.set(tags[: i % 4])
        ContactEmailFactory(contact=contact)
        if i % 2:
            PositionFactory(contact=contact, end_date=None)
        first = first or contact
        contacts.append(contact)
    assert first is not None
    for i, contact in enumerate(contacts):
        interaction = Interaction.objects.create(
            owner=user,
            kind="call",
            occurred_on=date.today() - timedelta(days=i),
            summary=f"Call {i}",
        )
        interaction.contacts.set([contact, first])
    refresh_last_interaction(c.pk for c in contacts)
    reindex_contacts(contacts)
    assert first is not None
    return first


def _count(user: User, url: str) -> int:
    """The queries of `user`'s GET of `url`, after one warmed per-process caches (content
    types, scheduler state)."""
    client = Client()
    client.force_login(user)
    queries_to_get(client, url)
    return queries_to_get(client, url)


@pytest.fixture(scope="module")
def networks(django_db_setup: None, django_db_blocker: Any) -> Iterator[dict]:
    """The small (10) and large (200) networks, built once for this module's tests.

    They live in a transaction rolled back after the last test; each test's own
    transaction nests in it as a savepoint, so nothing a test does reaches the next.
    """
    with django_db_blocker.unblock(), transaction.atomic():
        small, large = UserFactory(username="small"), UserFactory(username="large")
        yield {
            "small": small,
            "large": large,
            "hub_small": _network(small, 10),
            "hub_large": _network(large, 200),
        }
        transaction.set_rollback(True)


@pytest.mark.parametrize(
    "params",
    [
        {},
        {"q": "example"},
        {"trust": "know_well", "tag": "tag0"},
        {"sort": "trust"},
        {"sort": "last_interaction", "page": "2"},
    ],
)
def test_list_queries_do_not_grow_with_contacts(params: dict[str, str], networks: dict) -> None:
    small, large = networks["small"], networks["large"]
    url = reverse("contacts:list") + "?" + "&".join(f"{k}={v}" for k, v in params.items())
    assert _count(small, url) == _count(large, url)


def test_detail_queries_do_not_grow_with_contacts(networks: dict) -> None:
    small, large = networks["small"], networks["large"]
    hub_small, hub_large = networks["hub_small"], networks["hub_large"]
    # The hub introduced everyone and was in every interaction: the worst case.
    assert _count(small, hub_small.get_absolute_url()) == _count(
        large, hub_large.get_absolute_url()
    )
    other_small = Contact.objects.filter(owner=small).exclude(pk=hub_small.pk).first()
    other_large = Contact.objects.filter(owner=large).exclude(pk=hub_large.pk).first()
    assert other_small is not None and other_large is not None
    assert _count(small, other_small.get_absolute_url()) == _count(
        large, other_large.get_absolute_url()
    )


def test_edit_page_queries_do_not_grow_with_contacts(networks: dict) -> None:
    small, large = networks["small"], networks["large"]
    hub_small, hub_large = networks["hub_small"], networks["hub_large"]
    assert _count(small, reverse("contacts:edit", args=[hub_small.pk])) == _count(
        large, reverse("contacts:edit", args=[hub_large.pk])
    )
