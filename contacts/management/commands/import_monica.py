"""Import a Monica 4.x account: its JSON export, or live through its API.

    python manage.py import_monica PATH --user USERNAME [--trust-level LEVEL]
    python manage.py import_monica --url https://monica.example.org --token TOKEN --user USERNAME

Prints `created=N updated=M job_changes=K skipped=S` and where the fields went;
exits 2 on bad input (a file that is not a Monica export, a wrong address or token).
Through the API it waits out Monica's rate limit (429 Retry-After) as it goes.
"""

from typing import Any

from django.core.management.base import CommandError, CommandParser

from contacts.importers import ImportFileError
from contacts.importers.cli import BAD_INPUT, ImportCommand, get_user
from contacts.importers.jobs import import_now
from contacts.importers.monica_api import fetch_account
from contacts.models import ImportSource


class Command(ImportCommand):
    help = "Import a Monica 4.x account from its JSON export, or through its API."
    source = ImportSource.MONICA

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", nargs="?", default="", help="Monica's JSON export.")
        parser.add_argument("--url", default="", help="Your Monica's address (the API way).")
        parser.add_argument("--token", default="", help="A personal access token of Monica's.")
        super().add_arguments(parser)

    def handle(self, *args: Any, **options: Any) -> None:
        if bool(options["path"]) == bool(options["url"]):
            raise CommandError(
                "Give either the export's PATH, or --url and --token.", returncode=BAD_INPUT
            )
        if options["path"]:
            super().handle(*args, **options)
            return
        user = get_user(options["user"])
        try:
            data = fetch_account(url=options["url"], token=options["token"])
            report = import_now(
                owner=user,
                source=ImportSource.MONICA_API,
                data=data,
                trust_level=options["trust_level"] or None,
            )
        except ImportFileError as exc:
            raise CommandError(exc.message, returncode=BAD_INPUT) from None
        self.write_report(report, options)
