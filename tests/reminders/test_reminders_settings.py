"""Reminders & digest settings, with the scan's heartbeat and "run the scan now"."""

import datetime as dt

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from crm.models import UserSettings, Weekday
from reminders.models import Reminder, ScanRun, ScanTrigger
from tests.factories import ContactFactory, PositionFactory

URL = "/reminders/settings/"


@pytest.mark.django_db
def test_it_saves_milestones_following_and_digest_preferences(
    auth_client: Client, user: User
) -> None:
    assert reverse("reminders:settings") == URL
    response = auth_client.post(
        URL,
        {
            "milestone_years": "10, 2 ,1,2",
            "milestone_every": "10",
            "remind_following": "on",
            "digest_enabled": "on",
            "digest_weekday": str(Weekday.FRIDAY),
        },
    )
    assert response.status_code == 302
    prefs = UserSettings.for_user(user)
    assert prefs.milestones() == ([1, 2, 10], 10)
    assert prefs.milestone_years == "1,2,10"
    assert prefs.remind_following and prefs.digest_enabled
    assert prefs.digest_weekday == Weekday.FRIDAY


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("years", "every", "message"),
    [
        ("1, five", "5", "“five” is not a number of years"),
        ("0", "5", "“0” is not a number of years"),
        ("1,500", "5", "“500” is not a number of years"),
        ("", "0", "no work anniversary would ever be"),
        ("1", "-2", "Ensure this value is greater than or equal to 0"),
    ],
)
def test_it_rejects_bad_milestones_with_a_message(
    auth_client: Client, user: User, years: str, every: str, message: str
) -> None:
    response = auth_client.post(
        URL, {"milestone_years": years, "milestone_every": every, "digest_weekday": "0"}
    )
    assert response.status_code == 200
    assert message in response.text
    assert UserSettings.for_user(user).milestone_years == "1,5,10"


@pytest.mark.django_db
def test_it_shows_the_heartbeat(auth_client: Client, user: User) -> None:
    page = auth_client.get(URL)
    assert "The daily scan has not run yet" in page.text
    now = timezone.now()
    ScanRun.objects.create(
        trigger=ScanTrigger.BEAT,
        started_at=now - dt.timedelta(hours=3),
        finished_at=now - dt.timedelta(hours=3),
        users_scanned=4,
        reminders_created=17,
    )
    page = auth_client.get(URL)
    assert "The daily scan last ran" in page.text
    assert "for 4 users, and made 17 reminders" in page.text
    assert 'aria-current="page"' in page.text  # the settings sub-navigation


@pytest.mark.django_db
def test_run_the_scan_now_queues_a_scan_for_me(
    auth_client: Client, user: User, django_capture_on_commit_callbacks
) -> None:
    contact = ContactFactory(owner=user)
    today = dt.date.today()
    PositionFactory(contact=contact, start_date=today.replace(year=today.year - 1))
    with django_capture_on_commit_callbacks(execute=True):
        response = auth_client.post(reverse("reminders:scan_now"), follow=True)
    assert "The scan is queued" in response.text
    response = auth_client.get(URL)
    assert Reminder.objects.filter(contact=contact, years=1).exists()
    run = ScanRun.objects.get()
    assert (run.user, run.trigger, run.reminders_created) == (user, ScanTrigger.MANUAL, 1)
    assert "Your last scan on request" in response.text


@pytest.mark.django_db
def test_run_the_scan_now_needs_a_post(auth_client: Client) -> None:
    assert auth_client.get(reverse("reminders:scan_now")).status_code == 405
