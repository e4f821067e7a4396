"""Hostile uploads to the import page and the Invitations.csv upload: a clear 4xx, nothing saved.

Garbage bytes, an empty file, ZIP bombs, broken ZIPs, the wrong extension, NUL bytes
inside otherwise valid files, deeply nested JSON, huge CSV fields, UTF-16 text.
"""

import io
import random
import zipfile
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.files.uploadhandler import (
    FileUploadHandler,
    MemoryFileUploadHandler,
    TemporaryFileUploadHandler,
)
from django.test import Client
from django.urls import reverse

from contacts.models import ConnectionRequest, Contact, ImportJob
from tests.factories import backup_json
from tests.types import ClientResponse

CSV_HEADER = "First Name,Last Name,URL,Email Address,Company,Position,Connected On\n"
INVITATIONS_HEADER = "From,To,Sent At,Message,Direction,inviterProfileUrl,inviteeProfileUrl\n"


def _zip(files: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def _garbage(size: int = 4096) -> bytes:
    return random.Random(7).randbytes(size)


def _card(lines: bytes) -> bytes:
    return b"BEGIN:VCARD\nVERSION:3.0\n" + lines + b"END:VCARD\n"


BOMB = _zip({"Connections.csv": CSV_HEADER.encode() + b"a" * (64 * 1024 * 1024)})
NESTED_BOMB = _zip({"inner.zip": BOMB, "Connections.csv": BOMB})

HOSTILE = [
    ("garbage csv", "linkedin", "Connections.csv", _garbage()),
    ("garbage zip", "linkedin", "export.zip", _garbage()),
    ("truncated zip", "linkedin", "export.zip", _zip({"Connections.csv": b"x" * 5000})[:300]),
    ("zip bomb", "linkedin", "export.zip", BOMB),
    ("nested zip bomb", "linkedin", "export.zip", NESTED_BOMB),
    ("zip of garbage", "linkedin", "export.zip", _zip({"Connections.csv": _garbage()})),
    ("empty zip", "linkedin", "export.zip", _zip({})),
    ("empty csv", "linkedin", "Connections.csv", b""),
    ("wrong extension", "linkedin", "Connections.exe", CSV_HEADER.encode() + b"A,B,,,,,\n"),
    ("no extension", "vcard", "contacts", b"BEGIN:VCARD\nFN:A\nEND:VCARD\n"),
    ("NUL in csv", "linkedin", "Connections.csv", CSV_HEADER.encode() + b"A\x00a,B,,,C\x00,,\n"),
    ("huge csv field", "linkedin", "Connections.csv", CSV_HEADER.encode() + b'"' + b"x" * 300_000),
    ("utf-16 csv", "linkedin", "Connections.csv", CSV_HEADER.encode("utf-16")),
    ("garbage vcard", "vcard", "contacts.vcf", _garbage()),
    ("NUL in vcard", "vcard", "contacts.vcf", _card(b"FN:A\x00b\nN:b\x00;A\nORG:X\x00\n")),
    ("vcard bad dates", "vcard", "contacts.vcf", _card(b"FN:A\nBDAY:2026-02-31\n")),
    ("garbage json", "json", "backup.json", _garbage()),
    ("deep json", "json", "backup.json", b"[" * 100_000 + b"]" * 100_000),
    ("json scalar", "json", "backup.json", b"42"),
    ("json wrong types", "json", "backup.json", backup_json(contacts="abc", interactions=5)),
    ("json huge version", "json", "backup.json", backup_json(version=10**40)),
    ("json huge numbers", "json", "backup.json", backup_json(contacts=[
        {"id": 10**40, "first_name": "A", "keep_in_touch_days": 10**30, "birthday": {"day": 1}},
    ])),
    ("json NUL", "json", "backup.json", backup_json(contacts=[
        {"first_name": "A\x00", "notes": "\x00", "emails": ["a\x00@b.c"], "tags": ["x\x00"]},
    ])),
    ("json bad dates", "json", "backup.json", backup_json(contacts=[
        {"first_name": "A", "met_on": "2026-02-31", "positions": [{"start_date": "abc"}]},
    ])),
]  # fmt: skip


def _upload(client: Client, source: str, name: str, data: bytes) -> ClientResponse:
    upload = SimpleUploadedFile(name, data, content_type="application/octet-stream")
    return client.post(reverse("contacts:import"), {"source": source, "file": upload})


@pytest.mark.parametrize(("label", "source", "name", "data"), HOSTILE, ids=[h[0] for h in HOSTILE])
@pytest.mark.django_db
def test_it_refuses_a_hostile_import_clearly_and_saves_nothing(
    label: str, source: str, name: str, data: bytes, user: User, django_capture_on_commit_callbacks
) -> None:
    client = Client(raise_request_exception=False)
    client.force_login(user)
    with django_capture_on_commit_callbacks(execute=True):  # a large file's preview task
        response = _upload(client, source, name, data)
    assert response.status_code < 500, f"{label}: {response.status_code}"
    assert not Contact.objects.exists()
    if response.status_code == 302 and ImportJob.objects.get().status == "failed":
        # Large enough to be previewed by the worker, which could not read it: the
        # preview's address leads to the job page, which says why.
        page = client.get(response["Location"], follow=True)
        assert page.status_code == 200
        assert "The import failed" in page.content.decode()
        assert ImportJob.objects.get().payload == b""
    elif response.status_code == 302:
        # Readable enough to preview: the preview must say what it would do, and the
        # contacts only come with the user's confirmation.
        job = ImportJob.objects.get()
        preview = client.get(response["Location"])
        assert preview.status_code == 200
        with django_capture_on_commit_callbacks(execute=True):
            confirmed = client.post(response["Location"], {"action": "commit"})
        assert confirmed.status_code == 302
        job.refresh_from_db()
        assert job.status in ("done", "failed"), job.status
        assert all("\x00" not in c.full_name + c.notes for c in Contact.objects.all())
    else:
        assert 400 <= response.status_code < 500
        assert not ImportJob.objects.exists()
        assert b'class="errorlist' in response.content or b"error" in response.content


INVITATIONS = [
    ("garbage", "Invitations.csv", _garbage()),
    ("empty", "Invitations.csv", b""),
    ("zip bomb", "Invitations.csv", BOMB),
    ("zip named zip", "Invitations.zip", _zip({"Invitations.csv": INVITATIONS_HEADER.encode()})),
    ("wrong extension", "Invitations.exe", INVITATIONS_HEADER.encode()),
    ("NUL", "Invitations.csv", INVITATIONS_HEADER.encode() + b"A\x00,B,,hi\x00,INCOMING,,\n"),
    ("huge field", "Invitations.csv", INVITATIONS_HEADER.encode() + b'"' + b"x" * 300_000),
    ("utf-16", "Invitations.csv", INVITATIONS_HEADER.encode("utf-16")),
]  # fmt: skip


@pytest.mark.parametrize(("label", "name", "data"), INVITATIONS, ids=[i[0] for i in INVITATIONS])
@pytest.mark.django_db
def test_it_refuses_a_hostile_invitations_upload_clearly(
    label: str, name: str, data: bytes, user: User
) -> None:
    client = Client(raise_request_exception=False)
    client.force_login(user)
    upload = SimpleUploadedFile(name, data, content_type="text/csv")
    response = client.post(reverse("contacts:requests_import"), {"file": upload})
    assert response.status_code < 500, f"{label}: {response.status_code}"
    if response.status_code == 302:
        assert all("\x00" not in r.name + r.message for r in ConnectionRequest.objects.all())
    else:
        assert 400 <= response.status_code < 500
        assert b'class="errorlist' in response.content
        assert not ConnectionRequest.objects.exists()


@pytest.mark.django_db
def test_an_invitations_file_with_the_wrong_extension_is_refused(auth_client: Client) -> None:
    upload = SimpleUploadedFile("Invitations.exe", INVITATIONS_HEADER.encode(), "text/csv")
    response = auth_client.post(reverse("contacts:requests_import"), {"file": upload})
    assert response.status_code == 400
    assert "csv" in response.content.decode().lower()


@pytest.mark.parametrize(
    ("url_name", "data"),
    [("contacts:import", {"source": "linkedin"}), ("contacts:requests_import", {})],
)
@pytest.mark.django_db
def test_a_huge_upload_is_refused_while_it_streams_in(
    url_name: str, data: dict[str, str], auth_client: Client, settings, monkeypatch
) -> None:
    """Past the limit the bytes are counted and dropped: the memory and temporary-file
    handlers see at most one chunk beyond it, and the view answers 413 with the real size."""
    settings.IMPORT_MAX_BYTES = 4096
    kept: list[int] = []
    for handler in (MemoryFileUploadHandler, TemporaryFileUploadHandler):
        original = handler.receive_data_chunk

        def spy(self, raw_data: bytes, start: int, original=original) -> object:
            kept.append(len(raw_data))
            return original(self, raw_data, start)

        monkeypatch.setattr(handler, "receive_data_chunk", spy)
    size = 3 * 1024 * 1024
    upload = SimpleUploadedFile("Connections.csv", CSV_HEADER.encode() + b"x" * size)
    response = auth_client.post(reverse(url_name), {**data, "file": upload})
    assert response.status_code == 413
    assert sum(kept) <= settings.IMPORT_MAX_BYTES + FileUploadHandler.chunk_size
    assert not ImportJob.objects.exists() and not ConnectionRequest.objects.exists()
    if url_name == "contacts:import":
        assert "The file is 3.0 MB" in response.content.decode()


@pytest.mark.django_db
def test_an_upload_within_the_limit_is_kept_whole(auth_client: Client, user: User) -> None:
    rows = "".join(f"Ada{i},Lovelace,,,Acme,Engineer,01 Jan 2024\n" for i in range(3000))
    upload = SimpleUploadedFile("Connections.csv", (CSV_HEADER + rows).encode())
    response = auth_client.post(reverse("contacts:import"), {"source": "linkedin", "file": upload})
    assert response.status_code == 302
    assert ImportJob.objects.get().payload == (CSV_HEADER + rows).encode()


@pytest.mark.parametrize("source", ["linkedin", "vcard"])
@pytest.mark.django_db
def test_more_rows_than_import_max_rows_are_refused_before_the_preview(
    source: str, auth_client: Client, settings: Any
) -> None:
    # The preview rehearses the import inside the request: 200,000 rows (a 20 MB file)
    # would outlast gunicorn's timeout and kill the web worker instead of answering.
    settings.IMPORT_MAX_ROWS = 3
    if source == "linkedin":
        name, data = "Connections.csv", CSV_HEADER + "".join(f"A{i},B,,,,,\n" for i in range(4))
    else:
        name, data = "all.vcf", "".join(f"BEGIN:VCARD\nFN:A{i} B\nEND:VCARD\n" for i in range(4))
    response = _upload(auth_client, source, name, data.encode())
    assert response.status_code == 413
    assert "at most 3 at a time" in response.content.decode()
    assert not ImportJob.objects.exists()
    assert not Contact.objects.exists()
    settings.IMPORT_MAX_ROWS = 4
    assert _upload(auth_client, source, name, data.encode()).status_code == 302
