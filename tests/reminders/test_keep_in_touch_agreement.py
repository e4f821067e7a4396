"""Every page that shows keep-in-touch status agrees, right after whatever the person did.

The dashboard (its Keep in touch entries and its overdue glance), *Losing touch* and
the contact page read the same rule (reminders.keep_in_touch); these tests act the way
a person would, from each place, and then read all of them.
"""

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from contacts.models import Contact
from reminders.models import NoteDraft, ReminderStatus
from tests.reminders.overdue import TODAY, on_today, overdue_contact, overdue_round
from tests.types import ClientResponse

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def frozen() -> Iterator[object]:
    with on_today() as traveller:
        yield traveller


@pytest.fixture
def carla(user: User) -> Contact:
    """Close, last talked to 40 days ago: 10 days overdue, with the scan's reminder."""
    return overdue_contact(user, first_name="Carla", last_name="Diaz")


@dataclass(frozen=True)
class Seen:
    dashboard_entry: bool
    losing_touch: bool
    glance_overdue: int
    contact_page_due: bool


def _everywhere(client: Client, contact: Contact) -> Seen:
    board = client.get(reverse("reminders:dashboard")).content.decode()
    losing = client.get(reverse("contacts:losing_touch")).content.decode()
    page = client.get(contact.get_absolute_url()).content.decode()
    section = page.split('id="keep-in-touch"')[1].split("</section>")[0]
    glance = board.split('class="glance__number')[1].split(">")[1].split("<")[0]
    return Seen(
        dashboard_entry='id="group-touch"' in board and "Carla Diaz" in board,
        losing_touch="Carla Diaz" in losing,
        glance_overdue=int(glance),
        contact_page_due="Overdue by" in section,
    )


def _log_call(client: Client, contact: Contact, *, next: str, **options: Any) -> ClientResponse:
    """Log today's call with `contact` on the interaction page, coming from `next`."""
    data = {"kind": "call", "occurred_on": TODAY.isoformat(), "summary": "Caught up"}
    data |= {"contact": str(contact.pk), "next": next}
    return client.post(reverse("contacts:interaction_new"), data, **options)


def _log_from_dashboard(client: Client, contact: Contact) -> None:
    assert _log_call(client, contact, next=reverse("reminders:dashboard")).status_code == 302


def _log_from_contact_page(client: Client, contact: Contact) -> None:
    url = reverse("contacts:contact_interaction_new", args=[contact.pk])
    data = {"kind": "call", "occurred_on": TODAY.isoformat(), "summary": "Caught up"}
    assert client.post(url, data).status_code == 302


def _mark_note_sent(client: Client, contact: Contact) -> None:
    draft = NoteDraft.objects.create(
        owner=contact.owner, contact=contact, reminder=overdue_round(contact), body="Coffee soon?"
    )
    assert client.post(reverse("reminders:note_sent", args=[draft.pk])).status_code == 302


def _dashboard(action: str) -> Callable[[Client, Contact], None]:
    def act(client: Client, contact: Contact) -> None:
        url = reverse(f"reminders:reminder_{action}", args=[overdue_round(contact).pk])
        assert client.post(url, {"for": "week"}).status_code == 302

    return act


def _losing_touch_snooze(client: Client, contact: Contact) -> None:
    url = reverse("contacts:keep_in_touch_snooze", args=[contact.pk])
    assert client.post(url, {"days": "14"}).status_code == 302


def test_every_page_shows_an_overdue_contact_as_due(auth_client: Client, carla: Contact) -> None:
    assert _everywhere(auth_client, carla) == Seen(True, True, 1, True)


@pytest.mark.parametrize(
    "act",
    [_log_from_dashboard, _log_from_contact_page, _mark_note_sent],
    ids=["log from a list", "log on the contact page", "mark a note as sent"],
)
def test_after_a_conversation_no_page_calls_them_due(
    auth_client: Client, carla: Contact, act: Callable[[Client, Contact], None]
) -> None:
    act(auth_client, carla)
    assert _everywhere(auth_client, carla) == Seen(False, False, 0, False)
    assert overdue_round(carla).status == ReminderStatus.DONE
    page = auth_client.get(carla.get_absolute_url()).content.decode()
    assert "Next due on" in page


@pytest.mark.parametrize(
    ("act", "status", "says"),
    [
        (_dashboard("snooze"), ReminderStatus.SNOOZED, "Snoozed until"),
        (_dashboard("dismiss"), ReminderStatus.DISMISSED, "You dismissed this reminder"),
        (_dashboard("done"), ReminderStatus.DONE, "Marked done on"),
        (_losing_touch_snooze, ReminderStatus.SNOOZED, "Snoozed until"),
    ],
    ids=["dashboard snooze", "dashboard dismiss", "dashboard done", "losing touch snooze"],
)
def test_a_round_dealt_with_anywhere_is_off_every_list(
    auth_client: Client,
    carla: Contact,
    act: Callable[[Client, Contact], None],
    status: str,
    says: str,
) -> None:
    act(auth_client, carla)
    reminder = overdue_round(carla)
    assert reminder.status == status
    assert (reminder.completed_at is None) == (status == ReminderStatus.SNOOZED)
    seen = _everywhere(auth_client, carla)
    assert (seen.dashboard_entry, seen.losing_touch, seen.glance_overdue) == (False, False, 0)
    # Still overdue as a fact, and the contact page says what the person chose.
    assert seen.contact_page_due
    assert says in auth_client.get(carla.get_absolute_url()).content.decode()


def test_reopening_a_round_puts_it_back_everywhere(auth_client: Client, carla: Contact) -> None:
    _dashboard("dismiss")(auth_client, carla)
    auth_client.post(reverse("reminders:reminder_reopen", args=[overdue_round(carla).pk]))
    assert _everywhere(auth_client, carla) == Seen(True, True, 1, True)


def test_logging_from_a_list_lands_back_on_it_with_a_confirmation(
    auth_client: Client, carla: Contact
) -> None:
    for listing in (reverse("reminders:dashboard"), reverse("contacts:losing_touch") + "?page=1"):
        response = _log_call(auth_client, carla, next=listing, follow=True)
        assert response.redirect_chain == [(listing, 302)]
        assert "Logged “Caught up” with Carla Diaz." in response.content.decode()


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/", "javascript:x"])
def test_logging_never_redirects_off_site(auth_client: Client, carla: Contact, target: str) -> None:
    response = _log_call(auth_client, carla, next=target)
    assert response.status_code == 302
    assert response["Location"] == carla.get_absolute_url()


def test_the_dashboard_log_link_brings_the_person_back_to_the_dashboard(
    auth_client: Client, carla: Contact
) -> None:
    html = auth_client.get(reverse("reminders:dashboard")).content.decode()
    board = reverse("reminders:dashboard")
    assert f"?contact={carla.pk}&amp;next={board}%3Fweek%3D2026-11-16" in html
