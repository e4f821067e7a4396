"""What an unchanged sync costs, and that making it cheap loses no change: a contact saved
in a transaction that commits after a sync looked still reaches the phone."""

import threading
from datetime import timedelta

import pytest
from django.contrib.auth.models import User
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from carddav import refresh
from carddav.models import AppPassword, Card, SyncSettings
from contacts.models import Contact
from contacts.services import contact_update
from tests.carddav.conftest import DavClient
from tests.carddav.messages import COLLECTION, hrefs, sync_token
from tests.factories import ContactFactory, UserFactory


@pytest.mark.django_db
def test_an_unchanged_sync_takes_no_lock_writes_nothing_and_reads_no_card(
    user: User, dav: DavClient
) -> None:
    ContactFactory.create_batch(5, owner=user)
    token = sync_token(dav.sync().content)
    dav.sync(token)  # last_used_at recorded
    with CaptureQueriesContext(connection) as queries:
        again = dav.sync(token)
    assert hrefs(again.content) == [] and sync_token(again.content) == token
    sql = [q["sql"] for q in queries.captured_queries]
    assert len(sql) == 2, sql  # the app password; the settings with what changed
    assert not [s for s in sql if "FOR UPDATE" in s or s.startswith(("UPDATE", "INSERT"))]
    assert not [s for s in sql if s.startswith('SELECT "carddav_card"')]


@pytest.mark.django_db
def test_a_change_after_an_unchanged_sync_reaches_the_next_one(user: User, dav: DavClient) -> None:
    ada, ben = ContactFactory.create_batch(2, owner=user)
    token = sync_token(dav.sync().content)
    assert hrefs(dav.sync(token).content) == []
    contact_update(contact=ada, notes="Met at PyCon")
    ben.delete()
    body = dav.sync(token).content
    cards = {c.contact_id: c.name for c in Card.objects.filter(owner=user)}
    assert hrefs(body)[0] == COLLECTION + cards[ada.pk]
    assert b"HTTP/1.1 404" in body and sync_token(body) != token


@pytest.mark.skipif(connection.vendor != "postgresql", reason="reads pg_stat_activity")
@pytest.mark.django_db(transaction=True)
def test_a_save_that_commits_after_a_sync_looked_still_reaches_the_phone(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The mark a sync leaves is before the start of every transaction still open then:
    a contact saved in one that commits later (with an earlier updated_at than the
    commit) is looked at by the next sync."""
    monkeypatch.setattr(refresh, "MARGIN", timedelta(seconds=0.3))
    owner = UserFactory()
    dav = DavClient(owner, AppPassword.issue(owner=owner, name="phone")[1])
    late, other = ContactFactory.create_batch(2, owner=owner)
    token = sync_token(dav.sync().content)
    saved, go = threading.Event(), threading.Event()

    def slow_request() -> None:
        try:
            with transaction.atomic():
                contact_update(contact=Contact.objects.get(pk=late.pk), notes="Saved late")
                saved.set()
                go.wait(10)
        finally:
            connection.close()

    worker = threading.Thread(target=slow_request)
    worker.start()
    assert saved.wait(10)
    threading.Event().wait(0.6)  # longer than the margin: only the open transaction counts
    contact_update(contact=other, notes="Saved and committed")
    first = dav.sync(token).content
    checked_at = SyncSettings.objects.get(owner=owner).checked_at
    go.set()
    worker.join(10)
    late.refresh_from_db()
    assert late.notes == "Saved late" and checked_at is not None
    assert late.updated_at >= checked_at  # the mark stayed before the open transaction
    second = dav.sync(sync_token(first)).content
    assert hrefs(second) == [COLLECTION + Card.objects.get(contact=late).name]
