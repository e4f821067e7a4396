"""The *Losing touch* page: order, snooze, pagination and a query count that stays flat."""

from datetime import datetime, timedelta

import pytest
import time_machine
from django.contrib.auth.models import User
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from contacts.models import Contact, TrustLevel
from reminders.models import Reminder, ReminderStatus
from tests.contacts.conftest import TODAY
from tests.factories import ContactFactory, log_interaction

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_today")]


def _due(owner: User, days_ago: int, **fields: object) -> Contact:
    with time_machine.travel(datetime(2020, 1, 1), tick=False):
        contact = ContactFactory(owner=owner, **fields)
    log_interaction(owner, [contact], on=TODAY - timedelta(days=days_ago))
    return contact


def test_it_lists_due_contacts_most_overdue_first_closer_trust_on_ties(
    auth_client: Client, user: User
) -> None:
    _due(user, 180, trust_level=TrustLevel.KNOW_WELL, first_name="Wendy")  # 2.0
    _due(user, 60, trust_level=TrustLevel.CLOSE, first_name="Carla")  # 2.0
    _due(user, 50, keep_in_touch_days=10, trust_level=TrustLevel.MET, first_name="Mo")  # 5.0
    _due(user, 200, trust_level=TrustLevel.ACQUAINTANCE, first_name="Andy")  # 1.1
    _due(user, 5, trust_level=TrustLevel.CLOSE, first_name="Fresh")  # not due
    _due(user, 999, trust_level=TrustLevel.FOLLOWING, first_name="Famous")  # no cadence

    response = auth_client.get(reverse("contacts:losing_touch"))
    html = response.content.decode()
    assert response.status_code == 200
    positions = [html.index(name) for name in ("Mo ", "Carla", "Wendy", "Andy")]
    assert positions == sorted(positions)
    assert "Fresh" not in html and "Famous" not in html
    assert "40 days overdue" in html  # Mo: 50 days on a 10-day cadence
    assert 'aria-current="page">Losing touch' in html or "Losing touch" in html


def test_it_links_to_a_prefilled_log_form(auth_client: Client, user: User) -> None:
    contact = _due(user, 60, trust_level=TrustLevel.CLOSE)
    html = auth_client.get(reverse("contacts:losing_touch")).content.decode()
    assert f"{reverse('contacts:interaction_new')}?contact={contact.pk}&amp;next=" in html


def test_it_shows_an_empty_state(auth_client: Client) -> None:
    html = auth_client.get(reverse("contacts:losing_touch")).content.decode()
    assert "You're in touch with everyone" in html


def test_it_drops_a_contact_once_an_interaction_is_logged(auth_client: Client, user: User) -> None:
    contact = _due(user, 60, trust_level=TrustLevel.CLOSE, first_name="Carla")
    assert "Carla" in auth_client.get(reverse("contacts:losing_touch")).content.decode()
    auth_client.post(
        reverse("contacts:interaction_new"),
        {"kind": "call", "occurred_on": TODAY.isoformat(), "summary": "Hi", "contact": contact.pk},
    )
    html = auth_client.get(reverse("contacts:losing_touch")).content.decode()
    assert f'id="touch-{contact.pk}"' not in html


def test_it_snoozes_with_htmx_and_hides_the_contact(auth_client: Client, user: User) -> None:
    contact = _due(user, 60, trust_level=TrustLevel.CLOSE, first_name="Carla")
    url = reverse("contacts:keep_in_touch_snooze", args=[contact.pk])
    response = auth_client.post(url, {"days": "30"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert "Snoozed Carla" in response.content.decode()
    reminder = Reminder.objects.get(contact=contact)
    assert reminder.status == ReminderStatus.SNOOZED
    assert reminder.snoozed_until == TODAY + timedelta(days=30)
    html = auth_client.get(reverse("contacts:losing_touch")).content.decode()
    assert f'id="touch-{contact.pk}"' not in html


def test_it_snoozes_without_javascript(auth_client: Client, user: User) -> None:
    contact = _due(user, 60, trust_level=TrustLevel.CLOSE, first_name="Carla")
    url = reverse("contacts:keep_in_touch_snooze", args=[contact.pk])
    response = auth_client.post(url, {"days": "14"}, follow=True)
    assert response.redirect_chain[-1][0] == reverse("contacts:losing_touch")
    assert "Snoozed Carla" in response.content.decode()


@pytest.mark.parametrize("days", ["3", "abc", ""])
def test_it_refuses_an_odd_snooze_duration(auth_client: Client, user: User, days: str) -> None:
    contact = _due(user, 60, trust_level=TrustLevel.CLOSE)
    url = reverse("contacts:keep_in_touch_snooze", args=[contact.pk])
    response = auth_client.post(url, {"days": days}, HTTP_HX_REQUEST="true")
    assert response.status_code == 400
    assert not Reminder.objects.exclude(status=ReminderStatus.OPEN).exists()
    response = auth_client.post(url, {"days": days}, follow=True)
    assert "Choose" in response.content.decode()


def test_it_paginates(auth_client: Client, user: User) -> None:
    for i in range(30):
        _due(user, 40 + i, trust_level=TrustLevel.CLOSE, last_name=f"P{i:02d}")
    first = auth_client.get(reverse("contacts:losing_touch")).content.decode()
    assert "P29" in first and "P00" not in first and "Page 1 of 2 · 30 people" in first
    assert 'href="?page=2" rel="next"' in first
    second = auth_client.get(reverse("contacts:losing_touch"), {"page": 2}).content.decode()
    assert "P00" in second
    assert auth_client.get(reverse("contacts:losing_touch"), {"page": "zz"}).status_code == 200
    past = auth_client.get(reverse("contacts:losing_touch"), {"page": 9}).content.decode()
    assert "Page 2 of 2" in past and "P00" in past


def test_it_escapes_hostile_names(auth_client: Client, user: User) -> None:
    _due(user, 60, trust_level=TrustLevel.CLOSE, first_name="<script>alert(1)</script>")
    html = auth_client.get(reverse("contacts:losing_touch")).content.decode()
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def _queries(client: Client) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(reverse("contacts:losing_touch")).status_code == 200
    return len(captured.captured_queries)


def test_it_uses_the_same_number_of_queries_for_3_or_30_due_contacts(
    auth_client: Client, user: User
) -> None:
    for _ in range(3):
        _due(user, 60, trust_level=TrustLevel.CLOSE)
    _queries(auth_client)  # creates the user's settings row once
    few = _queries(auth_client)
    for _ in range(27):
        _due(user, 60, trust_level=TrustLevel.KNOW_WELL, keep_in_touch_days=20)
    assert _queries(auth_client) == few
