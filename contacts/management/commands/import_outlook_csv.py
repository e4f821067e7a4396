"""Import an Outlook contacts export (CSV, English headers) into an account.

    python manage.py import_outlook_csv PATH --user USERNAME [--trust-level LEVEL]

Prints `created=N updated=M job_changes=K skipped=S`; exits 2 on bad input.
"""

from contacts.importers.cli import ImportCommand
from contacts.models import ImportSource


class Command(ImportCommand):
    help = "Import an Outlook contacts export (CSV, English headers) into an account."
    source = ImportSource.OUTLOOK_CSV
