"""Scheduled backups: a database dump and every account's JSON backup, the last N kept.

Beat runs `crm.tasks.run_backup` daily at BACKUP_HOUR:30; `manage.py backup` runs the
same at once. Each run writes one folder, BACKUP_DIR/<UTC timestamp>/:

    rapport.dump        pg_dump -Fc of the whole database (SQLite: rapport.sqlite3)
    json/<user>.json    each active account's JSON backup (docs/export-format.md)

A run writes into `<folder>.partial` and renames it when everything is written, so a
folder without that suffix is always complete. Only the newest BACKUP_KEEP complete
folders are kept. The System status page lists them (crm/views/ops.py).
"""

import logging
import os
import re
import shutil
import sqlite3
import subprocess
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import DEFAULT_DB_ALIAS, connections

from contacts.exporters import export_json

logger = logging.getLogger(__name__)

STAMP = "%Y%m%dT%H%M%SZ"
FOLDER = re.compile(r"^\d{8}T\d{6}Z$")
PARTIAL = ".partial"


class BackupError(Exception):
    pass


@dataclass(frozen=True)
class Backup:
    path: Path
    taken_at: datetime
    size: int
    accounts: int


def _safe_name(username: str) -> str:
    return re.sub(r"[^A-Za-z0-9._@+-]", "_", username) or "user"


def dump_database(target: Path) -> Path:
    """The whole database into `target` (a folder); returns the file written."""
    connection = connections[DEFAULT_DB_ALIAS]
    config = connection.settings_dict
    if connection.vendor == "postgresql":
        pg_dump = shutil.which("pg_dump")
        if pg_dump is None:
            raise BackupError("pg_dump is not installed (the Docker image has it)")
        out = target / "rapport.dump"
        env = {**os.environ, "PGPASSWORD": str(config.get("PASSWORD") or "")}
        args = [pg_dump, "--format=custom", "--no-owner", f"--file={out}"]
        for flag, key in (("--host", "HOST"), ("--port", "PORT"), ("--username", "USER")):
            if config.get(key):
                args.append(f"{flag}={config[key]}")
        result = subprocess.run(  # noqa: S603 (arguments from settings, no shell)
            [*args, str(config["NAME"])], env=env, capture_output=True, text=True, check=False
        )
        if result.returncode != 0:
            raise BackupError(f"pg_dump failed: {result.stderr.strip()}")
        return out
    out = target / "rapport.sqlite3"
    connection.ensure_connection()
    copy = sqlite3.connect(str(out))
    try:
        # SQLite's online backup: consistent even while the app writes.
        connection.connection.backup(copy)
    finally:
        copy.close()
    return out


def export_accounts(target: Path) -> int:
    folder = target / "json"
    folder.mkdir()
    count = 0
    for user in get_user_model().objects.filter(is_active=True).order_by("pk"):
        with (folder / f"{_safe_name(user.get_username())}.json").open("w") as handle:
            for chunk in export_json(user):
                handle.write(chunk)
        count += 1
    return count


def backup_run(*, now: datetime | None = None) -> Backup:
    """Take one backup now, then prune the oldest beyond BACKUP_KEEP."""
    root = Path(settings.BACKUP_DIR)
    root.mkdir(parents=True, exist_ok=True)
    taken = now or datetime.now(UTC)
    final = root / taken.strftime(STAMP)
    partial = final.with_name(final.name + PARTIAL)
    shutil.rmtree(partial, ignore_errors=True)
    partial.mkdir(mode=0o700)
    try:
        dump_database(partial)
        accounts = export_accounts(partial)
    except BaseException:
        shutil.rmtree(partial, ignore_errors=True)
        raise
    partial.rename(final)
    backup_prune(keep=settings.BACKUP_KEEP)
    backup = _describe(final)
    if backup is None:
        raise BackupError(f"{final} vanished right after it was written")
    logger.info("Backup written to %s (%d accounts, %d bytes)", final, accounts, backup.size)
    return backup


def _describe(folder: Path) -> Backup | None:
    try:
        taken = datetime.strptime(folder.name, STAMP).replace(tzinfo=UTC)
        files = [p for p in folder.rglob("*") if p.is_file()]
    except (ValueError, OSError):
        return None
    return Backup(
        path=folder,
        taken_at=taken,
        size=sum(p.stat().st_size for p in files),
        accounts=sum(1 for p in files if p.parent.name == "json"),
    )


def backup_list() -> list[Backup]:
    """Complete backups, newest first (empty when BACKUP_DIR is missing or unreadable)."""
    root = Path(settings.BACKUP_DIR)
    try:
        folders = [p for p in root.iterdir() if p.is_dir() and FOLDER.match(p.name)]
    except OSError:
        return []
    described = (_describe(folder) for folder in sorted(folders, reverse=True))
    return [backup for backup in described if backup is not None]


def backup_prune(*, keep: int) -> list[Path]:
    """Delete all but the newest `keep` complete backups, and stale partial ones."""
    root = Path(settings.BACKUP_DIR)
    removed = [backup.path for backup in backup_list()[keep:]]
    removed += [p for p in root.glob(f"*{PARTIAL}") if p.is_dir()]
    for path in removed:
        shutil.rmtree(path, ignore_errors=True)
    return removed
