"""Import a Monica 4.x account from its JSON export (Settings → Export → JSON).

    python manage.py import_monica PATH --user USERNAME [--trust-level LEVEL]

Prints `created=N updated=M job_changes=K skipped=S` and where the fields went;
exits 2 on bad input (a file that is not a Monica export).
"""

from contacts.importers.cli import ImportCommand
from contacts.models import ImportSource


class Command(ImportCommand):
    help = "Import a Monica 4.x account from its JSON export."
    source = ImportSource.MONICA
