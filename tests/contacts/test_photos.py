"""Contact photos: uploaded on the contact form, checked for what they really are, served
to their owner only, shown as the person's face."""

import io

import pytest
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from PIL import Image

from contacts.models import Contact, ContactPhoto
from contacts.photos import MAX_BYTES, SIZE, PhotoError, photo_from_bytes
from tests.factories import ContactFactory

pytestmark = pytest.mark.django_db


def _image(fmt: str = "PNG", size: tuple[int, int] = (400, 300)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, (200, 30, 90)).save(out, format=fmt)
    return out.getvalue()


def _upload(raw: bytes, name: str = "face.png") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, raw, content_type="image/png")


@pytest.mark.parametrize("fmt", ["JPEG", "PNG", "GIF", "WEBP"])
def test_it_keeps_a_small_square_jpeg_of_any_accepted_image(fmt: str) -> None:
    photo = photo_from_bytes(_image(fmt))
    with Image.open(io.BytesIO(photo.data)) as kept:
        assert (kept.format, kept.size) == ("JPEG", (SIZE, SIZE))


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        (b"", "empty"),
        (b"<svg xmlns='http://www.w3.org/2000/svg'/>", "not an image we can read"),
        (_image("PNG")[:200], "not an image we can read"),
        (_image("BMP"), "Use a JPEG, PNG, GIF or WebP"),
        (_image("PNG", (7000, 10)), "at most 6000 pixels a side"),
        (_image("PNG", (8, 8)), "too small"),
        (b"\x89PNG" + b"0" * MAX_BYTES, "larger than 5 MB"),
    ],
)
def test_it_refuses_what_is_not_a_usable_photo(raw: bytes, message: str) -> None:
    with pytest.raises(PhotoError, match=message):
        photo_from_bytes(raw)


def _form(**extra: object) -> dict[str, object]:
    return {"first_name": "Maya", "last_name": "Okafor", "keep_in_touch": "default", **extra}


def test_adding_a_contact_with_a_photo_shows_their_face(auth_client: Client, user: User) -> None:
    response = auth_client.post(reverse("contacts:new"), _form(photo=_upload(_image("JPEG"))))
    assert response.status_code == 302, response.content.decode()[:2000]
    contact = Contact.objects.get(owner=user)
    assert contact.photo_version == 1
    assert ContactPhoto.objects.get(contact=contact).width == SIZE

    page = auth_client.get(reverse("contacts:detail", args=[contact.pk])).content.decode()
    url = reverse("contacts:photo", args=[contact.pk])
    assert f'<img class="avatar avatar--lg avatar--photo" src="{url}?v=1" alt=""' in page
    photo = auth_client.get(url)
    assert photo.status_code == 200 and photo["Content-Type"] == "image/jpeg"
    assert photo["Cache-Control"].startswith("private")
    assert photo.content.startswith(b"\xff\xd8")


@pytest.mark.parametrize(
    ("raw", "name", "message"),
    [
        (b"MZ\x90\x00 not an image", "face.png", "This file is not an image we can read."),
        (_image("PNG", (9000, 9)), "x.png", "use one of at most 6000 pixels a side."),
    ],
)
def test_a_bad_photo_comes_back_with_the_form_and_saves_nothing(
    auth_client: Client, user: User, raw: bytes, name: str, message: str
) -> None:
    response = auth_client.post(reverse("contacts:new"), _form(photo=_upload(raw, name)))
    assert response.status_code == 200
    assert (
        'id="id_photo_error"' in response.content.decode() or "photo" in response.content.decode()
    )
    assert not Contact.objects.filter(owner=user).exists()
    assert not ContactPhoto.objects.exists()


def test_editing_replaces_then_removes_the_photo(auth_client: Client, user: User) -> None:
    contact = ContactFactory(owner=user, first_name="Maya", last_name="Okafor")
    url = reverse("contacts:edit", args=[contact.pk])
    auth_client.post(url, _form(photo=_upload(_image("PNG"))))
    auth_client.post(url, _form(photo=_upload(_image("GIF"), "b.gif")))
    contact.refresh_from_db()
    assert contact.photo_version == 2 and ContactPhoto.objects.count() == 1
    assert "Remove the photo" in auth_client.get(url).content.decode()

    auth_client.post(url, _form(remove_photo="on"))

    contact.refresh_from_db()
    assert contact.photo_version == 0 and not ContactPhoto.objects.exists()
    assert auth_client.get(reverse("contacts:photo", args=[contact.pk])).status_code == 404


def test_another_users_photo_is_a_404(auth_client: Client, other_user: User) -> None:
    theirs = ContactFactory(owner=other_user)
    ContactPhoto.objects.create(contact=theirs, data=b"\xff\xd8", width=1, height=1)
    assert auth_client.get(reverse("contacts:photo", args=[theirs.pk])).status_code == 404
