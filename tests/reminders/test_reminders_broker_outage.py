"""When the broker is down, pages keep working and say reminders are delayed."""

from collections.abc import Iterator

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse
from kombu.exceptions import OperationalError
from kombu.messaging import Producer

from contacts.models import Position
from reminders.tasks import queue_user_scan, reminders_delayed_since
from tests.factories import ContactFactory
from tests.workers import not_eager


def refuse(*args: object, **kwargs: object) -> None:
    raise OperationalError("Error 111 connecting to broker. Connection refused.")


@pytest.fixture
def broker_down(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setattr(Producer, "publish", refuse)
    with not_eager():
        yield


@pytest.mark.django_db(transaction=True)
def test_queueing_a_scan_never_raises_and_is_remembered(broker_down: None, user: User) -> None:
    assert reminders_delayed_since(user) is None
    assert queue_user_scan(user) is False
    assert reminders_delayed_since(user) is not None


# The two sections of the contact page that move reminders (reminders/rescan.py).
SECTION_EDITS = {
    "job change": (
        "contacts:job_change",
        {"company": "Initech", "title": "CTO", "start_date": "2026-11-20"},
        {"company": "Globex"},
    ),
    "custom date": (
        "reminders:custom_date_add",
        {"label": "Wedding", "date": "2020-06-01", "yearly": "on"},
        {"label": "Moved house"},
    ),
}


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("edit", SECTION_EDITS.values(), ids=SECTION_EDITS.keys())
def test_an_edit_that_moves_reminders_is_saved_and_says_they_are_delayed(
    broker_down: None, user: User, auth_client: Client, edit: tuple[str, dict, dict]
) -> None:
    name, data, second = edit
    contact = ContactFactory(owner=user)
    url = reverse(name, args=[contact.pk])
    response = auth_client.post(url, data, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert "Reminders are delayed" in response.text
    plain = auth_client.post(url, {**data, **second}, follow=True)
    assert plain.status_code == 200
    assert plain.text.count("Reminders are delayed") == 1  # said once, not kept from before
    assert len(Position.objects.filter(contact=contact)) + contact.custom_dates.count() == 2
    settings_page = auth_client.get(reverse("reminders:settings"))
    assert "the task queue could not be reached" in settings_page.text


@pytest.mark.django_db(transaction=True)
def test_run_the_scan_now_explains_the_outage(
    broker_down: None, user: User, auth_client: Client
) -> None:
    response = auth_client.post(reverse("reminders:scan_now"), follow=True)
    assert response.status_code == 200
    assert "Reminders are delayed: the task queue is unreachable" in response.text


@pytest.mark.django_db(transaction=True)
def test_a_later_successful_queue_clears_the_flag(
    monkeypatch: pytest.MonkeyPatch, user: User
) -> None:
    with monkeypatch.context() as patch, not_eager():
        patch.setattr(Producer, "publish", refuse)
        assert queue_user_scan(user) is False
    assert queue_user_scan(user) is True  # eager again, as a working broker would accept it
    assert reminders_delayed_since(user) is None
