"""Snooze, dismiss, done and reopen: in place over htmx, and as plain forms.

Over htmx the entry is replaced by a one-line confirmation with Undo (focused through
`autofocus`), and the counts that moved come along out of band. Without JavaScript
the list comes back with the same line in the entry's place.
"""

import datetime as dt
import re
from html import unescape
from urllib.parse import parse_qs, urlsplit

import pytest
import time_machine
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from reminders.models import Reminder, ReminderKind, ReminderStatus
from tests.factories import ContactFactory, ReminderFactory
from tests.types import ClientResponse

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen")]

TODAY = dt.date(2026, 11, 18)
HTMX = {"HX-Request": "true"}


@pytest.fixture
def reminder(user: User) -> Reminder:
    contact = ContactFactory(owner=user, first_name="Maya", last_name="Okafor")
    return ReminderFactory(contact=contact, due_on=TODAY + dt.timedelta(days=1))


def _shown(response: ClientResponse) -> set[int]:
    return {r.pk for g in response.context["groups"] for r in g.entries}


def _settled_line(html: str, reminder: Reminder) -> str:
    start = html.index(f'<li class="entry entry--settled" id="reminder-{reminder.pk}"')
    return html[start : html.index("</li>", start)]


@pytest.mark.parametrize(
    ("choice", "until"),
    [("day", dt.date(2026, 11, 19)), ("week", dt.date(2026, 11, 25))],
)
def test_it_snoozes_in_place_over_htmx(
    auth_client: Client, reminder: Reminder, choice: str, until: dt.date
) -> None:
    url = reverse("reminders:reminder_snooze", args=[reminder.pk])
    response = auth_client.post(url, {"for": choice, "week": "", "trust": ""}, headers=HTMX)
    assert response.status_code == 200
    html = response.content.decode()
    assert html.lstrip().startswith(f'<li class="entry entry--settled" id="reminder-{reminder.pk}"')
    line = _settled_line(html, reminder)
    assert f"Snoozed Maya Okafor until {until:%a} {until.day} {until:%b}" in line
    assert 'tabindex="-1" autofocus' in line, "focus moves to the confirmation"
    reopen = reverse("reminders:reminder_reopen", args=[reminder.pk])
    assert f'hx-post="{reopen}"' in line and ">Undo</button>" in line
    assert f'hx-target="#reminder-{reminder.pk}"' in line, "Undo swaps back in place"
    assert '<span class="badge" id="group-birthday-count" hx-swap-oob="true">0</span>' in html
    assert "<html" not in html
    reminder.refresh_from_db()
    assert (reminder.status, reminder.snoozed_until) == (ReminderStatus.SNOOZED, until)


def test_it_snoozes_until_a_chosen_date_with_a_plain_form(
    auth_client: Client, reminder: Reminder
) -> None:
    url = reverse("reminders:reminder_snooze", args=[reminder.pk])
    response = auth_client.post(url, {"for": "date", "until": "2026-12-24", "week": "2026-11-16"})
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("reminders:dashboard") + "?week=2026-11-16")
    reminder.refresh_from_db()
    assert reminder.snoozed_until == dt.date(2026, 12, 24)
    page = auth_client.get(response["Location"])
    assert "Snoozed Maya Okafor until" in page.content.decode()


@pytest.mark.parametrize("until", ["", "2026-11-18", "2025-01-01", "2031-01-01", "tomorrow"])
def test_it_rejects_a_bad_snooze_date_without_changing_anything(
    auth_client: Client, reminder: Reminder, until: str
) -> None:
    url = reverse("reminders:reminder_snooze", args=[reminder.pk])
    response = auth_client.post(url, {"for": "date", "until": until}, headers=HTMX)
    assert response.status_code == 200
    html = response.content.decode()
    assert html.lstrip().startswith(f'<li class="entry" id="reminder-{reminder.pk}"')
    assert 'class="message message--error entry__error" role="alert"' in html
    reminder.refresh_from_db()
    assert reminder.status == ReminderStatus.OPEN and reminder.snoozed_until is None
    plain = auth_client.post(url, {"for": "date", "until": until})
    assert plain.status_code == 302
    reminder.refresh_from_db()
    assert reminder.status == ReminderStatus.OPEN


def test_it_dismisses_in_place(auth_client: Client, reminder: Reminder) -> None:
    url = reverse("reminders:reminder_dismiss", args=[reminder.pk])
    response = auth_client.post(url, headers=HTMX)
    assert response.status_code == 200
    line = _settled_line(response.content.decode(), reminder)
    assert "Dismissed the birthday of Maya Okafor" in line
    reminder.refresh_from_db()
    assert reminder.status == ReminderStatus.DISMISSED


def test_it_dismisses_with_a_plain_form(auth_client: Client, reminder: Reminder) -> None:
    response = auth_client.post(reverse("reminders:reminder_dismiss", args=[reminder.pk]))
    assert response.status_code == 302
    reminder.refresh_from_db()
    assert reminder.status == ReminderStatus.DISMISSED


def test_it_marks_done_and_lists_it_under_done_this_week(
    auth_client: Client, reminder: Reminder
) -> None:
    response = auth_client.post(
        reverse("reminders:reminder_done", args=[reminder.pk]), headers=HTMX
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "Done: birthday of Maya Okafor" in _settled_line(html, reminder)
    assert [r.pk for r in response.context["done"]] == [reminder.pk]
    assert (
        '<section class="card" id="done" aria-labelledby="done-title" hx-swap-oob="true">' in html
    )
    assert f'id="done-{reminder.pk}"' in html
    reminder.refresh_from_db()
    assert reminder.status == ReminderStatus.DONE and reminder.completed_at is not None


def test_it_marks_done_with_a_plain_form(auth_client: Client, reminder: Reminder) -> None:
    response = auth_client.post(reverse("reminders:reminder_done", args=[reminder.pk]))
    assert response.status_code == 302
    page = auth_client.get(reverse("reminders:dashboard"))
    assert [r.pk for r in page.context["done"]] == [reminder.pk]


def test_it_keeps_last_weeks_done_out_of_this_week(auth_client: Client, reminder: Reminder) -> None:
    with time_machine.travel(dt.datetime(2026, 11, 10, 12, 0, tzinfo=dt.UTC), tick=False):
        auth_client.post(reverse("reminders:reminder_done", args=[reminder.pk]))
    assert auth_client.get(reverse("reminders:dashboard")).context["done"] == []
    last_week = auth_client.get(reverse("reminders:dashboard"), {"week": "2026-11-09"})
    assert [r.pk for r in last_week.context["done"]] == [reminder.pk]


@pytest.mark.parametrize("status", [ReminderStatus.DONE, ReminderStatus.DISMISSED])
def test_it_reopens_with_undo(auth_client: Client, reminder: Reminder, status: str) -> None:
    action = "reminder_done" if status == ReminderStatus.DONE else "reminder_dismiss"
    auth_client.post(reverse(f"reminders:{action}", args=[reminder.pk]), headers=HTMX)
    response = auth_client.post(
        reverse("reminders:reminder_reopen", args=[reminder.pk]), headers=HTMX
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert html.lstrip().startswith(
        f'<li class="entry" id="reminder-{reminder.pk}" tabindex="-1" autofocus>'
    ), "the entry comes back where the confirmation was, focused"
    assert "Draft note" in html
    assert '<span class="badge" id="group-birthday-count" hx-swap-oob="true">1</span>' in html
    reminder.refresh_from_db()
    assert (reminder.status, reminder.completed_at) == (ReminderStatus.OPEN, None)


def test_without_javascript_undo_brings_the_entry_back_focused(
    auth_client: Client, reminder: Reminder
) -> None:
    auth_client.post(reverse("reminders:reminder_dismiss", args=[reminder.pk]))
    response = auth_client.post(reverse("reminders:reminder_reopen", args=[reminder.pk]))
    assert response.status_code == 302
    assert response["Location"].endswith(f"#reminder-{reminder.pk}")
    html = auth_client.get(response["Location"]).content.decode()
    assert f'<li class="entry" id="reminder-{reminder.pk}" tabindex="-1" autofocus>' in html


def test_it_keeps_the_week_and_trust_filter_after_an_action(
    auth_client: Client, reminder: Reminder
) -> None:
    url = reverse("reminders:reminder_dismiss", args=[reminder.pk])
    response = auth_client.post(url, {"week": "2026-11-23", "trust": "close"}, headers=HTMX)
    assert response.context["week"].starts_on == dt.date(2026, 11, 23)
    assert response.context["query"]["trust"] == "close"
    html = response.content.decode()
    assert '<input type="hidden" name="week" value="2026-11-23">' in html
    assert '<input type="hidden" name="trust" value="close">' in html
    plain = auth_client.post(
        reverse("reminders:reminder_reopen", args=[reminder.pk]),
        {"week": "2026-11-23", "trust": "close"},
    )
    assert "week=2026-11-23&trust=close" in plain["Location"]


@pytest.mark.parametrize("action", ["snooze", "dismiss", "done", "reopen"])
def test_it_404s_for_another_users_reminder(
    auth_client: Client, other_user: User, action: str
) -> None:
    theirs = ReminderFactory(contact=ContactFactory(owner=other_user))
    url = reverse(f"reminders:reminder_{action}", args=[theirs.pk])
    assert auth_client.post(url, {"for": "week"}, headers=HTMX).status_code == 404
    assert auth_client.post(url, {"for": "week"}).status_code == 404
    theirs.refresh_from_db()
    assert theirs.status == ReminderStatus.OPEN


@pytest.mark.parametrize("action", ["snooze", "dismiss", "done", "reopen"])
def test_it_refuses_get_for_actions(auth_client: Client, reminder: Reminder, action: str) -> None:
    response = auth_client.get(reverse(f"reminders:reminder_{action}", args=[reminder.pk]))
    assert response.status_code == 405


@pytest.mark.parametrize("action", ["reminder_snooze", "reminder_dismiss", "reminder_done"])
def test_without_javascript_the_next_page_settles_the_entry_in_place_once(
    auth_client: Client, user: User, reminder: Reminder, action: str
) -> None:
    earlier = ReminderFactory(contact=ContactFactory(owner=user), due_on=TODAY)
    later = ReminderFactory(contact=ContactFactory(owner=user), due_on=TODAY + dt.timedelta(2))
    url = reverse(f"reminders:{action}", args=[reminder.pk])
    response = auth_client.post(url, {"for": "week", "week": "", "trust": ""})
    assert response.status_code == 302
    assert response["Location"].endswith(f"#reminder-{reminder.pk}")

    html = auth_client.get(response["Location"]).content.decode()

    line = _settled_line(html, reminder)
    assert "Maya Okafor" in line and "autofocus" in line
    reopen = reverse("reminders:reminder_reopen", args=[reminder.pk])
    assert f'<form method="post" action="{reopen}"' in line
    # In the entry's place: between the birthdays due before and after it.
    assert (
        html.index(f'id="reminder-{earlier.pk}"')
        < html.index(f'id="reminder-{reminder.pk}"')
        < html.index(f'id="reminder-{later.pk}"')
    )
    assert 'class="message message--success' not in html, "the message shows twice"
    again = auth_client.get(response["Location"]).content.decode()
    assert f'id="reminder-{reminder.pk}"' not in again


def test_an_undo_offer_for_someone_elses_reminder_shows_nothing(
    auth_client: Client, other_user: User
) -> None:
    theirs = ReminderFactory(contact=ContactFactory(owner=other_user), status=ReminderStatus.DONE)
    html = auth_client.get(reverse("reminders:dashboard"), {"undo": theirs.pk}).content.decode()
    assert reverse("reminders:reminder_reopen", args=[theirs.pk]) not in html


def test_logging_an_interaction_from_the_list_comes_back_settled_in_place(
    auth_client: Client, user: User
) -> None:
    contact = ContactFactory(owner=user, first_name="Carla", last_name="Diaz")
    touch = ReminderFactory(
        contact=contact, kind=ReminderKind.KEEP_IN_TOUCH, due_on=TODAY - dt.timedelta(days=9)
    )
    html = auth_client.get(reverse("reminders:dashboard")).content.decode()
    link = re.search(r'href="([^"]*)">Log interaction<span', html)
    assert link is not None
    query = parse_qs(urlsplit(unescape(link.group(1))).query)
    assert query["contact"] == [str(contact.pk)]

    response = auth_client.post(
        reverse("contacts:interaction_new"),
        {
            "kind": "call",
            "occurred_on": TODAY.isoformat(),
            "summary": "Caught up",
            "contact": contact.pk,
            "next": query["next"][0],
        },
        follow=True,
    )

    page = response.content.decode()
    line = _settled_line(page, touch)
    assert "Logged “Caught up” with Carla Diaz." in line and "autofocus" in line
    assert reverse("reminders:reminder_reopen", args=[touch.pk]) in line
    touch.refresh_from_db()
    assert touch.status == ReminderStatus.DONE
