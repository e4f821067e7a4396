"""The "reminders are delayed" banner: beat not run for over a day → logged-in users see it."""

from datetime import timedelta

import pytest
import time_machine
from django.contrib.auth.models import AnonymousUser, User
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.utils import timezone

from reminders.heartbeat import forget_scheduler_state, scheduler_state
from reminders.models import ScanRun
from tests.factories import UserFactory

BANNER = "Reminders are delayed"


def _page_for(someone: User | AnonymousUser) -> str:
    request = RequestFactory().get("/")
    request.user = someone
    return render_to_string("base.html", request=request)


def _finished_scan(*, ago: timedelta) -> None:
    finished = timezone.now() - ago
    ScanRun.objects.create(started_at=finished - timedelta(seconds=5), finished_at=finished)
    forget_scheduler_state()


def test_it_shows_the_banner_when_the_last_scan_is_over_a_day_old(user: User) -> None:
    _finished_scan(ago=timedelta(hours=27))
    page = _page_for(user)
    assert BANNER in page
    assert 'role="status"' in page


def test_it_shows_no_banner_after_a_recent_scan(user: User) -> None:
    _finished_scan(ago=timedelta(hours=25))
    assert BANNER not in _page_for(user)


def test_it_ignores_scans_that_never_finished(user: User) -> None:
    _finished_scan(ago=timedelta(days=3))
    ScanRun.objects.create(started_at=timezone.now())  # started, crashed
    forget_scheduler_state()
    assert BANNER in _page_for(user)


def test_it_gives_a_new_installation_a_days_grace(db: None) -> None:
    with time_machine.travel(timezone.now() - timedelta(hours=20), tick=False):
        first = UserFactory(username="first")
    assert scheduler_state().delayed is False
    assert BANNER not in _page_for(first)


def test_it_warns_when_an_installation_never_scanned_for_over_a_day(db: None) -> None:
    with time_machine.travel(timezone.now() - timedelta(days=2), tick=False):
        first = UserFactory(username="first")
    page = _page_for(first)
    assert BANNER in page
    assert "since it was installed" in page


def test_it_never_shows_the_banner_to_anonymous_visitors(db: None) -> None:
    _finished_scan(ago=timedelta(days=5))
    assert BANNER not in _page_for(AnonymousUser())


def test_it_links_staff_to_the_status_page(db: None) -> None:
    _finished_scan(ago=timedelta(days=2))
    staff = UserFactory(username="root", is_staff=True)
    page = _page_for(staff)
    assert BANNER in page
    assert "See system status" in page


def test_a_single_users_scan_does_not_hide_a_stopped_scheduler(user: User) -> None:
    _finished_scan(ago=timedelta(days=2))
    now = timezone.now()
    ScanRun.objects.create(user=user, started_at=now, finished_at=now, users_scanned=1)
    forget_scheduler_state()
    assert BANNER in _page_for(user)


@pytest.mark.django_db
def test_it_recovers_as_soon_as_a_scan_finishes(user: User) -> None:
    _finished_scan(ago=timedelta(days=2))
    assert BANNER in _page_for(user)
    _finished_scan(ago=timedelta(minutes=1))
    assert BANNER not in _page_for(user)
