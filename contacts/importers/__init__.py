"""Importers: LinkedIn Connections.csv (or the export ZIP), vCard, Rapport JSON, Google
Contacts and Outlook CSV, and Monica (its JSON export, or its API through monica_api).

`run_import` is the one entry point. It runs the whole import in one
transaction, so a failure part-way leaves nothing behind, and with
`dry_run=True` it computes exactly the same report and rolls everything back;
that is the preview shown before the user commits.
"""

import logging
from collections.abc import Callable
from datetime import date

from django.contrib.auth.models import User
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext

from contacts.importers.base import (
    PREVIEW_ROWS,
    ImportFileError,
    ImportReport,
    ParsedFile,
    decode_text,
    report_parsed,
)
from contacts.importers.google import parse_google_csv
from contacts.importers.jsondata import import_document
from contacts.importers.linkedin import parse_connections
from contacts.importers.monica import build_account
from contacts.importers.monica_export import read_export, read_fetched
from contacts.importers.monica_writes import monica_details_import
from contacts.importers.outlook import parse_outlook_csv
from contacts.importers.people import apply_people
from contacts.importers.sections import field_counts
from contacts.importers.vcard import parse_vcards
from contacts.models import ImportSource
from reminders.charts import forget_glance

__all__ = ["PREVIEW_ROWS", "ImportFileError", "ImportReport", "run_import"]

logger = logging.getLogger(__name__)
Progress = Callable[[int, int], None]


# The sources whose people keep their source ids (SourceRecord.source), matched by
# strong keys only; both Monica sources give the same ids.
SOURCE_KEYS: dict[str, str] = {
    ImportSource.GOOGLE_CSV: "google",
    ImportSource.OUTLOOK_CSV: "outlook",
    ImportSource.MONICA: "monica",
    ImportSource.MONICA_API: "monica",
}


# The first key of the PostgreSQL advisory locks that serialise one owner's imports
# (the second is the owner's id); any fixed number no other lock in Rapport uses.
IMPORT_LOCK_SPACE = 0x52617069  # "Rapi"


def lock_imports_of(owner: User) -> None:
    """Wait until no other import of `owner` runs, and hold that until this transaction ends.

    Matching reads the account and then writes: two imports of one file confirmed at
    once would each miss the other's uncommitted contacts and create everyone twice.
    Under the lock the second one starts after the first has committed, and matches
    against its result. PostgreSQL: a transaction-scoped advisory lock, which blocks
    nothing but another import of the same owner. SQLite: transactions begin IMMEDIATE
    (crm/settings.py), so one writer at a time already holds the whole database; the
    empty write below takes that lock all the same if this runs in a deferred one.
    """
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)", [IMPORT_LOCK_SPACE, owner.pk])
        else:
            table = User._meta.db_table
            cursor.execute(f"UPDATE {table} SET id = id WHERE id = %s", [owner.pk])  # noqa: S608


class _DryRun(Exception):
    """Raised to roll back a preview."""


def parse_people(source: str, data: bytes) -> ParsedFile:
    if source == ImportSource.LINKEDIN:
        return parse_connections(data)
    if source == ImportSource.VCARD:
        return parse_vcards(data)
    if source == ImportSource.GOOGLE_CSV:
        return parse_google_csv(data)
    if source == ImportSource.OUTLOOK_CSV:
        return parse_outlook_csv(data)
    raise ImportFileError(gettext("Unknown import source “%(source)s”.") % {"source": source})


def _import_invitations(owner: User, data: bytes, report: ImportReport) -> None:
    """Connection requests from the ZIP's Invitations.csv, via the network area's importer."""
    # Imported here: connection_requests uses contacts.importers.base, so importing it at
    # the top would run this package's __init__ half-way when it is imported first.
    from contacts.connection_requests import invitations_import

    try:
        text, warnings = decode_text(data, what="Invitations.csv")
        counts = invitations_import(owner=owner, text=text).counts()
    except (ImportFileError, ValueError) as exc:
        report.warnings.append(gettext("Invitations.csv was left out: %(error)s") % {"error": exc})
        return
    report.warnings += warnings
    report.extra["invitations"] = gettext(
        "%(created)s created, %(already_imported)s already imported, %(skipped)s skipped"
    ) % {name: counts.get(name, 0) for name in ("created", "already_imported", "skipped")}
    report.extra["invitation_counts"] = counts


def _run(
    *,
    owner: User,
    source: str,
    data: bytes,
    trust_level: str | None,
    progress: Progress | None,
    today: date,
) -> ImportReport:
    report = ImportReport()
    if source == ImportSource.JSON:
        import_document(owner=owner, data=data, report=report, progress=progress, today=today)
        return report
    account = None
    if source in (ImportSource.MONICA, ImportSource.MONICA_API):
        document = read_export(data) if source == ImportSource.MONICA else read_fetched(data)
        account = build_account(document)
        parsed, empty = account.parsed, gettext("The Monica account holds no contacts to import.")
    else:
        parsed = parse_people(source, data)
        empty = gettext("The file has a header but no rows to import.")
    report_parsed(parsed, report, today=today, empty=empty)
    ids = apply_people(
        owner=owner,
        records=parsed.records,
        trust_level=trust_level,
        report=report,
        today=today,
        progress=progress,
        with_tags=source != ImportSource.LINKEDIN,
        source=SOURCE_KEYS.get(source, ""),
    )
    if source in SOURCE_KEYS:
        report.extra["fields"] = field_counts(parsed.records)
    if account is not None:
        monica_details_import(owner=owner, account=account, ids=ids, report=report, today=today)
        return report
    report.skipped.sort(key=lambda s: s["line"] or 0)
    if parsed.invitations:
        _import_invitations(owner, parsed.invitations, report)
    return report


def run_import(
    *,
    owner: User,
    source: str,
    data: bytes,
    trust_level: str | None = None,
    dry_run: bool = False,
    progress: Progress | None = None,
    today: date | None = None,
) -> ImportReport:
    """Import `data` for `owner` all at once, or (dry_run) report what would happen."""
    today = today or timezone.localdate()
    report: ImportReport | None = None
    try:
        with transaction.atomic():
            if not dry_run:
                # A preview only rehearses (and rolls back): it need not wait for an
                # import running in the worker, which could keep the page waiting long.
                lock_imports_of(owner)
            report = _run(
                owner=owner,
                source=source,
                data=data,
                trust_level=trust_level or None,
                progress=progress,
                today=today,
            )
            if dry_run:
                raise _DryRun
    except _DryRun:
        pass
    else:
        # Bulk writes send no signals: say here that the dashboard's count may have moved.
        forget_glance(int(owner.pk))
    assert report is not None
    return report
