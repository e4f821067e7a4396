"""A phone writes a card from a version Rapport has since changed (If-Match names an
older ETag): 412 Precondition Failed as RFC 7232 requires, and yet nothing the phone typed
is lost: its changes are merged into the current card (both values kept, the clash shown),
which gets a new ETag and reaches the phone at its next sync. An ETag Rapport never gave
out is a plain 412 with nothing written."""

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from carddav.models import Card, SyncSettings
from contacts.models import Contact
from contacts.services import contact_update
from tests.carddav.conftest import DavClient
from tests.carddav.messages import COLLECTION, sync_token

CARD = (
    "BEGIN:VCARD\r\nVERSION:3.0\r\nUID:A-1\r\nN:Okafor;Ada;;;\r\nFN:Ada Okafor\r\n"
    "TEL;TYPE=CELL:+44 20 7946 0000\r\nNICKNAME:Addy\r\n{more}END:VCARD\r\n"
)


def _phone_has(dav: DavClient) -> tuple[Contact, str, str]:
    """A card made on the phone, then read back: its contact, ETag and the sync token."""
    assert dav.request("PUT", COLLECTION + "a.vcf", CARD.format(more="")).status_code == 201
    token = sync_token(dav.sync().content)
    return _contact(), _etag(dav), token


def _contact() -> Contact:
    return Card.objects.select_related("contact").get(uid="A-1").contact  # type: ignore[return-value]


def _etag(dav: DavClient) -> str:
    return str(dav.request("GET", COLLECTION + "a.vcf")["ETag"])


@pytest.mark.django_db
def test_a_stale_write_is_412_but_merged_keeping_both_numbers_and_showing_it(
    user: User, dav: DavClient, auth_client: Client
) -> None:
    contact, old_etag, token = _phone_has(dav)
    contact_update(contact=contact, phones=["+44 20 7946 0000", "+1 555 0100"], notes="Rapport")
    rapport_etag = _etag(dav)
    edit = CARD.format(more="TEL;TYPE=WORK:+49 30 123\r\nNOTE:Phone\r\n")

    response = dav.request("PUT", COLLECTION + "a.vcf", edit, HTTP_IF_MATCH=old_etag)

    assert response.status_code == 412
    assert "merged" in response.content.decode()
    numbers = set(contact.phones.values_list("number", flat=True))
    assert numbers == {"+44 20 7946 0000", "+1 555 0100", "+49 30 123"}
    contact.refresh_from_db()
    assert contact.notes == "Rapport"  # both changed it: Rapport's kept, the phone's shown
    card = Card.objects.get(contact=contact)
    shown = {c["field"]: c for c in card.conflicts}
    assert shown["Notes"]["phone"] == "Phone" and shown["Notes"]["rapport"] == "Rapport"
    assert shown["Phone numbers"]["kept"] == "both"
    assert shown["Phone numbers"]["phone"] == "+49 30 123"
    assert shown["Phone numbers"]["rapport"] == "+1 555 0100"
    # A new version, which the phone's next sync brings, with what Rapport cannot hold.
    assert _etag(dav) not in (old_etag, rapport_etag)
    body = dav.sync(token).content
    assert f"{COLLECTION}a.vcf".encode() in body
    text = dav.request("GET", COLLECTION + "a.vcf").content.decode()
    assert "+49 30 123" in text and "+1 555 0100" in text and "NICKNAME:Addy" in text
    # Shown to the person: the settings page and the contact's page.
    page = auth_client.get(reverse("carddav:settings")).content.decode()
    assert "+49 30 123" in page and "+1 555 0100" in page
    assert "+49 30 123" in auth_client.get(contact.get_absolute_url()).content.decode()


@pytest.mark.django_db
def test_the_same_stale_write_sent_again_is_merged_once(user: User, dav: DavClient) -> None:
    contact, old_etag, _ = _phone_has(dav)
    contact_update(contact=contact, phones=["+44 20 7946 0000"], notes="Rapport")
    edit = CARD.format(more="NOTE:Phone\r\n")
    for _ in range(2):
        assert (
            dav.request("PUT", COLLECTION + "a.vcf", edit, HTTP_IF_MATCH=old_etag).status_code
            == 412
        )
    card = Card.objects.get(contact=contact)
    assert [c["field"] for c in card.conflicts] == ["Notes"]


@pytest.mark.django_db
def test_an_etag_rapport_never_gave_out_is_412_and_changes_nothing(
    user: User, dav: DavClient
) -> None:
    contact, _, _ = _phone_has(dav)
    card = Card.objects.get(contact=contact)
    seq = SyncSettings.objects.get(owner=user).seq
    edit = CARD.format(more="TEL;TYPE=WORK:+49 30 123\r\nNOTE:Phone\r\n")
    response = dav.request("PUT", COLLECTION + "a.vcf", edit, HTTP_IF_MATCH='"made-up"')
    assert response.status_code == 412 and "Nothing was written" in response.content.decode()
    contact.refresh_from_db()
    assert contact.notes == "" and contact.phones.count() == 1
    after = Card.objects.get(contact=contact)
    assert (after.etag, after.seq, after.conflicts) == (card.etag, card.seq, [])
    assert SyncSettings.objects.get(owner=user).seq == seq


@pytest.mark.django_db
def test_a_write_from_the_current_version_is_stored_as_sent(user: User, dav: DavClient) -> None:
    contact, etag, _ = _phone_has(dav)
    edit = CARD.format(more="NOTE:Phone\r\n").replace("TEL;TYPE=CELL:+44 20 7946 0000\r\n", "")
    assert dav.request("PUT", COLLECTION + "a.vcf", edit, HTTP_IF_MATCH=etag).status_code == 204
    contact.refresh_from_db()
    assert contact.notes == "Phone" and contact.phones.count() == 0
    assert Card.objects.get(contact=contact).conflicts == []


@pytest.mark.django_db
def test_a_delete_from_an_older_version_is_412_and_the_card_stays(
    user: User, dav: DavClient
) -> None:
    contact, old_etag, token = _phone_has(dav)
    contact_update(contact=contact, phones=["+44 20 7946 0000"], notes="Changed in Rapport")
    response = dav.request("DELETE", COLLECTION + "a.vcf", HTTP_IF_MATCH=old_etag)
    assert response.status_code == 412
    card = Card.objects.get(contact=contact)
    assert card.present and card.deleted_on_phone_at is None
    body = dav.sync(token).content
    assert f"{COLLECTION}a.vcf".encode() in body  # the phone gets Rapport's version back
