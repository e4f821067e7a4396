"""A job change an import noticed is "noticed on …, start date unknown" everywhere, never
"started today"; a job with a known start date still says when it started."""

import datetime as dt
import json

import pytest
import time_machine
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse
from icalendar import Calendar

from contacts.exporters import export_json
from contacts.importers import run_import
from contacts.models import Contact, Position, PositionSource, TrustLevel
from crm.models import UserSettings
from reminders.calendar_feed import build_feed
from reminders.digest import digest_groups
from reminders.models import Reminder, ReminderKind
from reminders.scan import scan_user

pytestmark = pytest.mark.django_db

FIRST = dt.date(2026, 6, 1)
TODAY = dt.date(2026, 11, 20)
HEADER = "First Name,Last Name,URL,Email Address,Company,Position,Connected On\r\n"


def _linkedin(owner: User, company: str, title: str, today: dt.date) -> None:
    row = f"Maya,Okafor,https://www.linkedin.com/in/maya-okafor,,{company},{title},01 Mar 2019\r\n"
    data = (HEADER + row).encode()
    run_import(owner=owner, source="linkedin", data=data, today=today)


@pytest.fixture
def maya(user: User) -> Contact:
    """Imported at Acme in June; November's re-import finds her at Northwind."""
    with time_machine.travel(dt.datetime(2026, 6, 1, 9, tzinfo=dt.UTC), tick=False):
        _linkedin(user, "Acme", "Director", FIRST)
    with time_machine.travel(dt.datetime(2026, 11, 20, 9, tzinfo=dt.UTC), tick=False):
        _linkedin(user, "Northwind Ventures", "Partner", TODAY)
    contact = Contact.objects.get(owner=user, first_name="Maya")
    Contact.objects.filter(pk=contact.pk).update(trust_level=TrustLevel.KNOW_WELL)
    return contact


@pytest.fixture(autouse=True)
def frozen() -> object:
    with time_machine.travel(dt.datetime(2026, 11, 20, 12, tzinfo=dt.UTC), tick=False) as t:
        yield t


def _detected(contact: Contact) -> Position:
    return contact.positions.get(end_date__isnull=True)


def test_the_import_records_the_start_as_unknown_and_the_day_it_noticed(maya: Contact) -> None:
    job = _detected(maya)
    assert (job.company, job.source) == ("Northwind Ventures", PositionSource.DETECTED)
    assert (job.start_date, job.detected_on) == (None, TODAY)


def test_the_dashboard_line_says_noticed_not_started(auth_client: Client, maya: Contact) -> None:
    scan_user(user=maya.owner, today=TODAY)
    html = auth_client.get(reverse("reminders:dashboard")).content.decode()
    assert (
        "now at Northwind Ventures as Partner, noticed today (start date unknown), "
        "after Director at Acme"
    ) in html
    assert "started at Northwind" not in html


def test_the_timeline_and_the_positions_say_noticed_on(auth_client: Client, maya: Contact) -> None:
    page = auth_client.get(maya.get_absolute_url()).content.decode()
    assert 'noticed on <time datetime="2026-11-20">20 Nov 2026</time>' in page
    assert "Now Partner at Northwind Ventures" in page
    assert "Started as Partner" not in page
    positions = auth_client.get(reverse("contacts:positions", args=[maya.pk])).content.decode()
    assert "start unknown" in positions
    assert "noticed by an import on 20 Nov 2026" in positions


def test_the_digest_and_the_calendar_feed_say_noticed_on(maya: Contact) -> None:
    user = maya.owner
    scan_user(user=user, today=TODAY)
    lines = [item.what for group in digest_groups(user=user, today=TODAY) for item in group.items]
    assert any("(noticed on 20 Nov; start date unknown)" in line for line in lines), lines
    feed = Calendar.from_ical(build_feed(user=user, start=TODAY - dt.timedelta(days=1)))
    descriptions = [str(event.get("description")) for event in feed.walk("VEVENT")]
    assert any("noticed on 2026-11-20; start date unknown" in d for d in descriptions)


def test_a_job_with_a_known_start_still_says_when_it_started(
    auth_client: Client, maya: Contact
) -> None:
    Position.objects.filter(pk=_detected(maya).pk).update(start_date=dt.date(2026, 11, 17))
    scan_user(user=maya.owner, today=TODAY)
    reminder = Reminder.objects.get(kind=ReminderKind.JOB_CHANGE)
    html = auth_client.get(reverse("reminders:dashboard")).content.decode()
    assert "started at Northwind Ventures as Partner 3 days ago" in html
    assert reminder.due_on == dt.date(2026, 11, 17)
    page = auth_client.get(maya.get_absolute_url()).content.decode()
    assert "Started as Partner at Northwind Ventures" in page and "noticed on <time" not in page


def test_a_backup_keeps_the_start_unknown_and_the_day_noticed(
    maya: Contact, other_user: User
) -> None:
    data = "".join(export_json(maya.owner))
    [document] = [c for c in json.loads(data)["contacts"] if c["first_name"] == "Maya"]
    current = [p for p in document["positions"] if p["end_date"] is None]
    assert [(p["start_date"], p["detected_on"]) for p in current] == [(None, "2026-11-20")]
    run_import(owner=other_user, source="json", data=data.encode(), today=TODAY)
    copy = Contact.objects.get(owner=other_user, first_name="Maya")
    job = copy.positions.get(end_date__isnull=True)
    assert (job.start_date, job.detected_on, job.move) == (None, TODAY, "job_change")
    assert UserSettings.for_user(other_user).today() == TODAY
