"""What the import commands share: finding the user, reading the file, the summary line."""

from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import User
from django.core.management.base import BaseCommand, CommandError, CommandParser

from contacts.importers import ImportFileError, ImportReport
from contacts.importers.jobs import check_upload, import_now
from contacts.models import TrustLevel

BAD_INPUT = 2  # exit status for a bad file, user or option


def get_user(username: str) -> User:
    model = get_user_model()
    try:
        return model._default_manager.get_by_natural_key(username)
    except model.DoesNotExist:
        raise CommandError(f"No user named “{username}”.", returncode=BAD_INPUT) from None


class ImportCommand(BaseCommand):
    source: str = ""

    def add_arguments(self, parser: CommandParser) -> None:
        if not any(action.dest == "path" for action in parser._actions):
            parser.add_argument("path", help="The file to import.")
        parser.add_argument("--user", required=True, help="Username of the account to fill.")
        parser.add_argument(
            "--trust-level",
            default="",
            choices=["", *TrustLevel.values],
            help="Trust level for new contacts (default: not rated yet).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        user = get_user(options["user"])
        path = Path(options["path"])
        if not path.is_file():
            raise CommandError(f"No such file: {path}", returncode=BAD_INPUT)
        try:
            size = path.stat().st_size
            if size > settings.IMPORT_MAX_BYTES:
                check_upload(source=self.source, filename=path.name, size=size)
            report = import_now(
                owner=user,
                source=self.source,
                data=path.read_bytes(),
                trust_level=options["trust_level"] or None,
            )
        except ImportFileError as exc:
            raise CommandError(exc.message, returncode=BAD_INPUT) from None
        self.write_report(report, options)

    def write_report(self, report: ImportReport, options: dict[str, Any]) -> None:
        for warning in report.warnings:
            self.stderr.write(f"warning: {warning}")
        if options["verbosity"] > 1:
            for row in report.skipped:
                where = f"line {row['line']}: " if row["line"] else ""
                self.stderr.write(f"skipped {where}{row['reason']}")
        self.stdout.write(report.summary)
        if fields := report.extra.get("fields"):
            kept = ", ".join(f"{name} ({n})" for name, n in fields["headings"].items())
            self.stdout.write(
                f"fields: {fields['mapped']} into Rapport fields, {fields['in_notes']} kept "
                f"in the notes{': ' + kept if kept else ''}"
            )
