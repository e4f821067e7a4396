"""Import a Rapport JSON backup (format v1) into an account.

    python manage.py import_data PATH --user USERNAME [--trust-level LEVEL]

Prints `created=N updated=M job_changes=K skipped=S`; exits 2 on bad input.
"""

from contacts.importers.cli import ImportCommand
from contacts.models import ImportSource


class Command(ImportCommand):
    help = "Import a Rapport JSON backup (format v1) into an account."
    source = ImportSource.JSON
