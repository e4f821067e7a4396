"""Take a backup now, as beat does every night: `manage.py backup` (see crm/backups.py)."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from crm.backups import BackupError, backup_list, backup_run


class Command(BaseCommand):
    help = "Write a database dump and every account's JSON backup to BACKUP_DIR now."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--list", dest="only_list", action="store_true", help="Only list the backups kept."
        )

    def handle(self, *args: Any, only_list: bool = False, **options: Any) -> None:
        if not only_list:
            try:
                backup = backup_run()
            except BackupError as exc:
                raise CommandError(str(exc)) from exc
            self.stdout.write(f"Backup written to {backup.path}")
            return
        for backup in backup_list():
            self.stdout.write(
                f"{backup.path}  {backup.taken_at:%Y-%m-%d %H:%M} UTC  "
                f"{backup.accounts} accounts  {backup.size} bytes"
            )
