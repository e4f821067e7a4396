"""A contact with a long history: its interactions come from the link table's index."""

from datetime import date, timedelta

import pytest
from django.contrib.auth.models import User
from django.db import connection, transaction

from contacts.models import Contact, Interaction, InteractionKind
from contacts.relationships import interactions_of
from tests.factories import ContactFactory, log_interaction

pytestmark = pytest.mark.django_db


def _history(owner: User, contact: Contact, other: Contact) -> None:
    for n in range(6):
        kind = InteractionKind.INTRODUCTION if n % 2 else InteractionKind.CALL
        log_interaction(
            owner,
            [contact, other] if n < 3 else [other],
            on=date(2026, 1, 1) + timedelta(days=n),
            summary=f"Talk {n}",
            kind=kind,
        )


def test_it_finds_exactly_the_contacts_interactions(user: User, other_user: User) -> None:
    ann, bob = ContactFactory(owner=user), ContactFactory(owner=user)
    _history(user, ann, bob)
    theirs = ContactFactory(owner=other_user)
    _history(other_user, theirs, ContactFactory(owner=other_user))

    assert set(interactions_of(ann)) == set(Interaction.objects.filter(contacts=ann))
    assert interactions_of(ann).count() == 3
    intros = interactions_of(ann).filter(kind=InteractionKind.INTRODUCTION)
    assert [i.summary for i in intros] == ["Talk 1"]
    assert not interactions_of(ContactFactory(owner=user)).exists()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL plans")
def test_it_reads_the_ids_first_and_probes_the_primary_key(user: User) -> None:
    ann, bob = ContactFactory(owner=user), ContactFactory(owner=user)
    _history(user, ann, bob)
    query = interactions_of(ann).filter(kind=InteractionKind.INTRODUCTION).order_by("-occurred_on")
    sql, params = query.query.sql_with_params()
    with transaction.atomic(), connection.cursor() as cursor:
        # Joined, the planner hashes every interaction of the kind on a big table (30 ms
        # for 1,000 of 300,000); this shape cannot: the ids come first, once.
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute(f"EXPLAIN {sql}", params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "InitPlan" in plan, plan
    assert "Hash Join" not in plan, plan
