"""Property tests: every importer, fed random and mutated files, fails only in its own way.

For LinkedIn's Connections.csv (alone and in the export ZIP, with Invitations.csv),
vCard, Rapport JSON and the Invitations.csv upload, hypothesis writes valid files
from random people, then breaks them: random bytes, cut short, bytes overwritten,
huge values spliced in, and (JSON) a wrong type at any key. Each import either
raises the importer's own error with nothing written, or finishes with everyone
it saved inside the contact form's limits. A valid file's people all arrive.
"""

import csv
import io
import itertools
import json
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.db.models import Count
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from contacts import limits
from contacts.connection_requests import InvitationsFormatError, invitations_import
from contacts.importers import ImportFileError, run_import
from contacts.models import (
    ConnectionRequest,
    Contact,
    ContactEmail,
    ContactPhone,
    Interaction,
    Tag,
)
from reminders.models import NoteDraft, Reminder
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

_owners = itertools.count()
FUZZ = settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

# Names with what each format must quote or escape: commas, semicolons, quotes,
# backslashes, colons, accents.
name = st.text(
    st.sampled_from("abcdefghijklmnopqrstuvwxyzJMÉéüß-' ,;:\\\"."), min_size=1, max_size=20
).filter(lambda s: any(ch.isalpha() for ch in s) and s == s.strip())
person = st.fixed_dictionaries(
    {"first": name, "last": name, "company": st.sampled_from(["", "Acme", "Volta, Inc."])}
)
people = st.lists(person, min_size=1, max_size=6)


def _email(index: int) -> str:
    return f"person{index}@example.org"


def _url(index: int) -> str:
    return f"https://www.linkedin.com/in/person-{index}"


def connections_csv(persons: list[dict[str, str]]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    out.write('Notes:\r\n"When exporting your connection data, you may notice..."\r\n\r\n')
    writer.writerow(
        ["First Name", "Last Name", "URL", "Email Address", "Company", "Position", "Connected On"]
    )
    for n, p in enumerate(persons):
        writer.writerow(
            [p["first"], p["last"], _url(n), _email(n), p["company"], "", "14 Mar 2019"]
        )
    return out.getvalue().encode()


def invitations_csv(persons: list[dict[str, str]]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(
        ["From", "To", "Sent At", "Message", "Direction", "inviterProfileUrl", "inviteeProfileUrl"]
    )
    for n, p in enumerate(persons):
        sender = f"{p['first']} {p['last']}"
        writer.writerow([sender, "Sam", "9/25/26, 8:52 AM", "Hi", "INCOMING", _url(n), ""])
    return out.getvalue().encode()


def export_zip(persons: list[dict[str, str]]) -> bytes:
    return _zip(connections_csv(persons), invitations_csv(persons))


def _zip(connections: bytes, invitations: bytes) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("Connections.csv", connections)
        archive.writestr("Invitations.csv", invitations)
    return buffer.getvalue()


def _vcard_text(value: str) -> str:
    for char in "\\,;":
        value = value.replace(char, "\\" + char)
    return value


def vcards(persons: list[dict[str, str]]) -> bytes:
    cards = []
    for n, p in enumerate(persons):
        first, last = _vcard_text(p["first"]), _vcard_text(p["last"])
        cards.append(
            "BEGIN:VCARD\r\nVERSION:3.0\r\n"
            f"N:{last};{first};;;\r\nFN:{first} {last}\r\n"
            f"EMAIL;TYPE=INTERNET:{_email(n)}\r\nTEL;TYPE=CELL:+1 555 {n:04d}\r\n"
            f"item1.URL:https\\://www.linkedin.com/in/person-{n}\r\n"
            f"ORG:{_vcard_text(p['company'])}\r\nCATEGORIES:friends,work\r\n"
            "NOTE:Met at a conference\\, then coffee.\r\nEND:VCARD\r\n"
        )
    return "".join(cards).encode()


def backup_document(persons: list[dict[str, str]]) -> dict[str, Any]:
    return {
        "format": "rapport",
        "version": 1,
        "contacts": [
            {
                "id": n,
                "first_name": p["first"],
                "last_name": p["last"],
                "linkedin_url": _url(n),
                "emails": [{"email": _email(n), "label": "work"}],
                "phones": [f"+1 555 {n:04d}"],
                "tags": ["friends"],
                "birthday": "--02-29",
                "positions": [{"id": n, "company": p["company"] or "Acme", "title": "CTO"}],
                "custom_dates": [{"id": n, "label": "Anniversary", "date": "2020-05-01"}],
            }
            for n, p in enumerate(persons)
        ],
        "interactions": [
            {"id": 1, "kind": "call", "occurred_on": "2024-01-02", "summary": "Hi", "contacts": [0]}
        ],
        "reminders": [{"id": 1, "contact": 0, "kind": "birthday", "due_on": "2026-02-28"}],
        "notes": [{"contact": 0, "reminder": 1, "subject": "Hi", "body": "Happy birthday"}],
        # Format 1.1: restored into an empty account, which every example's owner is.
        "settings": {
            "time_zone": "Europe/Paris",
            "week_start": 1,
            "cadence_close": 30,
            "milestone_years": "1,5,10",
            "digest_enabled": True,
        },
        "note_templates": {"birthday": {"subject": "Happy birthday", "body": "Hi {first_name}"}},
    }


def backup(persons: list[dict[str, str]]) -> bytes:
    return json.dumps(backup_document(persons)).encode()


def _sheet(header: list[str], rows: list[list[str]]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue().encode()


def google_csv(persons: list[dict[str, str]]) -> bytes:
    header = ["First Name", "Last Name", "Organization Name", "Labels", "E-mail 1 - Label"]
    header += ["E-mail 1 - Value", "Website 1 - Label", "Website 1 - Value"]
    return _sheet(
        header,
        [
            [p["first"], p["last"], p["company"], "* myContacts", "Work", _email(n), "", _url(n)]
            for n, p in enumerate(persons)
        ],
    )


def outlook_csv(persons: list[dict[str, str]]) -> bytes:
    header = ["First Name", "Last Name", "Company", "E-mail Address", "Web Page", "Birthday"]
    return _sheet(
        header,
        [
            [p["first"], p["last"], p["company"], _email(n), _url(n), "0/0/00"]
            for n, p in enumerate(persons)
        ],
    )


def monica_export(persons: list[dict[str, str]]) -> bytes:
    """Monica 4's JSON export (app/ExportResources), with the fields the fuzz checks."""

    def field(uuid: str, data: str, kind: str) -> dict[str, Any]:
        return {"uuid": uuid, "properties": {"data": data, "type": kind}}

    contacts = [
        {
            "uuid": f"c-{n}",
            "properties": {
                "first_name": p["first"],
                "last_name": p["last"],
                "company": p["company"],
            },
            "data": [
                {
                    "count": 2,
                    "type": "contact_field",
                    "values": [
                        field(f"e-{n}", _email(n), "t-email"),
                        field(f"l-{n}", _url(n), "t-in"),
                    ],
                }
            ],
        }
        for n, p in enumerate(persons)
    ]
    types = [
        {
            "uuid": "t-email",
            "properties": {"name": "Email", "protocol": "mailto:", "type": "email"},
        },
        {"uuid": "t-in", "properties": {"name": "LinkedIn"}},
    ]
    account = {
        "uuid": "a",
        "data": [{"count": len(contacts), "type": "contact", "values": contacts}],
        "instance": {"contact_field_types": types},
    }
    return json.dumps({"version": "1.0-preview.1", "account": account}).encode()


WRITERS: dict[str, tuple[str, Callable[[list[dict[str, str]]], bytes]]] = {
    "connections": ("linkedin", connections_csv),
    "export zip": ("linkedin", export_zip),
    "vcard": ("vcard", vcards),
    "json": ("json", backup),
    "google csv": ("google_csv", google_csv),
    "outlook csv": ("outlook_csv", outlook_csv),
    "monica": ("monica", monica_export),
}


def _owner() -> User:
    # A fresh owner per example: the database is not rolled back between examples.
    return UserFactory(username=f"fuzz{next(_owners)}")


def _written(owner: User) -> tuple[int, ...]:
    return (
        Contact.objects.filter(owner=owner).count(),
        ConnectionRequest.objects.filter(owner=owner).count(),
        Interaction.objects.filter(owner=owner).count(),
        Reminder.objects.filter(owner=owner).count(),
        NoteDraft.objects.filter(owner=owner).count(),
        Tag.objects.filter(owner=owner).count(),
    )


def _within_limits(owner: User) -> None:
    """What was saved is what the contact form could save again."""
    contacts = Contact.objects.filter(owner=owner).annotate(
        n_emails=Count("emails", distinct=True),
        n_phones=Count("phones", distinct=True),
        n_tags=Count("tags", distinct=True),
    )
    for contact in contacts:
        assert contact.n_emails <= limits.EMAILS_MAX
        assert contact.n_phones <= limits.PHONES_MAX
        assert contact.n_tags <= limits.TAGS_MAX
        assert len(contact.linkedin_url) <= limits.LINKEDIN_URL_MAX
        assert len(contact.first_name) <= 100 and len(contact.last_name) <= 100
        assert len(contact.notes) <= limits.NOTES_MAX
        assert "\x00" not in contact.full_name + contact.notes
    for email in ContactEmail.objects.filter(contact__owner=owner).values_list("email", flat=True):
        assert len(email) <= limits.EMAIL_LENGTH_MAX and "@" in email
    numbers = ContactPhone.objects.filter(contact__owner=owner).values_list("number", flat=True)
    assert all(len(number) <= limits.PHONE_LENGTH_MAX for number in numbers)


def _import_or_refuse(source: str, data: bytes) -> None:
    """The one property: a report within the limits, or ImportFileError and nothing saved."""
    owner = _owner()
    before = _written(owner)
    try:
        run_import(owner=owner, source=source, data=data)
    except ImportFileError as exc:
        assert exc.message
        assert 400 <= exc.status < 500
        assert _written(owner) == before
    else:
        _within_limits(owner)


@st.composite
def mutated(draw: st.DrawFn, data: bytes) -> bytes:
    """`data` broken in one to three ways."""
    for _ in range(draw(st.integers(1, 3))):
        at = draw(st.integers(0, len(data)))
        kind = draw(st.sampled_from(["cut", "overwrite", "insert", "huge"]))
        if kind == "cut":
            data = data[:at]
        elif kind == "overwrite":
            noise = draw(st.binary(min_size=1, max_size=16))
            data = data[:at] + noise + data[at + len(noise) :]
        elif kind == "insert":
            data = data[:at] + draw(st.binary(min_size=1, max_size=64)) + data[at:]
        else:
            huge = draw(
                st.sampled_from(
                    [
                        b"x" * 200_000,
                        b'"' + b"y" * 200_000,
                        b"9" * 5_000,
                        b"a" * 300 + b"@example.org",
                        b"https://www.linkedin.com/in/" + b"z" * 400,
                        b"\r\nEMAIL:" + b"e" * 300 + b"@example.org\r\n",
                        b"\r\nCATEGORIES:" + b"t," * 5_000 + b"\r\n",
                        b"\x00" * 10,
                    ]
                )
            )
            data = data[:at] + huge + data[at:]
    return data


SOURCES = sorted(WRITERS)


@FUZZ
@given(
    source=st.sampled_from(["linkedin", "vcard", "json", "google_csv", "outlook_csv", "monica"]),
    data=st.binary(max_size=4096),
)
def test_random_bytes_are_imported_or_refused_cleanly(source: str, data: bytes) -> None:
    _import_or_refuse(source, data)


@FUZZ
@given(kind=st.sampled_from(SOURCES), persons=people, data=st.data())
def test_a_broken_file_is_imported_or_refused_cleanly(
    kind: str, persons: list[dict[str, str]], data: st.DataObject
) -> None:
    source, write = WRITERS[kind]
    target = data.draw(st.sampled_from(["file", "Connections.csv", "Invitations.csv"]))
    if kind != "export zip" or target == "file":
        broken = data.draw(mutated(write(persons)))
    elif target == "Connections.csv":  # a ZIP in order around a broken file
        broken = _zip(data.draw(mutated(connections_csv(persons))), invitations_csv(persons))
    else:
        broken = _zip(connections_csv(persons), data.draw(mutated(invitations_csv(persons))))
    _import_or_refuse(source, broken)


def _paths(value: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Every key and index in a JSON document."""
    found = [path] if path else []
    if isinstance(value, dict):
        for key, item in value.items():
            found += _paths(item, (*path, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            found += _paths(item, (*path, index))
    return found


def _at(document: Any, path: tuple[Any, ...]) -> Any:
    for step in path:
        document = document[step]
    return document


wrong = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(10**30), 10**30),
    st.floats(allow_nan=False),
    st.text(max_size=20),
    st.just("x" * 20_000),
    st.just([]),
    st.lists(st.integers(), min_size=1, max_size=3),
    st.just({}),
    st.dictionaries(st.sampled_from(["a", "email", "id"]), st.integers(), min_size=1),
)


WRONG: list[Any] = [
    None,
    True,
    7,
    -1,
    10**40,
    2.5,
    "",
    "text",
    "x" * 20_000,
    [],
    [1, 2],
    [{"a": 1}],
    {},
    {"email": 1, "id": [2]},
]
SAMPLE = backup_document([{"first": "Ann", "last": "Lee", "company": "Acme"}])
# Keys inside the items of the lists, and inside settings and note templates.
ITEM_PATHS = [p for p in _paths(SAMPLE) if len(p) > 2 and isinstance(p[1], int)]
SETTINGS_PATHS = [p for p in _paths(SAMPLE) if p[0] in ("settings", "note_templates")]


def _copies(document: dict[str, Any], count: int) -> dict[str, Any]:
    """`count` copies of every item of a one-person backup, with ids of their own."""
    copy: dict[str, Any] = json.loads(json.dumps(document))
    for key in ("contacts", "interactions", "reminders", "notes"):
        template = copy[key][0]
        copy[key] = []
        for n in range(count):
            item = json.loads(json.dumps(template).replace("person0@", f"person{n}@"))
            item["id"] = n
            if key == "contacts":
                item["linkedin_url"] = _url(n)
            else:
                item.setdefault("contact", n)
                if key == "interactions":
                    item["contacts"] = [n]
                if key == "reminders" or key == "notes":
                    item["contact"] = n
            copy[key].append(item)
    return copy


@pytest.mark.parametrize("path", ITEM_PATHS, ids=["/".join(map(str, p)) for p in ITEM_PATHS])
def test_each_wrong_type_at_each_key_of_a_backup_is_imported_or_refused_cleanly(
    path: tuple[Any, ...],
) -> None:
    # One import per key: item n of each list gets the n-th wrong value at that key.
    document = _copies(SAMPLE, len(WRONG))
    for n, value in enumerate(WRONG):
        parent = _at(document, (path[0], n, *path[2:-1]))
        parent[path[-1]] = value
    _import_or_refuse("json", json.dumps(document).encode())


TOP_KEYS = ["format", "version", "contacts", "interactions", "reminders", "notes", "settings"]


@pytest.mark.parametrize("value", WRONG, ids=[repr(v)[:20] for v in WRONG])
def test_a_wrong_type_in_every_setting_and_template_is_restored_or_refused_cleanly(
    value: Any,
) -> None:
    document = json.loads(json.dumps(SAMPLE))
    for path in SETTINGS_PATHS:
        if not isinstance(_at(SAMPLE, path), dict):  # every value, not the objects above
            _at(document, path[:-1])[path[-1]] = json.loads(json.dumps(value))
    _import_or_refuse("json", json.dumps(document).encode())


@pytest.mark.parametrize("key", [*TOP_KEYS, "note_templates"])
def test_each_wrong_type_at_the_top_of_a_backup_is_refused_cleanly(key: str) -> None:
    for value in WRONG:
        _import_or_refuse("json", json.dumps({**SAMPLE, key: value}).encode())


@FUZZ
@given(persons=people, data=st.data())
def test_a_backup_with_a_wrong_type_at_any_key_is_imported_or_refused_cleanly(
    persons: list[dict[str, str]], data: st.DataObject
) -> None:
    document = backup_document(persons)
    for _ in range(data.draw(st.integers(1, 3))):
        paths = _paths(document)
        # Half the time a list or object: the values whose type the importer trusted.
        containers = [p for p in paths if isinstance(_at(document, p), (list, dict))]
        path = data.draw(st.sampled_from(containers if data.draw(st.booleans()) else paths))
        parent = document
        for step in path[:-1]:
            parent = parent[step]
        parent[path[-1]] = data.draw(wrong)
    _import_or_refuse("json", json.dumps(document).encode())


@FUZZ
@given(kind=st.sampled_from(SOURCES), persons=people)
def test_a_valid_file_brings_everyone(kind: str, persons: list[dict[str, str]]) -> None:
    source, write = WRITERS[kind]
    owner = _owner()
    report = run_import(owner=owner, source=source, data=write(persons))
    assert not report.skipped, report.skipped
    expected = sorted(f"{p['first']} {p['last']}" for p in persons)
    assert sorted(c.full_name for c in Contact.objects.filter(owner=owner)) == expected
    emails = ContactEmail.objects.filter(contact__owner=owner).values_list("email", flat=True)
    assert sorted(emails) == sorted(_email(n) for n in range(len(persons)))
    urls = Contact.objects.filter(owner=owner).values_list("linkedin_url", flat=True)
    assert sorted(urls) == sorted(_url(n) for n in range(len(persons)))
    if kind == "export zip":
        assert ConnectionRequest.objects.filter(owner=owner).count() == len(persons)


@FUZZ
@given(persons=people, data=st.data())
def test_an_invitations_upload_is_imported_or_refused_cleanly(
    persons: list[dict[str, str]], data: st.DataObject
) -> None:
    owner = _owner()
    text = data.draw(mutated(invitations_csv(persons))).decode("utf-8", "replace")
    text = text.replace("\x00", "")  # the upload view refuses NUL bytes before this
    try:
        invitations_import(owner=owner, text=text)
    except InvitationsFormatError as exc:
        assert str(exc)
        assert not ConnectionRequest.objects.filter(owner=owner).exists()
    for request in ConnectionRequest.objects.filter(owner=owner):
        assert len(request.linkedin_url) <= limits.LINKEDIN_URL_MAX
        assert len(request.name) <= 200


MONICA_FIXTURE = Path(__file__).resolve().parent.parent / "fixtures" / "monica-export.json"


@FUZZ
@given(data=st.data())
def test_a_monica_export_with_a_wrong_type_at_any_key_is_imported_or_refused_cleanly(
    data: st.DataObject,
) -> None:
    document = json.loads(MONICA_FIXTURE.read_text())
    for _ in range(data.draw(st.integers(1, 4))):
        paths = _paths(document)
        containers = [p for p in paths if isinstance(_at(document, p), (list, dict))]
        if not paths:
            break
        pick_container = bool(containers) and data.draw(st.booleans())
        path = data.draw(st.sampled_from(containers if pick_container else paths))
        parent = document
        for step in path[:-1]:
            parent = parent[step]
        parent[path[-1]] = data.draw(wrong)
    _import_or_refuse("monica", json.dumps(document).encode())
