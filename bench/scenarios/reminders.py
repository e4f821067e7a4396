"""The daily reminder scan: one big account, and a hundred ordinary ones.

Each timed call is a real scan of "today" after a first (untimed) scan has
stored the fortnight's reminders, which is what every day but the first looks
like: load the facts, compute the occasions, and meet the existing rows.
"""

from collections.abc import Callable
from datetime import date
from typing import Any

from django.contrib.auth.models import User
from django.core.management import call_command
from django.db import connection

from bench.framework import Context, scenario
from contacts.models import Position
from reminders.scan import scan_user

FLEET_USERS = 100
FLEET_CONTACTS = 300
FLEET_PREFIX = "benchfleet"


def _today(ctx: Context) -> date:
    return date.today()


def _analyze() -> None:
    """Planner statistics as autovacuum keeps them on a live server.

    The runner times right after bulk-seeding; without statistics PostgreSQL
    guesses a handful of rows per table and picks plans no live server would.
    """
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "VACUUM ANALYZE contacts_contact, contacts_position, reminders_customdate, "
                "reminders_reminder, crm_usersettings"
            )


def _first_scan(users: list[User], today: date) -> None:
    """The fortnight's reminders as any day but the very first finds them."""
    for user in users:
        scan_user(user=user, today=today)
    _analyze()


@scenario("reminder_scan_one_user", repeat=5, target_ms=5000, max_growth=None)
def scan_one_user(ctx: Context) -> Callable[[], Any]:
    """One user's scan; at 30,000 contacts seed_demo gives about 10,000 current positions."""
    today = _today(ctx)
    current = Position.objects.filter(contact__owner=ctx.user, end_date__isnull=True).count()
    print(f"# reminder_scan_one_user: {ctx.size} contacts, {current} current positions")
    _first_scan([ctx.user], today)

    def call() -> int:
        return scan_user(user=ctx.user, today=today)

    return call


def _fleet() -> list[User]:
    """100 users of 300 contacts each, seeded once per benchmark database."""
    users = []
    for n in range(FLEET_USERS):
        username = f"{FLEET_PREFIX}{n:03d}"
        user = User.objects.filter(username=username).first()
        if user is None:
            call_command(
                "seed_demo",
                user=username,
                contacts=FLEET_CONTACTS,
                interactions=FLEET_CONTACTS * 3,
                seed=n + 1,
                verbosity=0,
            )
            user = User.objects.get(username=username)
        users.append(user)
    return users


@scenario("reminder_scan_100_users", repeat=3, target_ms=10000)
def scan_fleet(ctx: Context) -> Callable[[], Any]:
    """The daily scan over 100 users of 300 contacts (the same at every dataset size)."""
    users = _fleet()
    today = _today(ctx)
    _first_scan(users, today)

    def call() -> int:
        return sum(scan_user(user=user, today=today) for user in users)

    return call
