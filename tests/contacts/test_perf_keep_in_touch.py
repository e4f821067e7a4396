"""Losing touch at scale: the index-friendly prefilter never changes who is due."""

from datetime import UTC, date, datetime, timedelta
from itertools import product

import pytest
import time_machine
from django.contrib.auth.models import User
from django.db import connection, transaction

from contacts.models import Contact, TrustLevel
from crm.models import UserSettings
from reminders.keep_in_touch import due_contacts, keep_in_touch_status

TODAY = date(2026, 11, 20)

pytestmark = pytest.mark.django_db


def _grid(owner: User) -> list[Contact]:
    """Every level, last interaction around its cadence, met on and own cadence."""
    made = []
    with time_machine.travel(datetime(2020, 1, 1, tzinfo=UTC), tick=False):
        for level, ago, met_on, own in product(
            [*TrustLevel.values, None],
            [None, 0, 6, 7, 8, 29, 30, 31, 400, 3650],
            [None, date(2019, 6, 1), TODAY - timedelta(days=2)],
            [None, 0, 7],
        ):
            made.append(
                Contact(
                    owner=owner,
                    first_name="Grid",
                    last_name=f"{level} {ago} {met_on} {own}",
                    trust_level=level,
                    met_on=met_on,
                    keep_in_touch_days=own,
                    last_interaction_on=None if ago is None else TODAY - timedelta(days=ago),
                )
            )
        return Contact.objects.bulk_create(made)


def test_it_finds_exactly_the_contacts_the_python_status_calls_due(user: User) -> None:
    prefs = UserSettings.for_user(user)
    # Non-default cadences: met and unrated have one, following a ten-year one.
    prefs.cadence_met = 7
    prefs.cadence_unrated = 30
    prefs.cadence_following = 3650
    prefs.save()
    people = _grid(user)
    # A row whose level is outside the choices counts as unrated, in SQL as in Python.
    Contact.objects.filter(pk=people[0].pk).update(trust_level="")
    people[0].refresh_from_db()

    expected = {p.pk for p in people if keep_in_touch_status(p, prefs, TODAY).is_due}
    found = set(due_contacts(user, prefs, TODAY).values_list("pk", flat=True))

    assert found == expected
    assert 100 < len(expected) < len(people)  # the grid has both sides of every boundary


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL plans")
def test_it_finds_due_contacts_through_the_indexes_not_a_table_scan(user: User) -> None:
    prefs = UserSettings.for_user(user)
    # Most people were seen recently; a few are overdue.
    Contact.objects.bulk_create(
        Contact(
            owner=user,
            first_name="Seen",
            last_name=str(n),
            trust_level=TrustLevel.values[n % len(TrustLevel.values)],
            last_interaction_on=TODAY - timedelta(days=400 if n % 50 == 0 else n % 20),
        )
        for n in range(1000)
    )
    sql, params = due_contacts(user, prefs, TODAY).query.sql_with_params()
    with transaction.atomic(), connection.cursor() as cursor:
        # A test table is small, so make the planner show what it would do on a big one.
        cursor.execute("ANALYZE contacts_contact")
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute(f"EXPLAIN {sql}", params)
        plan = [row[0] for row in cursor.fetchall()]
    # The index narrows by last interaction, not just by owner.
    assert any("Index Cond" in line and "last_interaction_on <=" in line for line in plan), plan
