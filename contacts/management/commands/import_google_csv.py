"""Import a Google Contacts export (Export → Google CSV) into an account.

    python manage.py import_google_csv PATH --user USERNAME [--trust-level LEVEL]

Prints `created=N updated=M job_changes=K skipped=S`; exits 2 on bad input.
"""

from contacts.importers.cli import ImportCommand
from contacts.models import ImportSource


class Command(ImportCommand):
    help = "Import a Google Contacts export (Export → Google CSV) into an account."
    source = ImportSource.GOOGLE_CSV
