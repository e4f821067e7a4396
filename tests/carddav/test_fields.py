"""Every synced field, both ways (issue 17): names, emails and phones with labels, birthday
with and without a year, company and title of the current job, LinkedIn URL, notes, tags
as CATEGORIES and the photo; vCard 3.0 by default, 4.0 when asked; GET's If-None-Match;
and the discovery steps Thunderbird takes from a bare server address."""

import base64
from datetime import date

import pytest
from django.contrib.auth.models import User
from django.test import Client

from carddav.models import Card
from contacts.models import Contact, ContactEmail, ContactPhone, ContactPhoto
from contacts.services import contact_photo_set, contact_tags_add
from tests.carddav.conftest import DavClient
from tests.carddav.messages import COLLECTION, SYNC, unfolded
from tests.factories import ContactFactory, PositionFactory, jpeg_bytes


@pytest.mark.django_db
def test_rapports_fields_reach_the_phone_in_3_0_and_4_0(user: User, dav: DavClient) -> None:
    ada = ContactFactory(
        owner=user,
        first_name="Ada",
        last_name="Okafor",
        birthday_year=None,
        birthday_month=2,
        birthday_day=14,
        notes="Line one\nLine two",
        linkedin_url="https://www.linkedin.com/in/ada-okafor",
        trust_level="close",
    )
    ContactEmail.objects.create(contact=ada, email="ada@example.com", label="work")
    ContactPhone.objects.create(contact=ada, number="+44 20 7946 0000", label="cell")
    PositionFactory(
        contact=ada,
        company="Old Co",
        title="Intern",
        start_date=date(2018, 1, 1),
        end_date=date(2019, 1, 1),
    )
    PositionFactory(contact=ada, company="Initech", title="CTO")
    contact_tags_add(owner=user, tags=[(ada.pk, ["climbing", "friends"])])
    contact_photo_set(contact=ada, raw=jpeg_bytes())
    born = ContactFactory(owner=user, birthday_year=1990, birthday_month=5, birthday_day=17)
    dav.sync()
    name = Card.objects.get(contact=ada).name

    v3 = unfolded(dav.request("GET", COLLECTION + name))
    for line in (
        "VERSION:3.0",
        "N:Okafor;Ada;;;",
        "FN:Ada Okafor",
        "EMAIL;type=WORK:ada@example.com",
        "TEL;type=CELL:+44 20 7946 0000",
        "BDAY;X-APPLE-OMIT-YEAR=1604:1604-02-14",
        "ORG:Initech",
        "TITLE:CTO",
        "URL:https://www.linkedin.com/in/ada-okafor",
        "X-ABLabel:LinkedIn",
        "NOTE:Line one\\nLine two",
        "CATEGORIES:climbing,friends",
        "PHOTO;ENCODING=b;TYPE=JPEG:",
    ):
        assert line in v3, line
    assert "Old Co" not in v3 and "Intern" not in v3  # only the current job
    v4 = unfolded(dav.request("GET", COLLECTION + name, HTTP_ACCEPT="text/vcard; version=4.0"))
    assert "VERSION:4.0" in v4 and "BDAY:--0214" in v4 and "EMAIL;TYPE=work:" in v4
    born_text = unfolded(dav.request("GET", COLLECTION + Card.objects.get(contact=born).name))
    assert "BDAY:1990-05-17" in born_text


@pytest.mark.django_db
def test_the_phones_fields_reach_rapport(user: User, dav: DavClient) -> None:
    photo = base64.b64encode(jpeg_bytes()).decode()
    card = (
        "BEGIN:VCARD\r\nVERSION:3.0\r\nUID:P-1\r\nN:Okafor;Ada;;;\r\nFN:Ada Okafor\r\n"
        "EMAIL;TYPE=INTERNET;TYPE=WORK:ada@example.com\r\nTEL;TYPE=CELL:+44 20 7946 0000\r\n"
        "BDAY;X-APPLE-OMIT-YEAR=1604:1604-02-14\r\nORG:Initech;\r\nTITLE:CTO\r\n"
        "item3.URL:https://www.linkedin.com/in/ada-okafor\r\nitem3.X-ABLabel:LinkedIn\r\n"
        "NOTE:Line one\\nLine two\r\nCATEGORIES:friends,climbing\r\n"
        f"PHOTO;ENCODING=b;TYPE=JPEG:{photo}\r\nEND:VCARD\r\n"
    )
    assert dav.request("PUT", COLLECTION + "p.vcf", card, HTTP_IF_NONE_MATCH="*").status_code == 201
    ada = Contact.objects.get(owner=user)
    assert (ada.first_name, ada.last_name, ada.trust_level) == ("Ada", "Okafor", None)
    assert (ada.birthday_year, ada.birthday_month, ada.birthday_day) == (None, 2, 14)
    assert ada.notes == "Line one\nLine two"
    assert ada.linkedin_url == "https://www.linkedin.com/in/ada-okafor"
    assert [(e.email, e.label.lower()) for e in ada.emails.all()] == [("ada@example.com", "work")]
    assert [(p.number, p.label.lower()) for p in ada.phones.all()] == [("+44 20 7946 0000", "cell")]
    job = ada.positions.get(end_date__isnull=True)
    assert (job.company, job.title) == ("Initech", "CTO")
    assert sorted(ada.tags.values_list("name", flat=True)) == ["climbing", "friends"]
    assert ContactPhoto.objects.filter(contact=ada).exists()


@pytest.mark.django_db
def test_get_answers_304_to_the_etag_the_phone_has(user: User, dav: DavClient) -> None:
    contact = ContactFactory(owner=user)
    dav.sync()
    url = COLLECTION + Card.objects.get(contact=contact).name
    etag = dav.request("GET", url)["ETag"]
    assert etag.startswith('"') and not etag.startswith("W/")  # a strong ETag
    again = dav.request("GET", url, HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304 and again["ETag"] == etag


@pytest.mark.django_db
def test_thunderbird_finds_the_address_book_from_the_bare_server_address(
    dav: DavClient,
) -> None:
    """Thunderbird PROPFINDs the address typed in (the site root) for the principal,
    follows the redirect, then asks the home set for address books."""
    body = (
        '<?xml version="1.0"?><d:propfind xmlns:d="DAV:"><d:prop><d:resourcetype/>'
        "<d:displayname/><d:current-user-principal/></d:prop></d:propfind>"
    )
    root = dav.request("PROPFIND", "/", body, HTTP_DEPTH="0")
    assert root.status_code == 301 and root["Location"] == "/dav/"
    found = dav.request("PROPFIND", root["Location"], body, HTTP_DEPTH="0")
    assert b"<d:current-user-principal><d:href>/dav/principal/</d:href>" in found.content
    home = dav.request("PROPFIND", "/dav/addressbooks/", body, HTTP_DEPTH="1")
    assert COLLECTION.encode() in home.content and b"Rapport" in home.content


@pytest.mark.django_db
def test_a_stranger_gets_nothing_but_a_sign_in_request(client: Client, user: User) -> None:
    ContactFactory(owner=user)
    response = client.generic("REPORT", COLLECTION, SYNC.format(token=""))
    assert response.status_code == 401 and b"VCARD" not in response.content
