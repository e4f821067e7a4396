"""Export an account as a JSON backup, vCards or CSV.

    python manage.py export_data --user USERNAME --format json|vcard|csv [--output PATH]

Streams to standard output, or to PATH (written whole only once complete).
"""

import os
import tempfile
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from contacts.exporters import EXPORTS
from contacts.importers.cli import BAD_INPUT, get_user


class Command(BaseCommand):
    help = "Export an account's contacts (json backup, vcard or csv)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--user", required=True, help="Username of the account.")
        parser.add_argument("--format", required=True, choices=sorted(EXPORTS))
        parser.add_argument("--vcard-version", default="3.0", choices=["3.0", "4.0"])
        parser.add_argument("--output", help="File to write (default: standard output).")

    def handle(self, *args: Any, **options: Any) -> None:
        user = get_user(options["user"])
        _, _, exporter = EXPORTS[options["format"]]
        extra = (options["vcard_version"],) if options["format"] == "vcard" else ()
        chunks = exporter(user, *extra)
        if not options["output"]:
            for chunk in chunks:
                self.stdout.write(chunk, ending="")
            return
        target = Path(options["output"])
        if not target.parent.is_dir():
            raise CommandError(f"No such directory: {target.parent}", returncode=BAD_INPUT)
        # Write beside the target and rename, so a failed export never leaves half a file.
        handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.")
        try:
            with os.fdopen(handle, "w", encoding="utf-8", newline="") as out:
                for chunk in chunks:
                    out.write(chunk)
            os.replace(temporary, target)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
        self.stderr.write(f"Wrote {target}")
