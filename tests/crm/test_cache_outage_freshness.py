"""With Redis away, pages built from a person's data never show what another process
has changed since: nothing is cached in one process's memory, and what Redis kept from
before the outage is forgotten when it answers again (crm/cache.py, crm/data_version.py).

"Another process" is a queryset `.update()`: it sends no signal, as a change made by
another web worker or the Celery worker reaches this process only through the database.
"""

import os
import signal
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from api.models import AccessToken, TokenScope
from contacts.models import Contact, Interaction
from crm import cache as failsoft
from tests.crm.outage import PrivateRedis, free_port, redis_at
from tests.factories import ContactFactory, InteractionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def ada(user: User) -> Contact:
    contact = ContactFactory(owner=user, first_name="Ada", last_name="Lovelace")
    InteractionFactory(owner=user, contacts=[contact], summary="Lunch at the Royal Society")
    return contact


def _retell(contact: Contact) -> None:
    """Another process changes the summary: no signal here, only the database knows."""
    Interaction.objects.filter(contacts=contact).update(summary="Tea with Babbage")


def _contact_page(client: Client, contact: Contact) -> str:
    return client.get(reverse("contacts:detail", args=[contact.pk])).text


def _settled_contact_page(client: Client, contact: Contact) -> str:
    """The page once the first visit's own writes (settings made on first use) are done."""
    _contact_page(client, contact)
    return _contact_page(client, contact)


@pytest.fixture
def redis_down() -> Iterator[None]:
    with redis_at(f"redis://127.0.0.1:{free_port()}/0"):
        yield


def test_the_contact_page_shows_a_change_made_elsewhere_while_redis_is_down(
    redis_down: None, auth_client: Client, ada: Contact
) -> None:
    assert "Lunch at the Royal Society" in _settled_contact_page(auth_client, ada)
    assert failsoft.cache_is_down()
    _retell(ada)
    assert "Tea with Babbage" in _contact_page(auth_client, ada)


def test_the_api_shows_a_change_made_elsewhere_while_redis_is_down(
    redis_down: None, user: User, ada: Contact
) -> None:
    _, secret = AccessToken.issue(owner=user, name="outage", scope=TokenScope.READ)
    headers = {"Authorization": f"Bearer {secret}"}
    client = Client()
    assert "Ada" in client.get("/api/v1/contacts", headers=headers).text
    assert failsoft.cache_is_down()
    Contact.objects.filter(pk=ada.pk).update(first_name="Augusta")
    assert "Augusta" in client.get("/api/v1/contacts", headers=headers).text


@pytest.mark.django_db(transaction=True)
def test_what_redis_kept_from_before_an_outage_is_not_shown_after_it(
    tmp_path: Path, auth_client: Client, ada: Contact, monkeypatch: pytest.MonkeyPatch
) -> None:
    server = PrivateRedis(tmp_path)
    server.start()
    assert server.process is not None
    try:
        with redis_at(server.url):
            assert "Royal Society" in _settled_contact_page(auth_client, ada)  # kept in Redis
            os.kill(server.process.pid, signal.SIGSTOP)  # hangs, keeping all it holds
            try:
                assert "Royal Society" in _contact_page(auth_client, ada)
                assert failsoft.cache_is_down()
                _retell(ada)
            finally:
                os.kill(server.process.pid, signal.SIGCONT)
            monkeypatch.setattr(failsoft._outage, "retry_at", 0.0)  # ask Redis again now
            page = _contact_page(auth_client, ada)
            assert not failsoft.cache_is_down()
            assert "Tea with Babbage" in page
            # Cached again in Redis from here on: the next view is the same page.
            assert "Tea with Babbage" in _contact_page(auth_client, ada)
    finally:
        server.stop()
