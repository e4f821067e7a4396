"""What every importer shares: the error users see, the parsed row, and the report."""

from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from contacts import limits
from contacts.models import Contact
from crm.formats import grouped

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

# Longest text per PersonRecord field: the model's columns, and contacts.limits for notes.
TEXT_LIMITS = (
    ("first_name", _("first name"), 100),
    ("last_name", _("last name"), 100),
    ("company", _("company"), 200),
    ("title", pgettext_lazy("job title", "title"), 200),
    ("how_we_met", _("how we met"), limits.HOW_WE_MET_MAX),
    ("met_at", _("place met"), 200),
    ("notes", _("notes"), limits.NOTES_MAX),
)


class ImportFileError(ValueError):
    """The file as a whole cannot be imported; the message is shown to the user."""

    def __init__(self, message: str, *, status: int = 400) -> None:
        super().__init__(message)
        self.message = message
        self.status = status


def check_row_count(rows: int) -> None:
    """Refuse a file with more people than IMPORT_MAX_ROWS.

    The preview rehearses the whole import inside a web request: past this many rows
    it would outlast the request (and the web worker) instead of answering.
    """
    if rows > settings.IMPORT_MAX_ROWS:
        raise ImportFileError(
            gettext(
                "This file has %(rows)s rows; Rapport imports at most %(most)s at a time "
                "(IMPORT_MAX_ROWS). Split it and import the parts one after the other."
            )
            % {"rows": grouped(rows), "most": grouped(settings.IMPORT_MAX_ROWS)},
            status=413,
        )


@dataclass
class PersonRecord:
    """One person as read from a file, before matching against existing contacts."""

    line: int
    first_name: str = ""
    last_name: str = ""
    emails: list[tuple[str, str]] = field(default_factory=list)  # (address, label)
    phones: list[tuple[str, str]] = field(default_factory=list)  # (number, label)
    linkedin_url: str = ""
    company: str = ""
    title: str = ""
    connected_on: date | None = None
    birthday: tuple[int | None, int, int] | None = None  # (year or None, month, day)
    notes: str = ""
    tags: list[str] = field(default_factory=list)
    # The image bytes of a vCard PHOTO (checked and re-encoded when stored).
    photo: bytes = b""
    # The source's own id for this person (Monica's uuid; a fingerprint of a Google or
    # Outlook row), kept as a SourceRecord so a re-import finds them again.
    source_id: str = ""
    # How we met (Monica's "how you met").
    how_we_met: str = ""
    met_on: date | None = None
    met_at: str = ""
    # Sources that write "From …:" sections into the notes: a known contact's notes get
    # the sections they lack appended, rather than only filling empty notes.
    notes_append: bool = False
    # What the report counts: source fields that landed in Rapport fields, and those kept
    # in the notes (by heading).
    fields_mapped: int = 0
    fields_in_notes: dict[str, int] = field(default_factory=dict)

    @property
    def full_name(self) -> str:
        return " ".join(part for part in (self.first_name, self.last_name) if part)

    def as_preview(self) -> dict[str, Any]:
        return {
            "line": self.line,
            "name": self.full_name,
            "emails": ", ".join(address for address, _ in self.emails),
            "company": self.company,
            "title": self.title,
            "linkedin_url": self.linkedin_url,
            "connected_on": self.connected_on.isoformat() if self.connected_on else "",
        }


def fit_record(record: PersonRecord, *, today: date) -> list[str]:
    """Bring one person read from a file within Rapport's limits; says what changed.

    Too long a text is cut, a date out of range is left empty, and a birthday whose
    year is out of range keeps its day and month: a person is never dropped for that.
    """
    changes = []
    where = gettext("Line %(line)s") % {"line": record.line}
    for name, label, limit in TEXT_LIMITS:
        value = getattr(record, name)
        if len(value) > limit:
            setattr(record, name, value[:limit].rstrip())
            changes.append(
                gettext("%(where)s: %(field)s cut to %(limit)s characters (it had %(length)s).")
                % {
                    "where": where,
                    "field": label,
                    "limit": grouped(limit),
                    "length": grouped(len(value)),
                }
            )
    changes += _fit_details(record, where)
    if record.met_on and not limits.in_range(record.met_on, today=today):
        changes.append(
            gettext("%(where)s: first met on %(day)s is outside %(range)s; left empty.")
            % {"where": where, "day": record.met_on.isoformat(), "range": limits.range_text(today)}
        )
        record.met_on = None
    if record.connected_on and not limits.in_range(record.connected_on, today=today):
        changes.append(
            gettext("%(where)s: connected on %(day)s is outside %(range)s; left empty.")
            % {
                "where": where,
                "day": record.connected_on.isoformat(),
                "range": limits.range_text(today),
            }
        )
        record.connected_on = None
    if record.birthday:
        year, month, day = record.birthday
        shown = f"{year:04d}-{month:02d}-{day:02d}" if year else f"--{month:02d}-{day:02d}"
        if limits.birthday_problem(None, month, day, today=today):
            record.birthday = None
            changes.append(
                gettext("%(where)s: birthday %(day)s is not a real date; left empty.")
                % {"where": where, "day": shown}
            )
        elif problem := limits.birthday_problem(year, month, day, today=today):
            record.birthday = (None, month, day)
            changes.append(
                gettext("%(where)s: birthday %(day)s %(problem)s; kept the day and month only.")
                % {"where": where, "day": shown, "problem": problem}
            )
    return changes


PREVIEW_ROWS = 10  # rows of the file shown as read on the preview


def report_parsed(parsed: "ParsedFile", report: "ImportReport", *, today: date, empty: str) -> None:
    """A parsed file into the report: refuse it empty or too long, fit each person to
    Rapport's limits (saying what changed), and list the skipped rows and the first rows."""
    if not parsed.records and not parsed.skipped:
        raise ImportFileError(empty)
    check_row_count(len(parsed.records) + len(parsed.skipped))
    report.warnings += parsed.warnings
    for record in parsed.records:
        report.warnings += fit_record(record, today=today)
    report.skipped += parsed.skipped
    report.total_rows = len(parsed.records) + len(parsed.skipped)
    report.preview_rows = [r.as_preview() for r in parsed.records[:PREVIEW_ROWS]]


def email_problem(address: str) -> str | None:
    """Why the contact form would refuse this (normalised) address, or None."""
    if len(address) > limits.EMAIL_LENGTH_MAX:
        return gettext("is %(length)s characters long (at most %(most)s)") % {
            "length": grouped(len(address)),
            "most": limits.EMAIL_LENGTH_MAX,
        }
    try:
        validate_email(address)
    except ValidationError:
        return gettext("is not an email address")
    return None


def capped(
    values: list[Any], limit: int, what: "StrOrPromise", where: str
) -> tuple[list[Any], list[str]]:
    """The first `limit` values, and a warning when there were more.

    The contact form refuses more than this many, so a contact imported with more
    could no longer be saved there.
    """
    if len(values) <= limit:
        return values, []
    return values[:limit], [
        gettext(
            "%(where)s: kept the first %(limit)s %(what)s of %(count)s "
            "(a contact has at most %(limit)s)."
        )
        % {"where": where, "limit": limit, "what": what, "count": grouped(len(values))},
    ]


def _fit_details(record: PersonRecord, where: str) -> list[str]:
    """Emails, phones and tags as the contact form would take them."""
    changes: list[str] = []
    emails: dict[str, str] = {}
    for address, label in record.emails:
        if problem := email_problem(address):
            changes.append(
                gettext("%(where)s: email “%(address)s” %(problem)s; left out.")
                % {"where": where, "address": address[:60], "problem": problem}
            )
        else:
            emails.setdefault(address, label[: limits.LABEL_MAX])
    phones: dict[str, str] = {}
    for number, label in record.phones:
        if len(number) > limits.PHONE_LENGTH_MAX:
            changes.append(
                gettext(
                    "%(where)s: phone “%(number)s” is longer than %(most)s characters; left out."
                )
                % {"where": where, "number": number[:60], "most": limits.PHONE_LENGTH_MAX}
            )
        else:
            phones.setdefault(number, label[: limits.LABEL_MAX])
    tags = list(
        dict.fromkeys(t.strip().lower()[: limits.TAG_LENGTH_MAX].strip() for t in record.tags)
    )
    tags = [t for t in tags if t]
    record.emails, more = capped(
        list(emails.items()), limits.EMAILS_MAX, _("email addresses"), where
    )
    changes += more
    record.phones, more = capped(list(phones.items()), limits.PHONES_MAX, _("phone numbers"), where)
    changes += more
    record.tags, more = capped(tags, limits.TAGS_MAX, _("tags"), where)
    return changes + more


@dataclass
class ParsedFile:
    records: list[PersonRecord]
    skipped: list[dict[str, Any]] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    # Extra payloads found alongside (the LinkedIn ZIP's Invitations.csv).
    invitations: bytes | None = None


def contact_ref(contact: Contact, **extra: Any) -> dict[str, Any]:
    return {"id": contact.pk, "name": contact.full_name, **extra}


@dataclass
class ImportReport:
    created: list[dict[str, Any]] = field(default_factory=list)
    updated: list[dict[str, Any]] = field(default_factory=list)
    job_changes: list[dict[str, Any]] = field(default_factory=list)
    skipped: list[dict[str, Any]] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    preview_rows: list[dict[str, Any]] = field(default_factory=list)
    total_rows: int = 0
    extra: dict[str, Any] = field(default_factory=dict)

    def skip(self, line: int | None, reason: str) -> None:
        self.skipped.append({"line": line, "reason": reason})

    @property
    def summary(self) -> str:
        return (
            f"created={len(self.created)} updated={len(self.updated)} "
            f"job_changes={len(self.job_changes)} skipped={len(self.skipped)}"
        )

    def as_dict(self, *, limit: int | None = None) -> dict[str, Any]:
        """The JSON kept on ImportJob.report; long lists are cut to `limit` entries."""

        def cut(items: list[dict[str, Any]]) -> list[dict[str, Any]]:
            return items if limit is None else items[:limit]

        return {
            "created": cut(self.created),
            "updated": cut(self.updated),
            "job_changes": cut(self.job_changes),
            "skipped": cut(self.skipped),
            # Kept bounded like the lists (a 50,000-row file can warn on every row);
            # counts["warnings"] says how many there were.
            "warnings": self.warnings if limit is None else self.warnings[:limit],
            "preview_rows": self.preview_rows,
            "counts": {
                "created": len(self.created),
                "updated": len(self.updated),
                "job_changes": len(self.job_changes),
                "skipped": len(self.skipped),
                "warnings": len(self.warnings),
            },
            **self.extra,
        }


def decode_text(data: bytes, *, what: "StrOrPromise" = "") -> tuple[str, list[str]]:
    """Decode UTF-8 (with or without BOM); fall back to Windows-1252 and say so.

    `what` names the upload in the messages ("vCard file"), translated by the caller."""
    values = {"what": what or gettext("file")}
    if not data.strip(b"\x00\r\n\t ,"):
        raise ImportFileError(gettext("The %(what)s is empty.") % values)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    else:
        # Valid UTF-8 may still hold NUL bytes (UTF-16 without a BOM, a corrupted file):
        # no text format Rapport reads has them, and PostgreSQL cannot store them.
        if "\x00" in text:
            raise ImportFileError(_binary() % values)
        return text, []
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError:
        raise ImportFileError(
            gettext("The %(what)s is neither UTF-8 nor Windows-1252 text. Is it the right file?")
            % values
        ) from None
    if "\x00" in text:
        raise ImportFileError(_binary() % values)
    return text, [
        gettext(
            "The %(what)s is not valid UTF-8; it was read as Windows-1252 (Western European). "
            "Check accented names in the result."
        )
        % values
    ]


def _binary() -> str:
    return gettext("The %(what)s looks binary, not text. Is it the right file?")
