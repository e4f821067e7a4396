"""scan_reminders: the scan for operators and tests."""

import datetime as dt

import pytest
from django.contrib.auth.models import User
from django.core.management import CommandError, call_command

from reminders.models import Reminder, ScanRun, ScanTrigger
from tests.factories import ContactFactory


@pytest.fixture
def birthdays(user: User, other_user: User) -> None:
    """Alice and Mallory each have someone whose birthday is early in December."""
    ContactFactory(owner=user, birthday_month=12, birthday_day=3)
    ContactFactory(owner=other_user, birthday_month=12, birthday_day=4)


@pytest.mark.usefixtures("birthdays")
def test_it_prints_how_many_reminders_it_created(capsys: pytest.CaptureFixture[str]) -> None:
    call_command("scan_reminders", date="2026-11-30")
    call_command("scan_reminders", date="2026-11-30")
    assert capsys.readouterr().out.split() == ["created=2", "created=0"]
    run = ScanRun.objects.first()
    assert run is not None
    assert (run.trigger, run.run_for, run.users_scanned) == (
        ScanTrigger.COMMAND,
        dt.date(2026, 11, 30),
        2,
    )


@pytest.mark.usefixtures("birthdays")
def test_it_scans_one_user_when_asked(other_user: User, capsys: pytest.CaptureFixture[str]) -> None:
    call_command("scan_reminders", "--date", "2026-11-30", "--user", "mallory")
    assert capsys.readouterr().out.strip() == "created=1"
    assert Reminder.objects.get().owner == other_user
    assert ScanRun.objects.get().user == other_user


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--date", "30/11/2026"], "--date must look like"),
        (["--user", "nobody"], "No user named 'nobody'"),
    ],
)
def test_it_explains_bad_options(args: list[str], message: str) -> None:
    with pytest.raises(CommandError, match=message):
        call_command("scan_reminders", *args)
