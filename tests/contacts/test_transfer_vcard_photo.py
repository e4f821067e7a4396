"""A vCard's PHOTO becomes the new person's face; a bad or remote one is left out."""

import base64
import io
from datetime import date

import pytest
from django.contrib.auth.models import User
from PIL import Image

from contacts.importers import run_import
from contacts.importers.vcard import photo_bytes
from contacts.models import Contact, ContactPhoto
from contacts.photos import SIZE

pytestmark = pytest.mark.django_db


def _jpeg() -> str:
    out = io.BytesIO()
    Image.new("RGB", (120, 90), (20, 120, 200)).save(out, format="JPEG")
    return base64.b64encode(out.getvalue()).decode()


def _folded(value: str) -> str:
    # Long lines folded as vCard writers do: CRLF and a space every 74 characters.
    return "\r\n ".join(value[i : i + 74] for i in range(0, len(value), 74))


CARDS = (
    "BEGIN:VCARD\r\nVERSION:3.0\r\nN:Okafor;Maya;;;\r\nFN:Maya Okafor\r\n"
    + _folded(f"PHOTO;ENCODING=b;TYPE=JPEG:{_jpeg()}")
    + "\r\nEND:VCARD\r\n"
    "BEGIN:VCARD\r\nVERSION:4.0\r\nN:Berg;Jon;;;\r\nFN:Jon Berg\r\n"
    + _folded(f"PHOTO:data:image/jpeg;base64,{_jpeg()}")
    + "\r\nEND:VCARD\r\n"
    "BEGIN:VCARD\r\nVERSION:4.0\r\nN:Lind;Ana;;;\r\nFN:Ana Lind\r\n"
    "PHOTO:https://example.com/ana.jpg\r\nEND:VCARD\r\n"
    "BEGIN:VCARD\r\nVERSION:3.0\r\nN:Wei;Li;;;\r\nFN:Li Wei\r\n"
    "PHOTO;ENCODING=b;TYPE=JPEG:aGVsbG8gd29ybGQ=\r\nEND:VCARD\r\n"
)


def test_new_people_get_their_vcard_photo(user: User) -> None:
    report = run_import(owner=user, source="vcard", data=CARDS.encode(), today=date(2026, 11, 29))

    faces = {c.first_name: c.photo_version for c in Contact.objects.filter(owner=user)}
    assert faces == {"Maya": 1, "Jon": 1, "Ana": 0, "Li": 0}
    assert {p.width for p in ContactPhoto.objects.all()} == {SIZE}
    assert any("photo left out: This file is not an image" in w for w in report.warnings)


def test_a_photo_web_address_is_never_fetched() -> None:
    assert photo_bytes(";VALUE=uri", "https://example.com/ana.jpg") == b""
    assert photo_bytes("", "data:image/png;base64,###") == b""
    assert photo_bytes(";ENCODING=b;TYPE=JPEG", "/9j/") == b"\xff\xd8\xff"
