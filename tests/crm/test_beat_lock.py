"""Only one beat: the second refuses to start, whatever runs it (crm/beat.py)."""

from pathlib import Path

import pytest
from django.db import connection

from crm.beat import (
    BeatAlreadyRunning,
    FileBeatLock,
    PostgresBeatLock,
    SingleBeatScheduler,
    acquire_beat_lock,
)
from crm.celery import app


def test_a_second_file_lock_is_refused_until_the_first_is_released(tmp_path: Path) -> None:
    path = tmp_path / "rapport.sqlite3.beat.lock"
    first = FileBeatLock(path)
    with pytest.raises(BeatAlreadyRunning, match="another beat holds"):
        FileBeatLock(path)
    first.release()
    FileBeatLock(path).release()


@pytest.mark.django_db(transaction=True)
def test_a_second_beat_exits_with_one_clear_line_before_touching_its_schedule(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    held = acquire_beat_lock()
    schedule = tmp_path / "celerybeat-schedule"
    try:
        with pytest.raises(SystemExit) as stopped:
            SingleBeatScheduler(app=app, schedule_filename=str(schedule))
    finally:
        held.release()
    assert stopped.value.code == 1
    refusals = [r for r in caplog.records if "Refusing to run a second beat" in r.getMessage()]
    assert len(refusals) == 1 and refusals[0].levelname == "ERROR"
    assert "Run exactly one beat service" in refusals[0].getMessage()
    assert not list(tmp_path.iterdir()), "the refused beat opened the schedule"


@pytest.mark.django_db(transaction=True)
def test_the_first_beat_runs_and_frees_the_lock_when_it_closes(tmp_path: Path) -> None:
    scheduler = SingleBeatScheduler(app=app, schedule_filename=str(tmp_path / "schedule"))
    try:
        with pytest.raises(BeatAlreadyRunning):
            acquire_beat_lock().release()
        assert "beat-heartbeat" in scheduler.schedule
        assert 0 < scheduler.tick() <= 30
    finally:
        scheduler.close()
    acquire_beat_lock().release()


def _end_beats_session() -> None:
    """What PostgreSQL does when beat's connection drops: its session, and its lock, end."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            "WHERE application_name = 'rapport-beat' AND datname = current_database()"
        )


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_postgres_frees_the_lock_when_beats_session_dies() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL")
    first = PostgresBeatLock()
    assert first.still_held()
    with pytest.raises(BeatAlreadyRunning):
        PostgresBeatLock()
    # The process (or its machine) dies: the server ends the session and its lock.
    _end_beats_session()
    replacement = PostgresBeatLock()
    # The first beat notices; the lock is taken, so it must stop rather than re-take it.
    assert first.still_held() is False
    replacement.release()
    first.release()


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_postgres_beat_takes_its_lock_again_after_a_dropped_connection() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL")
    lock = PostgresBeatLock()
    _end_beats_session()
    assert lock.still_held() is True
    with pytest.raises(BeatAlreadyRunning):
        PostgresBeatLock()
    lock.release()
    PostgresBeatLock().release()
