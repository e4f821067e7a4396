"""When the broker is down, pages keep working and say reminders are delayed."""

from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse
from kombu.exceptions import OperationalError
from kombu.messaging import Producer

from contacts.models import Position
from crm.celery import app
from reminders.tasks import queue_user_scan, reminders_delayed_since
from tests.factories import ContactFactory, UserFactory


def refuse(*args: object, **kwargs: object) -> None:
    raise OperationalError("Error 111 connecting to broker. Connection refused.")


@contextmanager
def not_eager() -> Iterator[None]:
    """Publish for real (tests otherwise run tasks eagerly)."""
    eager = app.conf.task_always_eager
    app.conf.task_always_eager = False
    try:
        yield
    finally:
        app.conf.task_always_eager = eager


@pytest.fixture
def broker_down(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setattr(Producer, "publish", refuse)
    with not_eager():
        yield


@pytest.fixture
def owner(db) -> User:
    return UserFactory(username="outage")


@pytest.fixture
def client_for(owner: User) -> Client:
    client = Client()
    client.force_login(owner)
    return client


@pytest.mark.django_db(transaction=True)
def test_queueing_a_scan_never_raises_and_is_remembered(broker_down: None, owner: User) -> None:
    assert reminders_delayed_since(owner) is None
    assert queue_user_scan(owner) is False
    assert reminders_delayed_since(owner) is not None


@pytest.mark.django_db(transaction=True)
def test_a_job_change_is_saved_and_the_page_says_reminders_are_delayed(
    broker_down: None, owner: User, client_for: Client
) -> None:
    contact = ContactFactory(owner=owner)
    url = reverse("contacts:job_change", args=[contact.pk])
    data = {"company": "Initech", "title": "CTO", "start_date": "2026-11-20"}
    response = client_for.post(url, data, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert "Reminders are delayed" in response.text
    assert Position.objects.get(contact=contact).company == "Initech"
    plain = client_for.post(url, {**data, "company": "Globex"}, follow=True)
    assert plain.status_code == 200
    assert "Reminders are delayed" in plain.text
    settings_page = client_for.get(reverse("reminders:settings"))
    assert "the task queue could not be reached" in settings_page.text


@pytest.mark.django_db(transaction=True)
def test_run_the_scan_now_explains_the_outage(
    broker_down: None, owner: User, client_for: Client
) -> None:
    response = client_for.post(reverse("reminders:scan_now"), follow=True)
    assert response.status_code == 200
    assert "Reminders are delayed: the task queue is unreachable" in response.text


@pytest.mark.django_db(transaction=True)
def test_a_later_successful_queue_clears_the_flag(
    monkeypatch: pytest.MonkeyPatch, owner: User
) -> None:
    with monkeypatch.context() as patch, not_eager():
        patch.setattr(Producer, "publish", refuse)
        assert queue_user_scan(owner) is False
    assert queue_user_scan(owner) is True  # eager again, as a working broker would accept it
    assert reminders_delayed_since(owner) is None
