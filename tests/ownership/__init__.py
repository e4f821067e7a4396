"""The registry behind tests/test_ownership_sweep.py.

Every URL pattern of the project must be accounted for. Each area keeps its
own module here, `cases_<area>.py`, defining:

- `CASES`: {url name: OwnedUrl(...)} for every pattern that takes an object id
  (or token). `make(victim)` creates the victim's object and returns the URL
  kwargs plus a `snapshot()` callable; the sweep checks that another logged-in
  user gets 404 for each method and that the snapshot is unchanged after.
- `PUBLIC`: url names served without login (login page, health check, ...).

Patterns without arguments need no entry: the sweep checks that they send
anonymous visitors to the login page, unless they are PUBLIC.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.models import User
from django.db import models
from django.forms.models import model_to_dict
from django.test import Client
from django.urls import reverse

from tests.factories import ContactFactory

Snapshot = Callable[[], Any]
# tests/factories.py's UserFactory password.
DEFAULT_PASSWORD = "correct horse battery staple"


@dataclass(frozen=True)
class OwnedUrl:
    make: Callable[[User], tuple[dict[str, Any], Snapshot]]
    methods: tuple[str, ...] = ("get", "post")


def row_snapshot(obj: models.Model) -> Snapshot:
    """A snapshot of one row as stored (re-read each time), or None once deleted."""

    model = type(obj)

    def snapshot() -> Any:
        fresh = model._default_manager.filter(pk=obj.pk).first()
        if fresh is None:
            return None
        data = model_to_dict(fresh)
        return {
            key: (sorted(v.pk for v in value) if isinstance(value, list) else value)
            for key, value in data.items()
        }

    return snapshot


def log_in_freshly(client: Client, user: User, password: str = DEFAULT_PASSWORD) -> None:
    """Log in, and confirm the password again as allauth asks before changes to two-factor
    and passkeys: those pages then answer at once (for their owner-scoping to be tested)."""
    client.force_login(user)
    response = client.post(reverse("account_reauthenticate"), {"password": password})
    assert response.status_code == 302, response


Make = Callable[[User], tuple[dict[str, Any], Snapshot]]


def victims(factory: Callable[..., models.Model], *, key: str = "pk", **fields: Any) -> Make:
    """`make` for a row the victim owns: `factory(owner=victim, **fields)`, its id as `key`."""

    def make(victim: User) -> tuple[dict[str, Any], Snapshot]:
        row = factory(owner=victim, **fields)
        return {key: row.pk}, row_snapshot(row)

    return make


def on_victims_contact(
    factory: Callable[..., models.Model], *, key: str = "pk", **fields: Any
) -> Make:
    """`make` for a row of a contact of the victim's (a reminder, a position, ...)."""

    def make(victim: User) -> tuple[dict[str, Any], Snapshot]:
        row = factory(contact=ContactFactory(owner=victim), **fields)
        return {key: row.pk}, row_snapshot(row)

    return make
