"""Import LinkedIn Connections.csv (or the data-export ZIP) into an account.

    python manage.py import_linkedin PATH --user USERNAME [--trust-level LEVEL]

Prints `created=N updated=M job_changes=K skipped=S`; exits 2 on bad input.
"""

from contacts.importers.cli import ImportCommand
from contacts.models import ImportSource


class Command(ImportCommand):
    help = "Import LinkedIn Connections.csv (or the data-export ZIP) into an account."
    source = ImportSource.LINKEDIN
