"""Raw CardDAV PUTs of edits made on a phone: nothing typed or cleared there is lost."""

import base64

import pytest
from django.contrib.auth.models import User
from django.utils import timezone

from carddav.models import Card
from contacts.models import Contact, ContactPhoto
from contacts.services import contact_photo_set
from tests.carddav.conftest import DavClient
from tests.carddav.messages import COLLECTION, unfolded
from tests.factories import ContactFactory, PositionFactory, jpeg_bytes


def _card(uid: str, *lines: str) -> str:
    body = "".join(f"{line}\r\n" for line in lines)
    head = f"BEGIN:VCARD\r\nVERSION:3.0\r\nUID:{uid}\r\nN:Okafor;Ada;;;\r\nFN:Ada Okafor\r\n"
    return f"{head}{body}END:VCARD\r\n"


@pytest.fixture
def contact(user: User) -> Contact:
    return ContactFactory(owner=user, first_name="Ada", last_name="Okafor")


def _synced(dav: DavClient, contact: Contact) -> tuple[Card, str]:
    """The contact's card after a first sync, and the ETag the phone holds."""
    dav.sync()
    card = Card.objects.get(contact=contact)
    return card, dav.request("GET", COLLECTION + card.name)["ETag"]


def _text(dav: DavClient, name: str) -> str:
    return unfolded(dav.request("GET", COLLECTION + name))


@pytest.mark.django_db
def test_a_title_without_a_company_typed_on_the_phone_is_kept_and_sent_back(
    contact: Contact, dav: DavClient
) -> None:
    card, etag = _synced(dav, contact)
    phone = _card(card.uid, "TITLE:Head of Research", "NICKNAME:Addy")
    assert dav.request("PUT", COLLECTION + card.name, phone, HTTP_IF_MATCH=etag).status_code == 204
    assert not contact.positions.exists()  # a title alone records no job
    text = _text(dav, card.name)
    assert "TITLE:Head of Research" in text and "NICKNAME:Addy" in text
    # Sent back unchanged at the next round too, in both vCard versions.
    etag = dav.request("GET", COLLECTION + card.name)["ETag"]
    assert dav.request("PUT", COLLECTION + card.name, phone, HTTP_IF_MATCH=etag).status_code == 204
    assert "TITLE:Head of Research" in _text(dav, card.name)
    v4 = dav.request("GET", COLLECTION + card.name, HTTP_ACCEPT="text/vcard; version=4.0")
    assert "TITLE:Head of Research" in v4.content.decode()
    # Once Rapport knows the job, its own title is the only one on the card.
    PositionFactory(contact=contact, company="Initech", title="CTO")
    Contact.objects.filter(pk=contact.pk).update(updated_at=timezone.now())
    text = _text(dav, card.name)
    assert "ORG:Initech" in text and "TITLE:CTO" in text and "Head of Research" not in text


@pytest.mark.django_db
def test_removing_the_photo_on_the_phone_removes_it_in_rapport(user: User, dav: DavClient) -> None:
    photo = base64.b64encode(jpeg_bytes()).decode()
    first = _card("P-1", f"PHOTO;ENCODING=b;TYPE=JPEG:{photo}")
    assert dav.request("PUT", COLLECTION + "p.vcf", first).status_code == 201
    contact = Contact.objects.get(owner=user)
    assert ContactPhoto.objects.filter(contact=contact).exists()
    etag = dav.request("GET", COLLECTION + "p.vcf")["ETag"]
    response = dav.request("PUT", COLLECTION + "p.vcf", _card("P-1"), HTTP_IF_MATCH=etag)
    assert response.status_code == 204
    contact.refresh_from_db()
    assert contact.photo_version == 0 and not ContactPhoto.objects.filter(contact=contact).exists()
    assert "PHOTO" not in _text(dav, "p.vcf")


@pytest.mark.django_db
def test_a_card_that_never_had_a_photo_does_not_remove_one_uploaded_in_rapport(
    contact: Contact, dav: DavClient
) -> None:
    card, etag = _synced(dav, contact)  # the phone's version has no photo
    contact_photo_set(contact=contact, raw=jpeg_bytes())
    edit = _card(card.uid, "NOTE:Met at the climbing wall")
    # Rapport changed since the phone's version: merged, and answered 412 (RFC 7232).
    assert dav.request("PUT", COLLECTION + card.name, edit, HTTP_IF_MATCH=etag).status_code == 412
    # Without If-Match the phone's previous version is unknown: the photo stays too.
    assert dav.request("PUT", COLLECTION + card.name, edit).status_code == 204
    assert ContactPhoto.objects.filter(contact=contact).exists()
    contact.refresh_from_db()
    assert contact.notes == "Met at the climbing wall" and contact.photo_version == 1


@pytest.mark.django_db
def test_a_photo_changed_in_rapport_meanwhile_is_not_removed_by_a_stale_phone(
    user: User, dav: DavClient
) -> None:
    photo = base64.b64encode(jpeg_bytes()).decode()
    dav.request("PUT", COLLECTION + "p.vcf", _card("P-1", f"PHOTO;ENCODING=b;TYPE=JPEG:{photo}"))
    etag = dav.request("GET", COLLECTION + "p.vcf")["ETag"]
    contact = Contact.objects.get(owner=user)
    contact_photo_set(contact=contact, raw=jpeg_bytes((10, 120, 200)))
    assert (
        dav.request("PUT", COLLECTION + "p.vcf", _card("P-1"), HTTP_IF_MATCH=etag).status_code
        == 412  # merged into the current version
    )
    assert ContactPhoto.objects.filter(contact=contact).exists()


@pytest.mark.django_db
def test_clearing_the_company_on_the_phone_ends_the_current_job_and_keeps_it(
    contact: Contact, dav: DavClient
) -> None:
    job = PositionFactory(contact=contact, company="Initech", title="CTO")
    card, etag = _synced(dav, contact)
    assert "ORG:Initech" in _text(dav, card.name)
    assert (
        dav.request("PUT", COLLECTION + card.name, _card(card.uid), HTTP_IF_MATCH=etag).status_code
        == 204
    )
    job.refresh_from_db()
    assert job.end_date == timezone.localdate()
    assert list(contact.positions.all()) == [job]  # in the history, no longer current
    text = _text(dav, card.name)
    assert "ORG:" not in text and "TITLE:" not in text


@pytest.mark.django_db
def test_a_card_that_never_had_a_company_does_not_end_a_job_added_in_rapport(
    contact: Contact, dav: DavClient
) -> None:
    card, etag = _synced(dav, contact)
    job = PositionFactory(contact=contact, company="Initech", title="CTO")
    Contact.objects.filter(pk=contact.pk).update(updated_at=timezone.now())
    edit = _card(card.uid, "NOTE:Likes tea")
    assert dav.request("PUT", COLLECTION + card.name, edit, HTTP_IF_MATCH=etag).status_code == 412
    assert dav.request("PUT", COLLECTION + card.name, edit).status_code == 204
    job.refresh_from_db()
    assert job.end_date is None


@pytest.mark.django_db
def test_a_title_edited_on_a_card_made_on_the_phone_without_a_company_reaches_rapport(
    user: User, dav: DavClient
) -> None:
    assert dav.request("PUT", COLLECTION + "t.vcf", _card("T-1", "TITLE:CTO")).status_code == 201
    contact = Contact.objects.get(owner=user)
    assert contact.positions.get().title == "CTO"
    etag = dav.request("GET", COLLECTION + "t.vcf")["ETag"]
    edit = _card("T-1", "TITLE:CEO")
    assert dav.request("PUT", COLLECTION + "t.vcf", edit, HTTP_IF_MATCH=etag).status_code == 204
    assert contact.positions.get(end_date__isnull=True).title == "CEO"
    assert "TITLE:CEO" in _text(dav, "t.vcf")
