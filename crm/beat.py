"""Exactly one Celery beat per installation, whatever starts a second one.

Two schedulers would queue every periodic task twice (two digests, two backups), so
beat takes a lock before it opens its schedule and holds it for its whole life:

- PostgreSQL: a session advisory lock on a connection of beat's own. The server lets
  it go the moment beat's process (or its machine) dies, so a crashed beat never
  blocks its replacement.
- SQLite (`make run`): a file lock next to the database, released by the kernel.

A second beat logs one line saying why and exits with status 1.
`settings.CELERY_BEAT_SCHEDULER` names the scheduler below.
"""

import fcntl
import logging
import tempfile
import time
from pathlib import Path
from typing import Any, Protocol

import psycopg
from celery.beat import PersistentScheduler
from django.db import DEFAULT_DB_ALIAS, connections

logger = logging.getLogger(__name__)

# pg_advisory_lock key of beat: "Rapb" as a 32-bit integer (migrations use "Rapp").
BEAT_LOCK_KEY = 0x52617062
# How often beat checks that its lock is still held (its connection may have dropped).
CHECK_EVERY = 30.0


class BeatAlreadyRunning(Exception):
    pass


class BeatLock(Protocol):
    def still_held(self) -> bool: ...

    def release(self) -> None: ...


class PostgresBeatLock:
    def __init__(self) -> None:
        self._connection: psycopg.Connection[Any] | None = None
        self._acquire()

    @staticmethod
    def _connect() -> psycopg.Connection[Any]:
        db = connections[DEFAULT_DB_ALIAS].settings_dict
        tls = {"sslmode", "sslrootcert", "sslcert", "sslkey"}
        options = {k: v for k, v in db.get("OPTIONS", {}).items() if k in tls}
        return psycopg.connect(
            dbname=db["NAME"],
            user=db.get("USER") or None,
            password=db.get("PASSWORD") or None,
            host=db.get("HOST") or None,
            port=db.get("PORT") or None,
            connect_timeout=10,
            autocommit=True,
            application_name="rapport-beat",
            # A silent network loss ends the session (and frees the lock) within minutes.
            keepalives=1,
            keepalives_idle=30,
            keepalives_interval=10,
            keepalives_count=3,
            **options,
        )

    def _acquire(self) -> None:
        connection = self._connect()
        row = connection.execute("SELECT pg_try_advisory_lock(%s)", [BEAT_LOCK_KEY]).fetchone()
        if not (row and row[0]):
            holder = connection.execute(
                "SELECT a.client_addr, a.application_name, a.backend_start FROM pg_locks l "
                "JOIN pg_stat_activity a ON a.pid = l.pid "
                "WHERE l.locktype = 'advisory' AND l.objid = %s AND l.granted",
                [BEAT_LOCK_KEY],
            ).fetchone()
            connection.close()
            since = f" since {holder[2]:%Y-%m-%d %H:%M:%S %Z}" if holder else ""
            raise BeatAlreadyRunning(f"another beat holds the database's beat lock{since}")
        self._connection = connection

    def still_held(self) -> bool:
        """True while our session (and so the lock) lives; re-takes it after a drop."""
        if self._connection is not None:
            try:
                self._connection.execute("SELECT 1")
                return True
            except psycopg.Error:
                logger.warning("Beat lost its database connection; taking the lock again")
                self._connection.close()
                self._connection = None
        try:
            self._acquire()
        except psycopg.OperationalError as exc:
            # The database is down: no other beat can take the lock either. Try later.
            logger.warning("Beat cannot reach the database to hold its lock: %s", exc)
            return True
        except BeatAlreadyRunning:
            return False
        return True

    def release(self) -> None:
        if self._connection is not None:
            self._connection.close()  # the session ends, and its lock with it
            self._connection = None


class FileBeatLock:
    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self._handle = path.open("a")
        try:
            fcntl.flock(self._handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            self._handle.close()
            raise BeatAlreadyRunning(f"another beat holds {path}") from None

    def still_held(self) -> bool:
        return True

    def release(self) -> None:
        self._handle.close()


def acquire_beat_lock() -> BeatLock:
    """Take the installation's beat lock, or raise BeatAlreadyRunning."""
    connection = connections[DEFAULT_DB_ALIAS]
    if connection.vendor == "postgresql":
        return PostgresBeatLock()
    if connection.is_in_memory_db():  # type: ignore[attr-defined]  # SQLite's wrapper only
        return FileBeatLock(Path(tempfile.gettempdir()) / "rapport-memorydb.beat.lock")
    return FileBeatLock(Path(str(connection.settings_dict["NAME"]) + ".beat.lock"))


class SingleBeatScheduler(PersistentScheduler):
    """Celery's file-backed scheduler, run only while it holds the beat lock."""

    _lock: BeatLock | None = None
    _checked_at = 0.0

    def setup_schedule(self) -> None:
        # Before the schedule file is opened: a refused beat must not touch it.
        try:
            self._lock = acquire_beat_lock()
        except BeatAlreadyRunning as exc:
            refuse(str(exc))
        logger.info("beat: holding the beat lock; no other beat can start")
        super().setup_schedule()

    def tick(self, *args: Any, **kwargs: Any) -> float:
        now = time.monotonic()
        if self._lock is not None and now - self._checked_at >= CHECK_EVERY:
            self._checked_at = now
            if not self._lock.still_held():
                refuse("another beat took the beat lock while this one lost its connection")
        return min(float(super().tick(*args, **kwargs)), CHECK_EVERY)

    def close(self) -> None:
        try:
            super().close()
        finally:
            if self._lock is not None:
                self._lock.release()
                self._lock = None


def refuse(reason: str) -> None:
    logger.error("Refusing to run a second beat: %s. Run exactly one beat service.", reason)
    raise SystemExit(1)
