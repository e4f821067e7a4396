"""Files that crashed the importers: each is now a message naming the file, row and reason.

Whole-file problems (a ZIP Rapport cannot open, a CSV it cannot read, a number no
JSON reader takes) answer 400 on the web and exit 2 on the command line, with
nothing saved. A bad value in one row leaves that value (or row) out with a
warning, and the limits of the contact form apply to every person imported.
"""

import io
import struct
import zipfile
from io import StringIO
from pathlib import Path

import pytest
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse

from contacts import limits
from contacts.forms import ContactForm
from contacts.importers import ImportFileError, run_import
from contacts.models import ConnectionRequest, Contact, ContactEmail, ImportJob, Interaction
from tests.factories import ContactEmailFactory, ContactFactory, backup_json

CSV_HEADER = "First Name,Last Name,URL,Email Address,Company,Position,Connected On\r\n"
INVITATIONS_HEADER = "From,To,Sent At,Message,Direction,inviterProfileUrl,inviteeProfileUrl\r\n"
ROW = "Jill,Okafor,https://www.linkedin.com/in/jill-okafor,,Northwind,Partner,14 Mar 2019\r\n"
LONG_URL = "https://www.linkedin.com/in/" + "a" * 300


def _zip(files: dict[str, bytes | str], method: int = zipfile.ZIP_DEFLATED) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", method) as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def _patch_headers(data: bytes, *, flags: int = 0, method: int | None = None) -> bytes:
    """Set flag bits or the compression method in every local and central header."""
    out = bytearray(data)
    for signature, flag_at, method_at in ((b"PK\x03\x04", 6, 8), (b"PK\x01\x02", 8, 10)):
        start = 0
        while (at := out.find(signature, start)) != -1:
            (old,) = struct.unpack_from("<H", out, at + flag_at)
            struct.pack_into("<H", out, at + flag_at, old | flags)
            if method is not None:
                struct.pack_into("<H", out, at + method_at, method)
            start = at + 4
    return bytes(out)


EXPORT = _zip({"Connections.csv": (CSV_HEADER + ROW).encode()})
ENCRYPTED = _patch_headers(EXPORT, flags=0x1)
DEFLATE64 = _patch_headers(EXPORT, method=9)


def _corrupt(data: bytes) -> bytes:
    # Garble the compressed bytes of the first member, keeping every header intact.
    out = bytearray(data)
    start = 30 + len("Connections.csv")
    for offset in range(start, start + 20):
        out[offset] ^= 0x5A
    return bytes(out)


CORRUPT = _corrupt(_zip({"Connections.csv": (CSV_HEADER + ROW * 50).encode()}))


def _upload(client: Client, source: str, name: str, data: bytes) -> tuple[int, str]:
    upload = SimpleUploadedFile(name, data, content_type="application/octet-stream")
    response = client.post(reverse("contacts:import"), {"source": source, "file": upload})
    return response.status_code, response.content.decode()


def _command(command: str, path: Path) -> CommandError:
    with pytest.raises(CommandError) as error:
        call_command(command, str(path), "--user", "alice", stdout=StringIO(), stderr=StringIO())
    return error.value


WHOLE_FILE = [
    ("encrypted", ENCRYPTED, "Connections.csv in the ZIP is password-protected"),
    (
        "deflate64",
        DEFLATE64,
        "Connections.csv in the ZIP is packed with Deflate64, which Rapport cannot unpack",
    ),
    ("corrupt", CORRUPT, "Connections.csv in the ZIP is damaged"),
]


@pytest.mark.parametrize(("label", "data", "message"), WHOLE_FILE, ids=[w[0] for w in WHOLE_FILE])
@pytest.mark.django_db
def test_a_zip_rapport_cannot_open_answers_400_with_the_reason(
    label: str, data: bytes, message: str, auth_client: Client
) -> None:
    status, page = _upload(auth_client, "linkedin", "export.zip", data)
    assert status == 400
    assert message in page
    assert not ImportJob.objects.exists()
    assert not Contact.objects.exists()


@pytest.mark.parametrize(("label", "data", "message"), WHOLE_FILE, ids=[w[0] for w in WHOLE_FILE])
@pytest.mark.django_db
def test_a_zip_rapport_cannot_open_exits_2_on_the_command_line(
    label: str, data: bytes, message: str, user: User, tmp_path: Path
) -> None:
    path = tmp_path / "export.zip"
    path.write_bytes(data)
    error = _command("import_linkedin", path)
    assert error.returncode == 2
    assert message in str(error)
    assert not Contact.objects.exists()


@pytest.mark.django_db
def test_the_same_zip_unbroken_imports(user: User) -> None:
    report = run_import(owner=user, source="linkedin", data=EXPORT)
    assert [c["name"] for c in report.created] == ["Jill Okafor"]


@pytest.mark.django_db
def test_an_unreadable_invitations_csv_in_the_zip_is_left_out_with_its_line(user: User) -> None:
    invitations = INVITATIONS_HEADER + "Ann,Sam,,hi,INCOMING,,\r\n" + '"' + "x" * 300_000
    data = _zip({"Connections.csv": (CSV_HEADER + ROW).encode(), "Invitations.csv": invitations})
    report = run_import(owner=user, source="linkedin", data=data)
    assert len(report.created) == 1
    assert any(
        w.startswith(
            "Invitations.csv was left out: Invitations.csv could not be read as CSV at line"
        )
        and "field larger than field limit" in w
        for w in report.warnings
    ), report.warnings
    assert not ConnectionRequest.objects.exists()


@pytest.mark.django_db
def test_an_invitation_with_an_overlong_profile_url_keeps_the_request_without_it(
    user: User,
) -> None:
    invitations = INVITATIONS_HEADER + f'Ann Lee,Sam,"9/25/26, 8:52 AM",hi,INCOMING,{LONG_URL},\r\n'
    data = _zip({"Connections.csv": (CSV_HEADER + ROW).encode(), "Invitations.csv": invitations})
    run_import(owner=user, source="linkedin", data=data)
    request = ConnectionRequest.objects.get()
    assert (request.name, request.linkedin_url) == ("Ann Lee", "")


@pytest.mark.django_db
def test_an_overlong_linkedin_url_in_a_csv_is_left_out_with_a_warning(user: User) -> None:
    data = (CSV_HEADER + f"Ann,Lee,{LONG_URL},,Acme,CTO,\r\n").encode()
    report = run_import(owner=user, source="linkedin", data=data)
    contact = Contact.objects.get()
    assert contact.full_name == "Ann Lee" and contact.linkedin_url == ""
    assert any(
        w.startswith("Line 2: “https://www.linkedin.com/in/aaa") and "is not a LinkedIn" in w
        for w in report.warnings
    )


@pytest.mark.django_db
def test_an_overlong_linkedin_url_in_a_vcard_is_kept_in_the_notes_only(user: User) -> None:
    card = f"BEGIN:VCARD\r\nVERSION:3.0\r\nN:Lee;Ann\r\nURL:{LONG_URL}\r\nEND:VCARD\r\n"
    run_import(owner=user, source="vcard", data=card.encode())
    contact = Contact.objects.get()
    assert contact.linkedin_url == ""
    assert contact.notes == f"Web: {LONG_URL}"


@pytest.mark.parametrize("source", ["linkedin", "vcard"])
@pytest.mark.django_db
def test_an_email_over_254_characters_is_left_out_with_a_warning(user: User, source: str) -> None:
    address = "a" * 250 + "@example.org"
    if source == "linkedin":
        data = (CSV_HEADER + f"Ann,Lee,,{address},,,\r\n").encode()
    else:
        data = f"BEGIN:VCARD\r\nN:Lee;Ann\r\nEMAIL:{address}\r\nEND:VCARD\r\n".encode()
    report = run_import(owner=user, source=source, data=data)
    assert Contact.objects.get().full_name == "Ann Lee"
    assert not ContactEmail.objects.exists()
    assert any("is 262 characters long (at most 254); left out." in w for w in report.warnings)


def _card_with(count: int, emails: int = 0, phones: int = 0, tags: int = 0) -> str:
    lines = ["BEGIN:VCARD", "VERSION:3.0", "N:Lee;Ann"]
    lines += [f"EMAIL:ann{n}@example.org" for n in range(emails)]
    lines += [f"TEL:+1 555 {n:04d}" for n in range(phones)]
    if tags:
        lines.append("CATEGORIES:" + ",".join(f"tag{n}" for n in range(tags)))
    return "\r\n".join([*lines, "END:VCARD", ""])


@pytest.mark.django_db
def test_a_vcard_cannot_give_one_person_more_than_the_form_takes(user: User) -> None:
    card = _card_with(1, emails=10_000, phones=10_000, tags=10_000)
    report = run_import(owner=user, source="vcard", data=card.encode())
    contact = Contact.objects.get()
    assert contact.emails.count() == limits.EMAILS_MAX
    assert contact.phones.count() == limits.PHONES_MAX
    assert contact.tags.count() == limits.TAGS_MAX
    assert (
        "Line 1: kept the first 20 email addresses of 10,000 (a contact has at most 20)."
        in report.warnings
    )
    assert "Line 1: kept the first 30 tags of 10,000 (a contact has at most 30)." in report.warnings
    # The point of the limits: the contact can still be saved in the form.
    initial = ContactForm(owner=user, contact=contact).initial
    data = {key: "" if value is None else value for key, value in initial.items()}
    form = ContactForm(data=data, owner=user, contact=contact)
    assert form.is_valid(), form.errors


@pytest.mark.django_db
def test_a_reimport_fills_a_known_contact_only_up_to_the_limits(user: User) -> None:
    contact = ContactFactory(owner=user, first_name="Ann", last_name="Lee")
    for n in range(limits.EMAILS_MAX - 2):
        ContactEmailFactory(contact=contact, email=f"old{n}@example.org")
    card = _card_with(1, emails=5).replace("EMAIL:ann0@", "EMAIL:old0@")
    report = run_import(owner=user, source="vcard", data=card.encode())
    assert contact.emails.count() == limits.EMAILS_MAX
    assert report.updated[0]["changes"] == ["email ann1@example.org", "email ann2@example.org"]
    assert (
        "Line 1: Ann Lee already has 18 email addresses; 2 of the 4 new ones left out "
        "(a contact has at most 20)." in report.warnings
    )


@pytest.mark.django_db
def test_an_importer_error_names_the_file(user: User) -> None:
    with pytest.raises(ImportFileError, match=r"Connections\.csv in the ZIP"):
        run_import(owner=user, source="linkedin", data=ENCRYPTED)


# --- Rapport JSON backup --------------------------------------------------------------


def _backup(contacts: list[object], interactions: list[object] | None = None) -> bytes:
    return backup_json(contacts=contacts, interactions=interactions or [])


HUGE_NUMBER = b'{"format": "rapport", "version": 1,\n "contacts": [{"id": ' + b"9" * 5000 + b"}]}"


@pytest.mark.django_db
def test_a_backup_with_a_5000_digit_number_answers_400_naming_where(
    auth_client: Client,
) -> None:
    status, page = _upload(auth_client, "json", "backup.json", HUGE_NUMBER)
    assert status == 400
    assert "holds a number 5,000 digits long (line 2, column 22)" in page
    assert not ImportJob.objects.exists()


@pytest.mark.django_db
def test_a_backup_with_a_5000_digit_number_exits_2(user: User, tmp_path: Path) -> None:
    path = tmp_path / "backup.json"
    path.write_bytes(HUGE_NUMBER)
    error = _command("import_data", path)
    assert error.returncode == 2
    assert "5,000 digits long" in str(error)


LIST_FIELDS = ["positions", "emails", "phones", "tags", "custom_dates"]


@pytest.mark.parametrize("value", [5, {"company": "Acme"}], ids=["number", "object"])
@pytest.mark.parametrize("key", LIST_FIELDS)
@pytest.mark.django_db
def test_a_list_field_that_is_not_a_list_skips_that_contact_with_the_reason(
    user: User, key: str, value: object
) -> None:
    data = _backup([{"first_name": "Ann", key: value}, {"first_name": "Bo"}])
    report = run_import(owner=user, source="json", data=data)
    assert list(Contact.objects.values_list("first_name", flat=True)) == ["Bo"]
    plural = key if key.endswith("s") else key + "s"
    assert report.skipped[0]["line"] == 1
    assert report.skipped[0]["reason"].startswith(f'Contact 1: "{plural}" must be a list')


@pytest.mark.parametrize("value", [5, {"1": 1}], ids=["number", "object"])
@pytest.mark.django_db
def test_an_interaction_whose_contacts_are_not_a_list_is_skipped(user: User, value: object) -> None:
    interactions = [
        {"kind": "call", "occurred_on": "2024-01-02", "summary": "x", "contacts": value},
        {"kind": "call", "occurred_on": "2024-01-03", "summary": "y", "contacts": [1]},
    ]
    report = run_import(
        owner=user, source="json", data=_backup([{"id": 1, "first_name": "Ann"}], interactions)
    )
    assert list(Interaction.objects.values_list("summary", flat=True)) == ["y"]
    assert {"line": None, "reason": 'Interaction 1: "contacts" must be a list.'} in report.skipped


@pytest.mark.django_db
def test_a_backup_email_over_254_characters_is_left_out_with_a_warning(user: User) -> None:
    address = "a" * 250 + "@example.org"
    data = _backup([{"first_name": "Ann", "emails": [address, "ann@example.org"]}])
    report = run_import(owner=user, source="json", data=data)
    assert list(ContactEmail.objects.values_list("email", flat=True)) == ["ann@example.org"]
    assert report.warnings == [
        f'Contact 1 (Ann): email "{address[:60]}" is 262 characters long (at most 254), '
        "and was left out."
    ]


@pytest.mark.django_db
def test_a_backup_cannot_give_one_person_more_than_the_form_takes(user: User) -> None:
    person = {
        "first_name": "Ann",
        "emails": [f"ann{n}@example.org" for n in range(10_000)],
        "phones": [f"+1 555 {n:05d}" for n in range(10_000)],
        "tags": [f"tag{n}" for n in range(10_000)],
    }
    report = run_import(owner=user, source="json", data=_backup([person]))
    contact = Contact.objects.get()
    assert contact.emails.count() == limits.EMAILS_MAX
    assert contact.phones.count() == limits.PHONES_MAX
    assert contact.tags.count() == limits.TAGS_MAX
    assert report.warnings == [
        "Contact 1 (Ann): only the first 20 of its 10,000 email addresses were kept.",
        "Contact 1 (Ann): only the first 20 of its 10,000 phone numbers were kept.",
        "Contact 1 (Ann): only the first 30 of its 10,000 tags were kept.",
    ]
    initial = ContactForm(owner=user, contact=contact).initial
    data = {key: "" if value is None else value for key, value in initial.items()}
    assert ContactForm(data=data, owner=user, contact=contact).is_valid()


@pytest.mark.django_db
def test_a_url_with_a_stray_bracket_is_not_a_linkedin_profile(user: User) -> None:
    # urlsplit raises ValueError ("Invalid IPv6 URL") for it; found by the fuzz tests.
    data = (CSV_HEADER + "Ann,Lee,https://[www.linkedin.com/in/ann,,,,\r\n").encode()
    report = run_import(owner=user, source="linkedin", data=data)
    assert Contact.objects.get().linkedin_url == ""
    assert report.warnings[0].startswith("Line 2: “https://[www.linkedin.com/in/ann” is not")
    form = ContactForm(
        data={"first_name": "Ann", "linkedin_url": "https://[linkedin.com/in/ann"}, owner=user
    )
    assert not form.is_valid() and "linkedin_url" in form.errors


@pytest.mark.django_db
def test_a_csv_that_cannot_be_read_answers_400_with_the_line(auth_client: Client) -> None:
    # Past csv's field limit (131,072), under IMPORT_PREVIEW_INLINE_BYTES: checked in the
    # request. A larger file is checked the same way by the worker's preview.
    data = (CSV_HEADER + ROW + '"' + "x" * 140_000).encode()
    status, page = _upload(auth_client, "linkedin", "Connections.csv", data)
    assert status == 400
    assert "The CSV file could not be read at line 3: field larger than field limit" in page
    assert not ImportJob.objects.exists() and not Contact.objects.exists()


# Whole files each importer refuses, with (part of) the reason it gives.
UNREADABLE = [
    ("linkedin", "", "empty"),
    ("linkedin", " ,,\r\n\r\n", "empty"),
    ("linkedin", "Name,Company\nJill,Northwind\n", "No header row"),
    ("linkedin", CSV_HEADER, "no rows"),
    ("vcard", "BEGIN:VCARD\nVERSION:3.0\nFN:Jill\n", "no END:VCARD"),
    ("vcard", "hello, this is not a card\n", "No vCards found"),
    ("vcard", "FN:Jill\nEND:VCARD\n", "has no BEGIN"),
    ("vcard", "", "empty"),
    ("json", '{"format": "rapport", "version": 2, "contacts": []}', "newer Rapport"),
    ("json", '{"format": "monica", "version": 1}', "not a Rapport backup"),
    ("json", '{"format": "rapport"}', "version"),
    ("json", '{"format": "rapport", "version": 1, "contacts": {}}', "must be a list"),
    ("json", '{"format": "rapport", "version": 1, "contacts": [', "not valid JSON"),
    ("json", "", "empty"),
]


@pytest.mark.parametrize(
    ("source", "content", "message"),
    UNREADABLE,
    ids=[f"{source}: {message}" for source, _, message in UNREADABLE],
)
@pytest.mark.django_db
def test_a_file_an_importer_cannot_read_is_refused_with_the_reason(
    user: User, source: str, content: str, message: str
) -> None:
    with pytest.raises(ImportFileError, match=message):
        run_import(owner=user, source=source, data=content.encode())
    assert not Contact.objects.exists()
