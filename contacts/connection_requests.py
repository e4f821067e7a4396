"""Connection requests: added by hand or imported from LinkedIn's Invitations.csv, then decided.

For each pending request the user says *I know them* (a contact with a real
trust level and how we met), *Follow only* (a `following` contact), or
*Ignore*. Accepting strangers would dilute what a connection means.
"""

import csv
import io
import zipfile
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext, ngettext

from contacts import limits
from contacts.importers.base import ImportFileError
from contacts.models import (
    ConnectionRequest,
    Contact,
    RequestDirection,
    RequestStatus,
    TrustLevel,
)
from contacts.network import KNOWN_LEVELS, contact_now_known
from contacts.normalize import InvalidLinkedInURL, normalize_linkedin_url, normalize_name
from contacts.services import contact_create
from crm.data_version import data_changed


class InvitationsFormatError(ImportFileError):
    """The text is not LinkedIn's Invitations.csv (no header row, or not CSV at all)."""


def split_name(name: str) -> tuple[str, str]:
    parts = name.split()
    if not parts:
        return "", ""
    if len(parts) == 1:
        return parts[0][:100], ""
    return " ".join(parts[:-1])[:100], parts[-1][:100]


def _clean_url(value: str) -> str:
    try:
        return normalize_linkedin_url(value)
    except InvalidLinkedInURL:
        return ""


@transaction.atomic
def connection_request_create(
    *,
    owner: User,
    name: str,
    linkedin_url: str = "",
    message: str = "",
    direction: str = RequestDirection.INCOMING,
    sent_at: datetime | None = None,
) -> ConnectionRequest:
    name = " ".join(name.split())
    if not name:
        raise ValidationError({"name": gettext("Enter their name.")})
    try:
        url = normalize_linkedin_url(linkedin_url)
    except InvalidLinkedInURL as exc:
        raise ValidationError({"linkedin_url": str(exc)}) from None
    if url and (
        ConnectionRequest.objects.owned_by(owner)
        .filter(linkedin_url=url, direction=direction)
        .exists()
    ):
        raise ValidationError(
            {"linkedin_url": gettext("There is already a request for this profile.")}
        )
    request = ConnectionRequest(
        owner=owner,
        name=name[:200],
        linkedin_url=url,
        message=message.strip(),
        direction=direction,
        sent_at=sent_at or timezone.now(),
    )
    request.full_clean(exclude=["owner", "contact"])
    request.save()
    return request


INVITATION_COLUMNS = {"from", "to", "sent at", "direction"}


@dataclass
class InvitationsReport:
    created: int = 0
    already_imported: int = 0
    skipped: int = 0
    problems: list[str] = field(default_factory=list)

    def summary(self) -> str:
        """ "Imported 3 new requests." plus what was left out, in plain words."""
        created, already, skipped = self.created, self.already_imported, self.skipped
        parts = [
            ngettext("Imported %(count)s new request.", "Imported %(count)s new requests.", created)
            % {"count": created}
        ]
        if already:
            parts.append(
                ngettext("%(count)s was already here.", "%(count)s were already here.", already)
                % {"count": already}
            )
        if skipped:
            parts.append(
                ngettext("%(count)s row skipped.", "%(count)s rows skipped.", skipped)
                % {"count": skipped}
            )
        return " ".join(parts)

    def counts(self) -> dict[str, int]:
        return {
            "created": self.created,
            "already_imported": self.already_imported,
            "skipped": self.skipped,
        }


def parse_sent_at(value: str, zone: Any) -> datetime | None:
    """LinkedIn writes `9/25/26, 8:52 AM` (month first); tolerate a few variants.

    A date outside contacts.limits counts as unreadable: near year 1 or 9999 it could
    not even be converted to UTC to be stored.
    """
    parsed = _read_sent_at(value, zone)
    if parsed is None or not limits.datetime_in_range(parsed, today=timezone.localdate()):
        return None
    return parsed


def _read_sent_at(value: str, zone: Any) -> datetime | None:
    text = " ".join(value.replace(",", " ").split()).upper()
    for pattern in ("%m/%d/%y %I:%M %p", "%m/%d/%Y %I:%M %p", "%m/%d/%y", "%m/%d/%Y"):
        try:
            parsed = datetime.strptime(text, pattern)
        except ValueError:
            continue
        return parsed.replace(tzinfo=zone)
    try:
        parsed = datetime.fromisoformat(value.strip())
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=zone)


def _invitation_rows(text: str) -> tuple[list[str], list[tuple[int, list[str]]]]:
    """The header (lower-cased) and the numbered rows after it, found by content."""
    reader = csv.reader(io.StringIO(text.lstrip("\ufeff")))
    try:
        rows = list(reader)
    except csv.Error as exc:
        # A field past csv's limit (a stray quote swallows the rest) or a NUL byte.
        raise InvitationsFormatError(
            gettext("Invitations.csv could not be read as CSV at line %(line)s: %(error)s.")
            % {"line": reader.line_num, "error": exc}
        ) from None
    for index, row in enumerate(rows):
        header = [cell.strip().lower() for cell in row]
        if set(header) >= INVITATION_COLUMNS:
            return header, [(index + 2 + n, r) for n, r in enumerate(rows[index + 1 :])]
    raise InvitationsFormatError(
        gettext(
            "This is not LinkedIn's Invitations.csv: no header row with From, To, Sent At and "
            "Direction was found."
        )
    )


def looks_like_invitations(data: bytes) -> bool:
    """True when a CSV upload starts like LinkedIn's Invitations.csv (not Connections.csv).

    Only the first few kilobytes are read: the header sits at the top, after at most a
    few lines of notes.
    """
    head = data[:8192].decode("utf-8-sig", errors="replace").lstrip("\ufeff")
    lines = head.splitlines()[:8]
    try:
        rows = list(csv.reader(lines))
    except csv.Error:
        return False
    return any({cell.strip().lower() for cell in row} >= INVITATION_COLUMNS for row in rows)


def invitations_in_upload(data: bytes) -> bytes | None:
    """The Invitations.csv that an upload is, or holds as LinkedIn's export ZIP does.

    A ZIP that also holds Connections.csv is not an invitations upload: the people
    importer reads both from it. A damaged ZIP is left for the importer to explain.
    Raises ImportFileError when the member is over the import limit.
    """
    from contacts.importers.linkedin import is_zip, zip_member

    if not is_zip(data):
        return data if looks_like_invitations(data) else None
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            if zip_member(archive, "Connections.csv") is not None:
                return None
            return zip_member(archive, "Invitations.csv")
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, ValueError):
        return None


def read_invitations(text: str, zone: Any) -> tuple[list[ConnectionRequest], list[str]]:
    """Unsaved requests (without owner) read from the file, and the lines skipped."""
    header, rows = _invitation_rows(text)
    col = {name: header.index(name) for name in header if name}
    problems: list[str] = []
    requests: list[ConnectionRequest] = []

    def cell(row: list[str], name: str) -> str:
        at = col.get(name)
        return row[at].strip() if at is not None and at < len(row) else ""

    for line, row in rows:
        if not any(part.strip() for part in row):
            continue
        direction = cell(row, "direction").lower()
        if direction not in RequestDirection.values:
            problems.append(
                gettext("Line %(line)s: direction “%(direction)s” is unknown.")
                % {"line": line, "direction": cell(row, "direction")}
            )
            continue
        incoming = direction == RequestDirection.INCOMING
        name = " ".join(cell(row, "from" if incoming else "to").split())
        if not name:
            problems.append(gettext("Line %(line)s: no name.") % {"line": line})
            continue
        url_column = "inviterprofileurl" if incoming else "inviteeprofileurl"
        requests.append(
            ConnectionRequest(
                name=name[:200],
                linkedin_url=_clean_url(cell(row, url_column)),
                # LinkedIn caps invitation messages far below this; only a hand-made
                # file reaches it, and the request form allows no more.
                message=cell(row, "message")[: limits.SHORT_NOTE_MAX],
                direction=direction,
                sent_at=parse_sent_at(cell(row, "sent at"), zone),
            )
        )
    return requests, problems


def _request_key(request: ConnectionRequest) -> tuple[Any, ...]:
    if request.linkedin_url:
        return ("url", request.linkedin_url, request.direction)
    return ("name", normalize_name(request.name), request.direction, request.sent_at)


def invitations_import_file(*, owner: User, data: bytes) -> tuple[InvitationsReport, bool]:
    """Import an uploaded Invitations.csv; True alongside when it was not UTF-8.

    Raises InvitationsFormatError (with words for the person) when it cannot be read.
    """
    try:
        text, guessed = data.decode("utf-8-sig"), False
    except UnicodeDecodeError:
        text, guessed = data.decode("cp1252", errors="replace"), True
    if "\x00" in text:
        # Binary, or UTF-16 without a BOM; PostgreSQL could not store it anyway.
        raise InvitationsFormatError(
            gettext("This file looks binary, not text. Is it Invitations.csv?")
        )
    try:
        return invitations_import(owner=owner, text=text), guessed
    except csv.Error as error:
        raise InvitationsFormatError(
            gettext("This file could not be read as CSV: %(error)s") % {"error": error}
        ) from None


@transaction.atomic
def invitations_import(*, owner: User, text: str) -> InvitationsReport:
    """Import LinkedIn's Invitations.csv; requests already imported are left alone."""
    from crm.models import UserSettings

    zone = UserSettings.for_user(owner).zone
    found, problems = read_invitations(text, zone)
    report = InvitationsReport(skipped=len(problems), problems=problems)
    existing = ConnectionRequest.objects.owned_by(owner).filter(
        Q(linkedin_url__in={r.linkedin_url for r in found if r.linkedin_url})
        | Q(linkedin_url="", name__in={r.name for r in found if not r.linkedin_url})
    )
    seen = {_request_key(r) for r in existing.only("name", "linkedin_url", "direction", "sent_at")}
    new: list[ConnectionRequest] = []
    for request in found:
        key = _request_key(request)
        if key in seen:
            report.already_imported += 1
            continue
        seen.add(key)
        request.owner = owner
        new.append(request)
    # ignore_conflicts: a concurrent import of the same file must not fail on the constraint.
    ConnectionRequest.objects.bulk_create(new, ignore_conflicts=True)
    data_changed(int(owner.pk))  # a bulk write sends no signal
    report.created = len(new)
    return report


def pending_requests(owner: User) -> QuerySet[ConnectionRequest]:
    return ConnectionRequest.objects.owned_by(owner).filter(status=RequestStatus.PENDING)


def _contact_for_request(request: ConnectionRequest) -> Contact | None:
    if not request.linkedin_url:
        return None
    return (
        Contact.objects.owned_by(request.owner)
        .filter(linkedin_url=request.linkedin_url)
        .order_by("pk")
        .first()
    )


def _request_note(request: ConnectionRequest) -> str:
    if not request.message:
        return ""
    if request.sent_at:
        return gettext("LinkedIn invitation (%(day)s): %(message)s") % {
            "day": date_format(request.sent_at, "j M Y"),
            "message": request.message,
        }
    return gettext("LinkedIn invitation: %(message)s") % {"message": request.message}


def _decide(request: ConnectionRequest, status: str, contact: Contact | None) -> None:
    request.status = status
    request.contact = contact
    request.decided_at = timezone.now()
    request.save(update_fields=["status", "contact", "decided_at"])


def _ensure_pending(request: ConnectionRequest) -> None:
    if request.status != RequestStatus.PENDING:
        raise ValidationError(
            gettext("This request was already decided: %(status)s.")
            % {"status": request.get_status_display()}
        )


@transaction.atomic
def request_know(*, request: ConnectionRequest, trust_level: str, how_we_met: str) -> Contact:
    """I know them: a contact with a real trust level and how we met (required)."""
    _ensure_pending(request)
    if trust_level not in KNOWN_LEVELS:
        raise ValidationError({"trust_level": gettext("Choose how well you know them.")})
    if not how_we_met.strip():
        raise ValidationError(
            {"how_we_met": gettext("Say how you met. If you can't, follow them instead.")}
        )
    contact = _contact_for_request(request)
    if contact is None:
        contact = _new_contact(request, trust_level=trust_level, how_we_met=how_we_met.strip())
    else:
        contact_now_known(contact=contact, trust_level=trust_level, how_we_met=how_we_met)
    _decide(request, RequestStatus.KNOWN, contact)
    return contact


@transaction.atomic
def request_follow(*, request: ConnectionRequest) -> Contact:
    """Follow only: a `following` contact, no relationship implied."""
    _ensure_pending(request)
    contact = _contact_for_request(request) or _new_contact(
        request, trust_level=TrustLevel.FOLLOWING
    )
    # An existing contact keeps its trust level: following never downgrades someone known.
    _decide(request, RequestStatus.FOLLOWING, contact)
    return contact


def _new_contact(request: ConnectionRequest, *, trust_level: str, how_we_met: str = "") -> Contact:
    """The person behind a request, with its message kept in their notes."""
    first, last = split_name(request.name)
    return contact_create(
        owner=request.owner,
        first_name=first,
        last_name=last,
        linkedin_url=request.linkedin_url,
        trust_level=trust_level,
        how_we_met=how_we_met,
        notes=_request_note(request),
    )


@transaction.atomic
def request_ignore(*, request: ConnectionRequest) -> None:
    _ensure_pending(request)
    _decide(request, RequestStatus.IGNORED, None)
