"""Owner scoping of the reminders settings page's scan heartbeat."""

import datetime as dt

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from reminders.models import ScanRun, ScanTrigger


def _scan(user: User | None, *, hours_ago: int, created: int, finished: bool = True) -> ScanRun:
    at = timezone.now() - dt.timedelta(hours=hours_ago)
    return ScanRun.objects.create(
        trigger=ScanTrigger.MANUAL if user else ScanTrigger.BEAT,
        user=user,
        started_at=at,
        finished_at=at if finished else None,
        users_scanned=1,
        reminders_created=created,
    )


@pytest.mark.django_db
def test_it_never_shows_another_users_scan(
    auth_client: Client, user: User, other_user: User
) -> None:
    _scan(None, hours_ago=5, created=3)
    _scan(other_user, hours_ago=1, created=41)
    _scan(other_user, hours_ago=0, created=0, finished=False)
    page = auth_client.get(reverse("reminders:settings")).content.decode()
    assert other_user.username not in page
    assert "41 new" not in page
    assert "still running" not in page
    assert "made 3 reminders" in page


@pytest.mark.django_db
def test_it_shows_my_own_latest_scan(auth_client: Client, user: User) -> None:
    _scan(None, hours_ago=5, created=3)
    _scan(user, hours_ago=1, created=7)
    page = auth_client.get(reverse("reminders:settings")).content.decode()
    assert f"for {user.username}, 7 new" in page
