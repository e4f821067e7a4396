"""A contact's photo survives a JSON backup and restore, a vCard export and import, and a merge."""

import base64
import io
import json

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse
from PIL import Image

import contacts.export_documents
from contacts.duplicates import DUPLICATE, PHOTO, contact_merge
from contacts.exporters import contact_vcard, export_json, export_vcards
from contacts.importers import run_import
from contacts.models import Contact, ContactEmail, ContactPhoto
from contacts.photos import SIZE
from contacts.services import contact_photo_set
from tests.factories import ContactFactory, UserFactory, backup_json

pytestmark = pytest.mark.django_db

BLUE, RED = (20, 120, 200), (200, 30, 40)


def _image(colour: tuple[int, int, int]) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (300, 200), colour).save(out, format="PNG")
    return out.getvalue()


def _with_photo(owner: User, colour: tuple[int, int, int], **fields: object) -> Contact:
    contact = ContactFactory(owner=owner, **fields)
    return contact_photo_set(contact=contact, raw=_image(colour))


def _colour_of(contact: Contact) -> tuple[int, ...]:
    data = bytes(ContactPhoto.objects.get(contact=contact).data)
    with Image.open(io.BytesIO(data)) as image:
        pixel = image.convert("RGB").getpixel((SIZE // 2, SIZE // 2))
    assert isinstance(pixel, tuple)
    return pixel


def _near(colour: tuple[int, ...], expected: tuple[int, int, int]) -> bool:
    # JPEG moves a flat colour by a few units, never from blue to red.
    return all(abs(a - b) <= 12 for a, b in zip(colour, expected, strict=True))


def test_the_json_backup_carries_photos_and_a_restore_brings_them_back(user: User) -> None:
    _with_photo(user, BLUE, first_name="Maya", last_name="Okafor")
    ContactFactory(owner=user, first_name="Jon", last_name="Berg")
    document = json.loads("".join(export_json(user)))

    assert document["minor_version"] >= 3  # photos came in 1.3
    by_name = {c["first_name"]: c for c in document["contacts"]}
    assert by_name["Jon"]["photo"] is None
    assert Image.open(io.BytesIO(base64.b64decode(by_name["Maya"]["photo"]))).size == (SIZE, SIZE)

    fresh = UserFactory(username="restored")
    report = run_import(owner=fresh, source="json", data=json.dumps(document).encode())
    assert not report.warnings
    restored = {c.first_name: c for c in Contact.objects.filter(owner=fresh)}
    assert restored["Maya"].photo_version == 1 and restored["Jon"].photo_version == 0
    assert _near(_colour_of(restored["Maya"]), BLUE)


def test_a_backup_with_a_bad_photo_restores_the_person_without_it(user: User) -> None:
    data = backup_json(
        contacts=[
            {"id": 1, "first_name": "Ana", "photo": "not base64!"},
            {"id": 2, "first_name": "Li", "photo": base64.b64encode(b"hello world").decode()},
            {"id": 3, "first_name": "Ola", "photo": 42},
        ]
    )
    report = run_import(owner=user, source="json", data=data)
    assert Contact.objects.filter(owner=user, photo_version=0).count() == 3
    assert not ContactPhoto.objects.exists()
    assert len([w for w in report.warnings if '"photo" was left out' in w]) == 3


@pytest.mark.parametrize("version", ["3.0", "4.0"])
def test_the_vcard_export_carries_the_photo_and_reads_back_in(user: User, version: str) -> None:
    maya = _with_photo(user, RED, first_name="Maya", last_name="Okafor")
    card = contact_vcard(maya, version)
    assert (
        "PHOTO:data:image/jpeg;base64," if version == "4.0" else "PHOTO;ENCODING=b;TYPE=JPEG:"
    ) in (card.replace("\r\n ", ""))
    assert all(len(line.encode()) <= 75 for line in card.split("\r\n"))

    fresh = UserFactory(username="elsewhere")
    data = "".join(export_vcards(user, version)).encode()
    run_import(owner=fresh, source="vcard", data=data)
    imported = Contact.objects.get(owner=fresh)
    assert imported.photo_version == 1 and _near(_colour_of(imported), RED)


def test_merging_keeps_the_duplicates_photo_when_the_survivor_has_none(user: User) -> None:
    kept = ContactFactory(owner=user, first_name="Ingrid", last_name="Berg")
    other = _with_photo(user, BLUE, first_name="Ingrid", last_name="Berg")
    merged = contact_merge(survivor=kept, duplicate=other)
    assert merged.photo_version >= 1 and _near(_colour_of(merged), BLUE)
    assert ContactPhoto.objects.count() == 1


def test_merging_two_with_photos_keeps_the_survivors_unless_told_otherwise(user: User) -> None:
    kept = _with_photo(user, BLUE, first_name="Ingrid", last_name="Berg")
    other = _with_photo(user, RED, first_name="Ingrid", last_name="Berg")
    merged = contact_merge(survivor=kept, duplicate=other)
    assert _near(_colour_of(merged), BLUE) and ContactPhoto.objects.count() == 1

    again = _with_photo(user, RED, first_name="Ingrid", last_name="Berg")
    before = merged.photo_version
    merged = contact_merge(survivor=merged, duplicate=again, choices={PHOTO: DUPLICATE})
    assert _near(_colour_of(merged), RED) and ContactPhoto.objects.count() == 1
    # A new picture is a new URL, so no browser shows the old one from its cache.
    assert merged.photo_version > before


def test_the_merge_page_shows_both_photos_and_asks_which_to_keep(
    auth_client: Client, user: User
) -> None:
    kept = _with_photo(user, BLUE, first_name="Ingrid", last_name="Berg")
    other = _with_photo(user, RED, first_name="Ingrid", last_name="Berg")
    url = reverse("contacts:merge", args=[kept.pk, other.pk])
    html = auth_client.get(url).content.decode()
    assert "Photo of the one merged in" in html
    assert reverse("contacts:photo", args=[other.pk]) in html
    assert auth_client.post(url, {PHOTO: DUPLICATE}).status_code == 302
    assert _near(_colour_of(Contact.objects.get(pk=kept.pk)), RED)


def test_exports_longer_than_one_page_keep_every_contacts_details(
    user: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(contacts.export_documents, "CHUNK", 2)
    people = [ContactFactory(owner=user, first_name=f"P{n}") for n in range(5)]
    for person in people:
        ContactEmail.objects.create(contact=person, email=f"{person.first_name.lower()}@x.org")
    document = json.loads("".join(export_json(user)))
    emails = {c["first_name"]: [e["email"] for e in c["emails"]] for c in document["contacts"]}
    assert emails == {f"P{n}": [f"p{n}@x.org"] for n in range(5)}
