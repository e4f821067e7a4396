"""Imports of one owner run one after the other, so two at once never duplicate anyone."""

import threading
from collections.abc import Callable
from datetime import date

import pytest
from django.conf import settings
from django.contrib.auth.models import User

from contacts.importers import ImportReport, run_import
from contacts.models import Contact
from tests.concurrency import run_at_once
from tests.factories import ContactFactory, UserFactory

HEADER = "First Name,Last Name,URL,Email Address,Company,Position,Connected On\r\n"
ROWS = "".join(
    f"Person,{n},https://www.linkedin.com/in/person-{n},,Acme,Engineer,01 Jan 2024\r\n"
    for n in range(40)
)


def _import_twice_at_once(owners: list[User]) -> tuple[list[ImportReport], bool]:
    """Runs one import per owner in its own thread and connection, all at the same time.

    Each import waits (inside its transaction, after writing) until the others have got
    as far, for a few seconds at most: without the lock every one of them has matched
    against an account without the others' contacts by then; with it, the first gives
    up waiting, commits, and the next one starts from its result. Also says whether
    one of them gave up waiting (so one import waited for another).
    """
    meeting = threading.Barrier(len(owners), timeout=3)
    gave_up: list[bool] = []

    def progress(done: int, total: int) -> None:
        if done == total:
            try:
                meeting.wait()
            except threading.BrokenBarrierError:
                gave_up.append(True)

    def importer(owner: User) -> Callable[[], ImportReport]:
        return lambda: run_import(
            owner=owner,
            source="linkedin",
            data=(HEADER + ROWS).encode(),
            progress=progress,
            today=date(2026, 11, 29),
        )

    return run_at_once(*(importer(owner) for owner in owners)), bool(gave_up)


pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(not settings.IS_POSTGRES, reason="two connections at once need PostgreSQL"),
    pytest.mark.django_db(transaction=True),
]


def test_two_imports_of_the_same_file_at_once_create_everyone_once() -> None:
    owner = UserFactory(username="ingrid")
    (first, second), waited = _import_twice_at_once([owner, owner])
    assert waited
    assert Contact.objects.filter(owner=owner).count() == 40
    assert sorted([len(first.created), len(second.created)]) == [0, 40]


def test_imports_of_two_owners_do_not_wait_for_each_other() -> None:
    alice, bob = UserFactory(username="alice"), UserFactory(username="bob")
    ContactFactory(owner=alice, first_name="Already", last_name="Here")
    (first, second), waited = _import_twice_at_once([alice, bob])
    # Both met at the barrier, inside their transactions: neither waited for the other.
    assert not waited
    assert (len(first.created), len(second.created)) == (40, 40)
    assert Contact.objects.filter(owner=bob).count() == 40
