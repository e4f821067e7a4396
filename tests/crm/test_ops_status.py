"""System status: the instance for staff (version, scans, worker, queue); own scans for others."""

from datetime import timedelta
from pathlib import Path

import pytest
from django.contrib.auth.models import User
from django.db import connection
from django.template.loader import render_to_string
from django.test import Client, RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from pytest_django import Settings

from crm import __version__
from reminders.heartbeat import forget_scheduler_state, record_worker_heartbeat
from reminders.models import ScanRun, ScanTrigger
from tests.factories import UserFactory


@pytest.fixture
def staff_client(db: None) -> Client:
    client = Client()
    client.force_login(UserFactory(username="root", is_staff=True))
    return client


def _scan(*, hours_ago: float, created: int, trigger: str = ScanTrigger.BEAT) -> ScanRun:
    finished = timezone.now() - timedelta(hours=hours_ago)
    return ScanRun.objects.create(
        trigger=trigger,
        started_at=finished - timedelta(seconds=3),
        finished_at=finished,
        users_scanned=4,
        reminders_created=created,
    )


def test_someone_not_staff_sees_the_scheduler_and_their_own_scans_only(
    auth_client: Client, user: User
) -> None:
    _scan(hours_ago=2, created=17)
    stranger = UserFactory(username="stranger-scanned")
    mine = ScanRun.objects.create(
        trigger=ScanTrigger.MANUAL, user=user, started_at=timezone.now(), reminders_created=3
    )
    ScanRun.objects.create(trigger=ScanTrigger.MANUAL, user=stranger, started_at=timezone.now())
    response = auth_client.get(reverse("status"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Reminder scheduler" in page and "Your recent scans" in page
    assert response.context["recent_scans"] == [mine]
    assert "stranger-scanned" not in page
    for instance_wide in ("Users scanned", "Message broker", "Worker:", "Queue:", "Python "):
        assert instance_wide not in page
    assert ">17<" not in page  # the instance's count of reminders created


def test_it_sends_anonymous_visitors_to_log_in(client: Client) -> None:
    response = client.get(reverse("status"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_it_shows_the_version_and_the_last_scan_with_its_counts(staff_client: Client) -> None:
    _scan(hours_ago=20, created=2)
    _scan(hours_ago=2, created=17, trigger=ScanTrigger.COMMAND)
    response = staff_client.get(reverse("status"))
    assert response.status_code == 200
    page = response.content.decode()
    assert f"Rapport {__version__}" in page
    facts = response.context["last_scan"]
    assert facts.reminders_created == 17
    assert response.context["last_scheduled_scan"].reminders_created == 2
    assert "<dd>17</dd>" in page
    assert "Reminders are delayed" not in page


def test_it_reports_the_last_scan_of_everyone_not_a_single_users(
    staff_client: Client, user: User
) -> None:
    _scan(hours_ago=3, created=5)
    now = timezone.now()
    ScanRun.objects.create(
        trigger=ScanTrigger.MANUAL, user=user, started_at=now, finished_at=now, reminders_created=1
    )
    response = staff_client.get(reverse("status"))
    assert response.context["last_scan"].reminders_created == 5
    # The single user's run is still listed among the recent scans.
    assert "<td>alice</td>" in response.content.decode()


def test_it_says_when_no_scan_ever_ran(staff_client: Client) -> None:
    response = staff_client.get(reverse("status"))
    page = response.content.decode()
    assert "No scan has run yet" in page
    assert "never — beat has not run the daily scan yet" in page


def test_it_shows_a_worker_that_answered_recently(staff_client: Client) -> None:
    record_worker_heartbeat("celery@box1")
    response = staff_client.get(reverse("status"))
    assert response.context["worker"].answering is True
    assert "<strong>answering</strong> (celery@box1" in response.content.decode()


def test_it_flags_a_worker_that_went_quiet(staff_client: Client) -> None:
    record_worker_heartbeat("celery@box1", now=timezone.now() - timedelta(minutes=10))
    response = staff_client.get(reverse("status"))
    assert response.context["worker"].answering is False
    assert "not answering" in response.content.decode()


def test_it_says_when_no_worker_was_ever_seen(staff_client: Client) -> None:
    response = staff_client.get(reverse("status"))
    assert "never seen" in response.content.decode()


def test_it_shows_the_queue_length(
    staff_client: Client, settings: Settings, tmp_path: Path
) -> None:
    settings.CELERY_BROKER_URL = "filesystem://"
    settings.CELERY_BROKER_TRANSPORT_OPTIONS = {"data_folder_in": str(tmp_path)}
    for n in range(3):
        (tmp_path / f"{n}_x.celery.msg").write_text("{}")
    response = staff_client.get(reverse("status"))
    assert response.context["queue_length"] == 3
    assert "<strong>3</strong> tasks waiting" in response.content.decode()


def test_it_is_linked_from_the_user_menu_for_everyone(user: User) -> None:
    url = reverse("status")

    def menu_for(someone: User) -> str:
        request = RequestFactory().get("/")
        request.user = someone
        return render_to_string("base.html", request=request)

    assert f'href="{url}"' in menu_for(user)
    assert f'href="{url}"' in menu_for(UserFactory(username="root", is_staff=True))


def test_its_query_count_does_not_grow_with_the_number_of_scans(
    staff_client: Client,
) -> None:
    for n in range(3):
        _scan(hours_ago=n + 1, created=n)

    with CaptureQueriesContext(connection) as few:
        staff_client.get(reverse("status"))
    forget_scheduler_state()
    for n in range(30):
        _scan(hours_ago=n + 5, created=n)
    with CaptureQueriesContext(connection) as many:
        staff_client.get(reverse("status"))
    assert len(many) == len(few)
