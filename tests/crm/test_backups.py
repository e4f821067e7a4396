"""Nightly backups: a database dump and every account's JSON backup, the newest N kept."""

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path
from unittest import mock

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.urls import reverse
from pytest_django import Settings

from crm import tasks
from crm.backups import BackupError, backup_list, backup_prune, backup_run
from tests.factories import ContactFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def backup_dir(settings: Settings, tmp_path: Path) -> Path:
    settings.BACKUP_DIR = tmp_path / "backups"
    settings.BACKUP_KEEP = 3
    return settings.BACKUP_DIR


def test_beat_takes_a_backup_every_night() -> None:
    entry = settings.CELERY_BEAT_SCHEDULE["backup-daily"]
    assert entry["task"] == "crm.tasks.run_backup"
    assert entry["schedule"].hour == {settings.BACKUP_HOUR}


def test_a_backup_holds_the_database_and_each_accounts_json(backup_dir: Path) -> None:
    ada = UserFactory(username="ada")
    grace = UserFactory(username="grace")
    ContactFactory(owner=ada, first_name="Charles")
    ContactFactory(owner=grace, first_name="Howard")
    folder = Path(tasks.run_backup.delay().get())
    assert folder.parent == backup_dir and not folder.name.endswith(".partial")
    dump = "rapport.dump" if connection.vendor == "postgresql" else "rapport.sqlite3"
    assert (folder / dump).stat().st_size > 0
    exported = {p.stem: json.loads(p.read_text()) for p in (folder / "json").glob("*.json")}
    assert set(exported) == {"ada", "grace"}
    assert exported["ada"]["format"] == "rapport"
    assert [c["first_name"] for c in exported["ada"]["contacts"]] == ["Charles"]
    assert [c["first_name"] for c in exported["grace"]["contacts"]] == ["Howard"]


def test_only_the_newest_backups_are_kept(backup_dir: Path) -> None:
    UserFactory(username="ada")
    start = datetime(2026, 12, 1, 3, 30, tzinfo=UTC)
    for day in range(5):
        backup_run(now=start + timedelta(days=day))
    (backup_dir / "20261206T033000Z.partial").mkdir()  # a run that died half-way
    backup_prune(keep=3)
    kept = [b.taken_at.day for b in backup_list()]
    assert kept == [5, 4, 3]
    assert sorted(p.name for p in backup_dir.iterdir()) == [
        "20261203T033000Z",
        "20261204T033000Z",
        "20261205T033000Z",
    ]


def test_a_failed_backup_leaves_no_folder_behind(backup_dir: Path) -> None:
    UserFactory(username="ada")
    with (
        mock.patch("crm.backups.export_accounts", side_effect=OSError("disk full")),
        pytest.raises(OSError, match="disk full"),
    ):
        backup_run()
    assert list(backup_dir.iterdir()) == []
    assert backup_list() == []


def test_without_pg_dump_the_backup_says_what_is_missing() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("pg_dump is only used on PostgreSQL")
    with (
        mock.patch("shutil.which", return_value=None),
        pytest.raises(BackupError, match="pg_dump is not installed"),
    ):
        backup_run()


def test_the_command_takes_one_now_and_lists_them(capsys: pytest.CaptureFixture[str]) -> None:
    UserFactory(username="ada")
    call_command("backup")
    assert "Backup written to" in capsys.readouterr().out
    call_command("backup", "--list")
    assert "1 accounts" in capsys.readouterr().out


def test_the_status_page_shows_the_backups_to_staff() -> None:
    staff = UserFactory(username="root", is_staff=True)
    client = Client()
    client.force_login(staff)
    page = client.get(reverse("status")).content.decode()
    assert "No backup yet" in page
    backup_run()
    page = client.get(reverse("status")).content.decode()
    assert 'id="backups-heading"' in page
    assert backup_list()[0].path.name in page
    assert "No backup yet" not in page


def test_other_users_do_not_see_the_backups() -> None:
    client = Client()
    client.force_login(UserFactory(username="ada"))
    page = client.get(reverse("status")).content.decode()
    assert 'id="backups-heading"' not in page
