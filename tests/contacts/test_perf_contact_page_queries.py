"""The contact page's query count does not grow with what a contact has."""

from datetime import date, timedelta
from functools import partial

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.utils import timezone

from contacts.models import Contact, InteractionKind, Promise, PromiseBy
from tests.factories import (
    ContactEmailFactory,
    ContactFactory,
    ContactPhoneFactory,
    CustomDateFactory,
    NoteDraftFactory,
    PositionFactory,
    log_interaction,
)
from tests.queries import assert_flat, queries_to_get

pytestmark = pytest.mark.django_db


def _give(owner: User, ann: Contact, n: int, start: int) -> None:
    """n more of everything the page shows: interactions (with other people,
    introductions among them), jobs, notes, promises, dates, emails, phones."""
    for i in range(start, start + n):
        other = ContactFactory(owner=owner, introduced_by=ann)
        # Every fourth an introduction, from the first: the sections show both kinds.
        kind = InteractionKind.INTRODUCTION if i % 4 == 0 else InteractionKind.CALL
        log_interaction(
            owner, [ann, other], on=date.today() - timedelta(days=i), summary=f"Talk {i}", kind=kind
        )
        PositionFactory(
            contact=ann,
            company=f"Company {i}",
            start_date=date(2000 + i % 20, 1, 1),
            end_date=date(2001 + i % 20, 1, 1),
        )
        sent = timezone.now() if i % 2 else None
        NoteDraftFactory(contact=ann, subject=f"Note {i}", sent_at=sent)
        Promise.objects.create(
            owner=owner,
            contact=ann,
            text=f"Promise {i}",
            made_by=PromiseBy.ME,
            kept_on=date.today() if i % 2 else None,
        )
        CustomDateFactory(contact=ann, label=f"Date {i}")
        ContactEmailFactory(contact=ann)
        ContactPhoneFactory(contact=ann)


def test_it_keeps_the_query_count_flat_for_a_long_rich_history(
    auth_client: Client, user: User
) -> None:
    ann = ContactFactory(owner=user, tags=["friends", "work"])
    PositionFactory(contact=ann, company="Northwind", title="Head of Design")
    _give(user, ann, 2, 0)  # one of each kind, so nothing is skipped for being absent
    # assert_flat visits once before counting: the first visit creates the user's settings.
    assert_flat(
        partial(queries_to_get, auth_client, ann.get_absolute_url()),
        partial(_give, user, ann, 30, 2),
    )
