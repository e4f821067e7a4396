"""Result cards say what the last interaction was about, in one query per page."""

from datetime import date, time

import pytest
from django.contrib.auth.models import User
from django.db import connection
from django.test.utils import CaptureQueriesContext

from contacts.models import Contact, InteractionKind
from contacts.network import attach_last_summaries
from contacts.relationships import interaction_create
from tests.factories import ContactFactory

pytestmark = pytest.mark.django_db
DAY = date(2026, 3, 2)


def _log(owner: User, on: date, summary: str, *people: Contact, at: time | None = None) -> None:
    interaction_create(
        owner=owner,
        kind=InteractionKind.CALL,
        occurred_on=on,
        occurred_at=at,
        summary=summary,
        contacts=people,
    )


def _fresh(*people: Contact) -> list[Contact]:
    return [Contact.objects.get(pk=p.pk) for p in people]


def test_it_shows_the_latest_interaction_of_each_contacts_last_day(user: User) -> None:
    ann, bob, cy = (ContactFactory(owner=user) for _ in range(3))
    _log(user, date(2026, 1, 5), "Old news", ann, bob)
    _log(user, DAY, "Morning coffee", ann, at=time(9))
    _log(user, DAY, "Evening call", ann, at=time(19))
    _log(user, DAY, "Lunch", ann, bob, at=time(12))
    _log(user, date(2026, 2, 1), "Shared a link", bob)

    people = attach_last_summaries(_fresh(ann, bob, cy))

    # Bob's last day is 2 March too (lunch); Cy has no interaction at all.
    assert [p.last_summary for p in people] == ["Evening call", "Lunch", ""]  # type: ignore[attr-defined]  # set by attach_last_summaries()


def test_it_breaks_ties_within_a_day_by_the_newest_interaction(user: User) -> None:
    ann = ContactFactory(owner=user)
    _log(user, DAY, "First", ann)
    _log(user, DAY, "Second", ann)
    assert attach_last_summaries(_fresh(ann))[0].last_summary == "Second"  # type: ignore[attr-defined]


def test_it_reads_a_page_of_summaries_in_one_query(user: User) -> None:
    crowd = [ContactFactory(owner=user) for _ in range(12)]
    for n, person in enumerate(crowd):
        for day in range(1, 4):
            _log(user, date(2026, 1, day + n), f"Talk {n}-{day}", person, crowd[0])
    people = _fresh(*crowd)
    with CaptureQueriesContext(connection) as queries:
        attach_last_summaries(people)
    assert len(queries.captured_queries) == 1
    assert people[5].last_summary == "Talk 5-3"  # type: ignore[attr-defined]
