"""Beat is watched, not inferred: its own heartbeat, and catch-up scans that never pass for it."""

from datetime import timedelta
from unittest import mock

import pytest
from django.conf import settings
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from reminders import tasks
from reminders.heartbeat import (
    beat_state,
    forget_scheduler_state,
    record_beat_heartbeat,
    record_worker_heartbeat,
    scheduler_state,
)
from reminders.models import ScanRun, ScanTrigger
from tests.factories import UserFactory


@pytest.fixture
def staff_client(db: None) -> Client:
    client = Client()
    client.force_login(UserFactory(username="root", is_staff=True))
    return client


def _scan(*, ago: timedelta, trigger: str) -> None:
    finished = timezone.now() - ago
    ScanRun.objects.create(
        trigger=trigger, started_at=finished - timedelta(seconds=2), finished_at=finished
    )
    forget_scheduler_state()


def test_beat_queues_its_heartbeat_every_minute_and_drops_a_stale_one() -> None:
    entry = settings.CELERY_BEAT_SCHEDULE["beat-heartbeat"]
    assert entry["task"] == "reminders.tasks.record_beat_heartbeat"
    assert entry["schedule"] == 60.0
    assert entry["options"]["expires"] < 60
    assert settings.CELERY_BEAT_SCHEDULER == "crm.beat:SingleBeatScheduler"


@pytest.mark.django_db
def test_running_the_heartbeat_task_records_that_beat_is_alive() -> None:
    assert beat_state().last_seen is None
    tasks.record_beat_heartbeat.delay()
    state = beat_state()
    assert state.answering is True
    assert state.last_seen is not None
    assert timezone.now() - state.last_seen < timedelta(seconds=5)


@pytest.mark.django_db
def test_a_heartbeat_older_than_ten_minutes_means_beat_stopped() -> None:
    record_beat_heartbeat(now=timezone.now() - timedelta(minutes=11))
    assert beat_state().answering is False
    record_beat_heartbeat(now=timezone.now() - timedelta(minutes=9))
    assert beat_state().answering is True


@pytest.mark.django_db
def test_a_stale_heartbeat_shows_the_banner_even_after_a_recent_scheduled_scan(
    user: User,
) -> None:
    _scan(ago=timedelta(hours=1), trigger=ScanTrigger.BEAT)
    stopped = timezone.now() - timedelta(minutes=30)
    record_beat_heartbeat(now=stopped)
    forget_scheduler_state()
    state = scheduler_state()
    assert state.delayed is True
    assert state.last_run == stopped


@pytest.mark.django_db
def test_a_catch_up_scan_does_not_clear_the_banner_while_beat_is_dead(user: User) -> None:
    _scan(ago=timedelta(days=2), trigger=ScanTrigger.BEAT)
    assert scheduler_state().delayed is True
    _scan(ago=timedelta(minutes=1), trigger=ScanTrigger.CATCH_UP)
    assert scheduler_state().delayed is True
    _scan(ago=timedelta(minutes=1), trigger=ScanTrigger.BEAT)
    assert scheduler_state().delayed is False


@pytest.mark.django_db
def test_a_worker_starting_after_a_day_without_scans_queues_a_catch_up_scan(
    user: User,
) -> None:
    _scan(ago=timedelta(days=2), trigger=ScanTrigger.BEAT)
    tasks.scan_when_stale()
    run = ScanRun.objects.order_by("-started_at").first()
    assert run is not None and run.finished_at is not None
    assert run.trigger == ScanTrigger.CATCH_UP
    assert run.user is None and run.users_scanned == 1


@pytest.mark.django_db
def test_a_worker_starting_after_a_recent_scan_queues_nothing(user: User) -> None:
    _scan(ago=timedelta(hours=2), trigger=ScanTrigger.BEAT)
    with mock.patch.object(tasks.scan_all_users, "delay") as delay:
        tasks.scan_when_stale()
    delay.assert_not_called()


def test_the_status_page_shows_worker_and_beat_separately(staff_client: Client) -> None:
    record_worker_heartbeat("celery@box1")
    record_beat_heartbeat(now=timezone.now() - timedelta(minutes=20))
    response = staff_client.get(reverse("status"))
    page = response.content.decode()
    assert response.context["worker"].answering is True
    assert response.context["beat"].answering is False
    assert "Worker:\n        <strong>answering</strong>" in page
    assert "Scheduler (beat):" in page and "<strong>stopped</strong>" in page
    assert "Is the <code>beat</code> service running?" in page


def test_the_status_page_shows_a_running_beat(staff_client: Client) -> None:
    record_beat_heartbeat()
    page = staff_client.get(reverse("status")).content.decode()
    assert "Scheduler (beat):\n        <strong>running</strong>" in page


def test_the_status_page_says_when_beat_was_never_seen(staff_client: Client) -> None:
    page = staff_client.get(reverse("status")).content.decode()
    assert "beat has not recorded a heartbeat" in page


@pytest.mark.django_db
def test_the_status_page_names_a_catch_up_scan_as_such(staff_client: Client) -> None:
    _scan(ago=timedelta(minutes=5), trigger=ScanTrigger.CATCH_UP)
    page = staff_client.get(reverse("status")).content.decode()
    assert "Catch-up at worker start" in page
    assert "never — beat has not run the daily scan yet" in page
