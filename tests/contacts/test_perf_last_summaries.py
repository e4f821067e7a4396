"""Result cards say what the last interaction was about, read with the page itself."""

from datetime import date, time

import pytest
from django.apps import apps
from django.contrib.auth.models import User
from django.db import connection
from django.test.utils import CaptureQueriesContext

from contacts.models import Contact, Interaction, InteractionKind
from contacts.network import with_context
from contacts.relationships import interaction_delete, interaction_update
from tests.factories import ContactFactory, log_interaction

pytestmark = pytest.mark.django_db
DAY = date(2026, 3, 2)


def _log(
    owner: User, on: date, summary: str, *people: Contact, at: time | None = None
) -> Interaction:
    return log_interaction(
        owner, people, on=on, summary=summary, kind=InteractionKind.CALL, occurred_at=at
    )


def _fresh(*people: Contact) -> list[Contact]:
    found = {c.pk: c for c in with_context(Contact.objects.filter(pk__in=[p.pk for p in people]))}
    return [found[p.pk] for p in people]


def _summaries(*people: Contact) -> list[str]:
    return [p.last_summary for p in _fresh(*people)]  # type: ignore[attr-defined]  # annotated


def test_it_shows_the_latest_interaction_of_each_contacts_last_day(user: User) -> None:
    ann, bob, cy = (ContactFactory(owner=user) for _ in range(3))
    _log(user, date(2026, 1, 5), "Old news", ann, bob)
    _log(user, DAY, "Morning coffee", ann, at=time(9))
    _log(user, DAY, "Evening call", ann, at=time(19))
    _log(user, DAY, "Lunch", ann, bob, at=time(12))
    _log(user, date(2026, 2, 1), "Shared a link", bob)

    # Bob's last day is 2 March too (lunch); Cy has no interaction at all.
    assert _summaries(ann, bob, cy) == ["Evening call", "Lunch", ""]


def test_it_breaks_ties_within_a_day_by_the_newest_interaction(user: User) -> None:
    ann = ContactFactory(owner=user)
    _log(user, DAY, "First", ann)
    _log(user, DAY, "Second", ann)
    assert _summaries(ann) == ["Second"]


def test_it_reads_the_summaries_with_the_page_whatever_the_history(user: User) -> None:
    crowd = [ContactFactory(owner=user) for _ in range(12)]
    for n, person in enumerate(crowd):
        for day in range(1, 4):
            _log(user, date(2026, 1, day + n), f"Talk {n}-{day}", person, crowd[0])
    with CaptureQueriesContext(connection) as queries:
        people = list(with_context(Contact.objects.filter(owner=user).order_by("pk")))
    # The contacts with their summaries, then current positions, then tags.
    assert len(queries.captured_queries) == 3
    assert people[5].last_summary == "Talk 5-3"  # type: ignore[attr-defined]


def test_it_follows_edits_and_deletions(user: User) -> None:
    ann = ContactFactory(owner=user)
    older = _log(user, date(2026, 1, 5), "Old news", ann)
    newest = _log(user, DAY, "Lunch", ann)
    interaction_update(interaction=newest, summary="Long lunch")
    assert _summaries(ann) == ["Long lunch"]

    interaction_delete(interaction=newest)
    ann.refresh_from_db()
    assert (ann.last_interaction_id, ann.last_interaction_on) == (older.pk, date(2026, 1, 5))

    interaction_delete(interaction=older)
    ann.refresh_from_db()
    assert (ann.last_interaction_id, ann.last_interaction_on) == (None, None)
    assert _summaries(ann) == [""]


def test_moving_an_interaction_to_an_earlier_day_hands_last_over(user: User) -> None:
    ann = ContactFactory(owner=user)
    first = _log(user, date(2026, 1, 5), "Coffee", ann)
    second = _log(user, DAY, "Call", ann)
    interaction_update(interaction=second, occurred_on=date(2025, 12, 1))
    ann.refresh_from_db()
    assert (ann.last_interaction_id, ann.last_interaction_on) == (first.pk, date(2026, 1, 5))


def test_the_migration_fills_the_newest_interaction_in(user: User) -> None:
    from importlib import import_module

    migration = import_module("contacts.migrations.0004_contact_last_interaction")
    ann, bob = ContactFactory(owner=user), ContactFactory(owner=user)
    _log(user, date(2026, 1, 5), "Old news", ann, bob)
    lunch = _log(user, DAY, "Lunch", ann)
    Contact.objects.update(last_interaction=None)

    migration.fill_last_interaction(apps, None)

    assert _summaries(ann, bob) == ["Lunch", "Old news"]
    assert Contact.objects.get(pk=ann.pk).last_interaction_id == lunch.pk
