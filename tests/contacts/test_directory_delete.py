"""The delete confirmation names everything that goes, with counts that match the delete."""

from datetime import date

import pytest
from django.contrib.auth.models import User
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from contacts.models import Contact, ContactEmail, ContactPhone, Interaction, Position
from contacts.services import contact_delete, contact_delete_preview
from reminders.models import CustomDate, NoteDraft, Reminder, ReminderKind, ReminderStatus
from tests.factories import (
    ContactEmailFactory,
    ContactFactory,
    ContactPhoneFactory,
    CustomDateFactory,
    NoteDraftFactory,
    PositionFactory,
    ReminderFactory,
    log_interaction,
)

pytestmark = pytest.mark.django_db

MODELS = (ContactEmail, ContactPhone, Position, CustomDate, Reminder, NoteDraft, Interaction)


def _log(owner: User, *people: Contact) -> Interaction:
    return log_interaction(owner, people, on=date(2026, 1, 2))


def _full_life(owner: User, friend: Contact) -> Contact:
    ada = ContactFactory(owner=owner, first_name="Ada", last_name="Lovelace")
    ContactEmailFactory.create_batch(2, contact=ada)
    ContactPhoneFactory(contact=ada)
    PositionFactory(contact=ada, end_date=None)
    PositionFactory.create_batch(
        2, contact=ada, start_date=date(2015, 1, 1), end_date=date(2020, 1, 1)
    )
    CustomDateFactory.create_batch(2, contact=ada)
    ReminderFactory(contact=ada, kind=ReminderKind.BIRTHDAY, status=ReminderStatus.OPEN)
    ReminderFactory(contact=ada, kind=ReminderKind.CUSTOM, status=ReminderStatus.DONE)
    NoteDraftFactory(contact=ada)
    NoteDraftFactory.create_batch(2, contact=ada, sent_at=timezone.now())
    _log(owner, ada)
    _log(owner, ada)
    _log(owner, ada, friend)
    for name in ("Zed", "Bea", "Cal", "Dot", "Eve", "Fay", "Gus"):
        ContactFactory(owner=owner, first_name=name, last_name="Intro", introduced_by=ada)
    return ada


def _counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in MODELS}


def test_the_preview_counts_exactly_what_the_delete_removes(user: User, other_user: User) -> None:
    friend = ContactFactory(owner=user, first_name="Alan")
    ada = _full_life(user, friend)
    # Someone else's look-alike must not be counted.
    _full_life(other_user, ContactFactory(owner=other_user))
    ReminderFactory(contact=friend)

    goes = contact_delete_preview(contact=ada)
    before = _counts()
    contact_delete(contact=ada)
    gone = {name: before[name] - count for name, count in _counts().items()}

    assert gone == {
        "ContactEmail": goes.emails,
        "ContactPhone": goes.phones,
        "Position": goes.positions,
        "CustomDate": goes.dates_to_remember,
        "Reminder": goes.reminders,
        "NoteDraft": goes.drafts + goes.sent_notes,
        "Interaction": goes.solo_interactions,
    }
    assert (goes.emails, goes.phones, goes.positions, goes.dates_to_remember) == (2, 1, 3, 2)
    # The scan run by logging the calls may have raised reminders of its own: count them all.
    assert goes.reminders >= 2 and goes.open_reminders == goes.reminders - 1
    assert (goes.drafts, goes.sent_notes) == (1, 2)
    assert (goes.solo_interactions, goes.shared_interactions) == (2, 1)
    assert goes.introduced == 7
    assert goes.introduced_names == [f"{n} Intro" for n in ("Bea", "Cal", "Dot", "Eve", "Fay")]
    assert goes.introduced_more == 2
    kept = Contact.objects.filter(owner=user, last_name="Intro")
    assert kept.count() == 7 and not kept.filter(introduced_by__isnull=False).exists()


def test_the_confirmation_page_lists_everything_that_goes(auth_client: Client, user: User) -> None:
    ada = _full_life(user, ContactFactory(owner=user, first_name="Alan"))
    html = auth_client.get(reverse("contacts:delete", args=[ada.pk])).content.decode()
    goes = contact_delete_preview(contact=ada)
    for line in (
        "2 email addresses and 1 phone number",
        "3 positions in their career history",
        "2 dates to remember",
        f"{goes.reminders} reminders ({goes.open_reminders} still open or snoozed)",
        "1 unsent draft",
        "2 sent notes",
        "2 interactions</strong> logged only with Ada",
        "1 interaction shared with other people stays, without Ada.",
        "7 people Ada introduced you to (Bea Intro, Cal Intro, Dot Intro, Eve Intro, Fay Intro "
        "and 2 more) keep their record but lose the “introduced by” link.",
    ):
        assert line in html, line
    assert Contact.objects.filter(pk=ada.pk).exists()


def test_a_contact_with_nothing_else_says_so(auth_client: Client, user: User) -> None:
    lone = ContactFactory(owner=user, first_name="Lone")
    html = auth_client.get(reverse("contacts:delete", args=[lone.pk])).content.decode()
    assert "nothing else" in html
    assert "introduced you to" not in html and "shared with other people" not in html


def test_the_preview_takes_a_fixed_number_of_queries(user: User) -> None:
    friend = ContactFactory(owner=user)
    small = ContactFactory(owner=user)
    big = _full_life(user, friend)
    with CaptureQueriesContext(connection) as few:
        contact_delete_preview(contact=small)
    with CaptureQueriesContext(connection) as many:
        contact_delete_preview(contact=big)
    assert len(many.captured_queries) == len(few.captured_queries)


def test_another_users_contact_is_a_404(auth_client: Client, other_user: User) -> None:
    theirs = ContactFactory(owner=other_user)
    assert auth_client.get(reverse("contacts:delete", args=[theirs.pk])).status_code == 404
