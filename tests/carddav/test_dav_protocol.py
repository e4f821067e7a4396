"""Raw CardDAV requests as iOS/macOS Contacts and DAVx⁵ send them."""

from datetime import timedelta
from typing import Any

import pytest
import time_machine
from django.contrib.auth.models import User
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from carddav.models import Card
from contacts.models import Contact, TrustLevel
from crm.data_version import is_version_bump
from tests.carddav.conftest import DavClient
from tests.carddav.messages import ADA_CARD, COLLECTION, hrefs, sync_token
from tests.factories import ContactFactory, jpeg_bytes

PROPFIND_PRINCIPAL = """<?xml version="1.0"?>
<d:propfind xmlns:d="DAV:"><d:prop><d:current-user-principal/></d:prop></d:propfind>"""
PROPFIND_HOME = """<?xml version="1.0"?>
<d:propfind xmlns:d="DAV:" xmlns:c="urn:ietf:params:xml:ns:carddav">
<d:prop><c:addressbook-home-set/><d:displayname/></d:prop></d:propfind>"""
PROPFIND_BOOKS = """<?xml version="1.0"?>
<d:propfind xmlns:d="DAV:" xmlns:c="urn:ietf:params:xml:ns:carddav"\n xmlns:cs="http://calendarserver.org/ns/">
<d:prop><d:resourcetype/><d:displayname/><d:sync-token/><cs:getctag/><d:getetag/>
<d:current-user-privilege-set/><c:supported-address-data/></d:prop></d:propfind>"""
MULTIGET = """<?xml version="1.0"?>
<c:addressbook-multiget xmlns:d="DAV:" xmlns:c="urn:ietf:params:xml:ns:carddav">
<d:prop><d:getetag/><c:address-data{version}/></d:prop>{hrefs}</c:addressbook-multiget>"""


@pytest.mark.django_db
def test_it_redirects_the_well_known_address_for_propfind_too(client: Client) -> None:
    response = client.generic("PROPFIND", "/.well-known/carddav")
    assert response.status_code == 301
    assert response["Location"] == "/dav/"


@pytest.mark.django_db
def test_it_asks_for_an_app_password_and_refuses_the_account_password(user: User) -> None:
    assert Client().generic("PROPFIND", "/dav/").status_code == 401
    wrong = DavClient(user, "correct horse battery staple")
    response = wrong.request("PROPFIND", "/dav/", PROPFIND_PRINCIPAL)
    assert response.status_code == 401
    assert "Basic" in response["WWW-Authenticate"]


@pytest.mark.django_db
def test_it_throttles_guessing_like_log_in(user: User, settings: Any) -> None:
    settings.LOGIN_FAILURE_LIMIT = 2
    wrong = DavClient(user, "guess")
    statuses = [wrong.request("PROPFIND", "/dav/").status_code for _ in range(3)]
    assert statuses == [401, 401, 429]


@pytest.mark.django_db
def test_ios_and_davx5_discovery_finds_the_address_book(dav: DavClient) -> None:
    root = dav.request("PROPFIND", "/dav/", PROPFIND_PRINCIPAL, HTTP_DEPTH="0")
    assert root.status_code == 207
    assert b"<d:href>/dav/principal/</d:href>" in root.content
    home = dav.request("PROPFIND", "/dav/principal/", PROPFIND_HOME, HTTP_DEPTH="0")
    assert b"addressbook-home-set><d:href>/dav/addressbooks/</d:href>" in home.content
    books = dav.request("PROPFIND", "/dav/addressbooks/", PROPFIND_BOOKS, HTTP_DEPTH="1")
    assert books.status_code == 207
    assert COLLECTION in hrefs(books.content)
    assert b"<card:addressbook />" in books.content
    assert b'version="4.0"' in books.content


@pytest.mark.django_db
def test_it_lists_met_people_but_not_the_ones_only_followed(user: User, dav: DavClient) -> None:
    met = ContactFactory(owner=user, trust_level=TrustLevel.MET)
    ContactFactory(owner=user, trust_level=TrustLevel.FOLLOWING)
    unrated = ContactFactory(owner=user, trust_level=None)
    ContactFactory()  # someone else's
    response = dav.request("PROPFIND", COLLECTION, PROPFIND_BOOKS, HTTP_DEPTH="1")
    cards = [h for h in hrefs(response.content) if h != COLLECTION]
    names = {c.contact_id: c.name for c in Card.objects.filter(owner=user)}
    assert sorted(cards) == sorted(COLLECTION + names[c.pk] for c in (met, unrated))


def _unchanged_sync_queries(dav: DavClient) -> int:
    token = sync_token(dav.sync().content)
    with CaptureQueriesContext(connection) as queries:
        again = dav.sync(token)
    assert hrefs(again.content) == []
    assert sync_token(again.content) == token
    return len(queries)


@pytest.mark.django_db
def test_an_unchanged_sync_costs_a_fixed_number_of_queries(user: User, dav: DavClient) -> None:
    ContactFactory.create_batch(3, owner=user)
    with time_machine.travel(timezone.now() + timedelta(minutes=10)):
        few = _unchanged_sync_queries(dav)
    ContactFactory.create_batch(30, owner=user)
    with time_machine.travel(timezone.now() + timedelta(minutes=20)):
        dav.sync()
    with time_machine.travel(timezone.now() + timedelta(minutes=30)):
        many = _unchanged_sync_queries(dav)
    assert few == many <= 10


@pytest.mark.django_db
def test_sync_reports_changes_and_removals_since_a_token(user: User, dav: DavClient) -> None:
    ada, ben = ContactFactory.create_batch(2, owner=user)
    token = sync_token(dav.sync().content)
    from contacts.services import contact_update

    contact_update(contact=ada, first_name="Adaeze")
    ben_name = Card.objects.get(contact=ben).name
    ben.delete()
    body = dav.sync(token).content
    ada_name = Card.objects.get(contact=ada).name
    assert COLLECTION + ada_name in hrefs(body)
    assert f"<d:href>{COLLECTION}{ben_name}</d:href><d:status>HTTP/1.1 404".encode() in body


@pytest.mark.django_db
def test_a_made_up_sync_token_is_refused(dav: DavClient) -> None:
    response = dav.sync("urn:rapport:sync:999")
    assert response.status_code == 403
    assert b"valid-sync-token" in response.content


@pytest.mark.django_db
def test_multiget_returns_cards_in_3_0_or_4_0(user: User, dav: DavClient) -> None:
    ContactFactory(owner=user, first_name="Maya", last_name="Lind")
    dav.sync()
    name = Card.objects.get(owner=user).name
    href = f"<d:href>{COLLECTION}{name}</d:href><d:href>{COLLECTION}missing.vcf</d:href>"
    body = dav.request("REPORT", COLLECTION, MULTIGET.format(version="", hrefs=href)).content
    assert b"VERSION:3.0" in body and b"FN:Maya Lind" in body
    assert b"missing.vcf</d:href><d:status>HTTP/1.1 404" in body
    v4 = MULTIGET.format(version=' content-type="text/vcard" version="4.0"', hrefs=href)
    assert b"VERSION:4.0" in dav.request("REPORT", COLLECTION, v4).content


@pytest.mark.django_db
def test_a_card_made_on_the_phone_becomes_a_contact_and_keeps_what_rapport_cannot_hold(
    user: User, dav: DavClient
) -> None:
    card = ADA_CARD.format(uid="PHONE-UID-1")
    put = dav.request("PUT", COLLECTION + "phone-1.vcf", card, HTTP_IF_NONE_MATCH="*")
    assert put.status_code == 201
    contact = Contact.objects.get(owner=user)
    assert (contact.first_name, contact.last_name, contact.trust_level) == ("Ada", "Okafor", None)
    got = dav.request("GET", COLLECTION + "phone-1.vcf")
    text = got.content.decode()
    assert "UID:PHONE-UID-1" in text
    kept = [
        "ADR;TYPE=HOME:;;1 Long Lane;London;;N1 1AA;UK",
        "NICKNAME:Addy",
        "item1.X-ABLabel:Mum's work",
        "N:Okafor;Ada;;Dr.;",
        "X-ABRELATEDNAMES:Ben",
    ]
    for line in kept:
        assert line in text
    again = dav.request("PUT", COLLECTION + "phone-1.vcf", card, HTTP_IF_NONE_MATCH="*")
    assert again.status_code == 412
    assert Contact.objects.filter(owner=user).count() == 1


@pytest.mark.django_db
def test_a_stale_etag_is_412_and_nothing_changes(user: User, dav: DavClient) -> None:
    dav.request("PUT", COLLECTION + "a.vcf", ADA_CARD.format(uid="A"), HTTP_IF_NONE_MATCH="*")
    response = dav.request(
        "PUT", COLLECTION + "a.vcf", ADA_CARD.format(uid="A").replace("Ada", "Bea"),
        HTTP_IF_MATCH='"not-a-version-we-had"',
    )  # fmt: skip
    assert response.status_code == 412
    assert Contact.objects.get(owner=user).first_name == "Ada"


@pytest.mark.django_db
def test_an_edit_on_both_sides_keeps_both_phone_numbers_and_shows_the_conflict(
    user: User, dav: DavClient
) -> None:
    dav.request("PUT", COLLECTION + "a.vcf", ADA_CARD.format(uid="A"), HTTP_IF_NONE_MATCH="*")
    old_etag = dav.request("GET", COLLECTION + "a.vcf")["ETag"]
    contact = Contact.objects.get(owner=user)
    from contacts.services import contact_update

    contact_update(contact=contact, phones=["+44 20 7946 0000", "+1 555 0100"], notes="Rapport")
    phone_edit = ADA_CARD.format(uid="A").replace(
        "NICKNAME:Addy", "TEL;TYPE=CELL:+49 30 123\r\nNOTE:Phone\r\nNICKNAME:Addy"
    )
    response = dav.request("PUT", COLLECTION + "a.vcf", phone_edit, HTTP_IF_MATCH=old_etag)
    assert (
        response.status_code == 412
    )  # a stale If-Match, merged (tests/carddav/test_stale_writes.py)
    numbers = set(contact.phones.values_list("number", flat=True))
    assert numbers == {"+44 20 7946 0000", "+1 555 0100", "+49 30 123"}
    contact.refresh_from_db()
    assert contact.notes == "Rapport"
    card = Card.objects.get(contact=contact)
    assert card.conflicts[0]["phone"] == "Phone"


@pytest.mark.django_db
def test_deleting_on_the_phone_flags_the_contact_and_keeps_it(user: User, dav: DavClient) -> None:
    contact = ContactFactory(owner=user)
    dav.sync()
    card = Card.objects.get(contact=contact)
    assert dav.request("DELETE", COLLECTION + card.name).status_code == 204
    assert Contact.objects.filter(pk=contact.pk).exists()
    card.refresh_from_db()
    assert card.deleted_on_phone_at is not None and not card.present
    assert dav.request("GET", COLLECTION + card.name).status_code == 404


@pytest.mark.django_db
def test_another_users_card_is_404_and_unchanged(user: User, other_user: User) -> None:
    from carddav.models import AppPassword

    victim = ContactFactory(owner=other_user, first_name="Victim")
    DavClient(other_user, AppPassword.issue(owner=other_user, name="x")[1]).sync()
    name = Card.objects.get(contact=victim).name
    mallory = DavClient(user, AppPassword.issue(owner=user, name="y")[1])
    for method in ("GET", "DELETE", "PROPFIND"):
        assert mallory.request(method, COLLECTION + name).status_code == 404
    put = mallory.request("PUT", COLLECTION + name, ADA_CARD.format(uid="Z"), HTTP_IF_MATCH="*")
    assert put.status_code == 412
    victim.refresh_from_db()
    assert victim.first_name == "Victim"
    assert Card.objects.get(contact=victim).present


@pytest.mark.django_db
def test_hostile_xml_is_a_400(dav: DavClient) -> None:
    bomb = (
        '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;">]>'
        '<d:propfind xmlns:d="DAV:"><d:prop>&lol2;</d:prop></d:propfind>'
    )
    assert dav.request("PROPFIND", COLLECTION, bomb).status_code == 400
    assert dav.request("REPORT", COLLECTION, "<not xml").status_code == 400
    assert dav.request("PUT", COLLECTION + "x.vcf", "hello").status_code == 400


@pytest.mark.django_db
def test_a_propfind_on_the_site_root_is_sent_to_the_address_book(client: Client) -> None:
    response = client.generic("PROPFIND", "/")
    assert (response.status_code, response["Location"]) == (301, "/dav/")


@pytest.mark.django_db
def test_passwords_over_plain_http_are_refused_on_an_https_site(
    user: User, app_secret: str, settings: Any
) -> None:
    settings.SESSION_COOKIE_SECURE = True
    phone = DavClient(user, app_secret)
    assert phone.request("PROPFIND", "/dav/").status_code == 403
    assert phone.request("PROPFIND", "/dav/", secure="true").status_code == 207


@pytest.mark.django_db
def test_addressbook_query_filters_by_text(user: User, dav: DavClient) -> None:
    ContactFactory(owner=user, first_name="Maya", last_name="Lind")
    ContactFactory(owner=user, first_name="Tom", last_name="Berg")
    query = """<?xml version="1.0"?>
<c:addressbook-query xmlns:d="DAV:" xmlns:c="urn:ietf:params:xml:ns:carddav">
<d:prop><d:getetag/><c:address-data/></d:prop>
<c:filter><c:prop-filter name="FN"><c:text-match match-type="starts-with">maya</c:text-match>
</c:prop-filter></c:filter></c:addressbook-query>"""
    body = dav.request("REPORT", COLLECTION, query).content
    assert b"FN:Maya Lind" in body and b"Berg" not in body


def _jpeg() -> str:
    import base64

    return base64.b64encode(jpeg_bytes()).decode()


@pytest.mark.django_db
def test_a_vcard_4_card_with_a_photo_gives_the_contact_a_face(user: User, dav: DavClient) -> None:
    card = (
        "BEGIN:VCARD\r\nVERSION:4.0\r\nUID:urn:uuid:4-0\r\nFN:Li Wang\r\nN:Wang;Li;;;\r\n"
        "BDAY:--0229\r\nTEL;TYPE=cell:+86 10 1234\r\nCATEGORIES:friends,climbing\r\n"
        f"PHOTO:data:image/jpeg;base64,{_jpeg()}\r\nEND:VCARD\r\n"
    )
    assert dav.request("PUT", COLLECTION + "li.vcf", card).status_code == 201
    contact = Contact.objects.get(owner=user)
    assert (contact.birthday_year, contact.birthday_month, contact.birthday_day) == (None, 2, 29)
    assert contact.photo_version == 1
    assert sorted(contact.tags.values_list("name", flat=True)) == ["climbing", "friends"]
    assert list(contact.phones.values_list("label", flat=True)) == ["cell"]
    v3 = dav.request("GET", COLLECTION + "li.vcf").content.decode()
    assert "BDAY;X-APPLE-OMIT-YEAR=1604:1604-02-29" in v3 and "PHOTO;ENCODING=b" in v3
    v4 = dav.request("GET", COLLECTION + "li.vcf", HTTP_ACCEPT="text/vcard; version=4.0")
    # Sent back as the phone wrote it while nothing changed in Rapport.
    assert f"PHOTO:data:image/jpeg;base64,{_jpeg()[:40]}" in v4.content.decode().replace(
        "\r\n ", ""
    )
    assert "BDAY:--0229" in v4.content.decode()


@pytest.mark.django_db
def test_an_edit_from_the_current_version_is_stored_as_sent(user: User, dav: DavClient) -> None:
    dav.request("PUT", COLLECTION + "a.vcf", ADA_CARD.format(uid="A"), HTTP_IF_NONE_MATCH="*")
    etag = dav.request("GET", COLLECTION + "a.vcf")["ETag"]
    edited = ADA_CARD.format(uid="A").replace(
        "item1.TEL:+44 20 7946 0000\r\nitem1.X-ABLabel:Mum's work\r\n", ""
    )
    edited = edited.replace("NICKNAME:Addy", "TITLE:CTO\r\nORG:Initech;R&D\r\nNICKNAME:Ada")
    response = dav.request("PUT", COLLECTION + "a.vcf", edited, HTTP_IF_MATCH=etag)
    assert response.status_code == 204 and "ETag" not in response
    contact = Contact.objects.get(owner=user)
    assert not contact.phones.exists()
    assert contact.positions.get(end_date__isnull=True).company == "Initech"
    text = dav.request("GET", COLLECTION + "a.vcf").content.decode()
    assert "ORG:Initech;R&D" in text and "NICKNAME:Ada" in text and "Mum's work" not in text
    assert dav.request("GET", COLLECTION + "a.vcf")["ETag"] != etag


@pytest.mark.django_db
def test_a_card_with_another_cards_uid_is_refused(user: User, dav: DavClient) -> None:
    dav.request("PUT", COLLECTION + "a.vcf", ADA_CARD.format(uid="SAME"))
    response = dav.request("PUT", COLLECTION + "b.vcf", ADA_CARD.format(uid="SAME"))
    assert response.status_code == 403 and b"no-uid-conflict" in response.content
    assert Contact.objects.filter(owner=user).count() == 1


@pytest.mark.django_db
def test_card_names_chosen_by_the_phone_are_percent_encoded_in_hrefs(
    user: User, dav: DavClient
) -> None:
    put = dav.request("PUT", COLLECTION + "my%20card.vcf", ADA_CARD.format(uid="S"))
    assert put.status_code == 201
    listing = dav.request("PROPFIND", COLLECTION, PROPFIND_BOOKS, HTTP_DEPTH="1")
    assert COLLECTION + "my%20card.vcf" in hrefs(listing.content)
    href = f"<d:href>{COLLECTION}my%20card.vcf</d:href>"
    body = dav.request("REPORT", COLLECTION, MULTIGET.format(version="", hrefs=href)).content
    assert b"UID:S" in body


@pytest.mark.django_db
def test_a_large_first_sync_is_finished_by_the_worker(
    user: User, monkeypatch: pytest.MonkeyPatch, django_capture_on_commit_callbacks: Any
) -> None:
    from carddav import refresh
    from carddav.models import SyncSettings
    from contacts import export_documents

    monkeypatch.setattr(refresh, "CHUNK", 2)
    monkeypatch.setattr(export_documents, "CHUNK", 2)
    ContactFactory.create_batch(7, owner=user)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        state = refresh.refresh(user, budget=2)
    assert state.needs_full and Card.objects.filter(owner=user, present=True).count() == 2
    # The outbox publishes the rest to the worker on commit (and the data version moves).
    (publish,) = [c for c in callbacks if not is_version_bump(c)]
    with django_capture_on_commit_callbacks(execute=True):
        publish()
    assert Card.objects.filter(owner=user, present=True).count() == 7
    assert not SyncSettings.objects.get(owner=user).needs_full


DAV_PATTERNS = ["carddav:root", "carddav:principal", "carddav:home", "carddav:collection"]


@pytest.mark.parametrize("name", [*DAV_PATTERNS, "carddav:card"])
@pytest.mark.django_db
def test_every_dav_address_asks_strangers_to_sign_in(name: str, client: Client) -> None:
    from django.urls import reverse

    url = reverse(name, kwargs={"name": "x.vcf"} if name == "carddav:card" else {})
    for method in ("GET", "PROPFIND", "REPORT", "PUT", "DELETE"):
        response = client.generic(method, url, b"<x/>", content_type="application/xml")
        assert response.status_code == 401, (method, url, response.status_code)
    assert client.post(url).status_code == 405  # nothing here takes a form


@pytest.mark.django_db
def test_changes_made_without_saving_the_contact_reach_the_next_sync(
    user: User, dav: DavClient
) -> None:
    from contacts.network import triage_rate, triage_undo
    from contacts.services import contact_photo_set

    photo, tagged, rated = ContactFactory.create_batch(3, owner=user, trust_level=None)
    later = timezone.now() + timedelta(minutes=10)
    with time_machine.travel(later):  # outside the window of recent saves
        token = sync_token(dav.sync().content)
    import base64

    contact_photo_set(contact=photo, raw=base64.b64decode(_jpeg()))
    from contacts.search import reindex_contacts
    from contacts.services import contact_tags_add

    contact_tags_add(owner=user, tags=[(tagged.pk, ["climbing"])])
    reindex_contacts([tagged])  # as importers do after adding tags in bulk
    snapshot = {"pk": rated.pk, "trust_level": None, "how_we_met": rated.how_we_met,
                "updated_at": rated.updated_at.isoformat()}  # fmt: skip
    with time_machine.travel(later + timedelta(minutes=1)):
        triage_rate(contact=rated, trust_level=TrustLevel.FOLLOWING)
        after_rating = dav.sync(token).content
    name = {c.contact_id: c.name for c in Card.objects.filter(owner=user)}
    assert f"{name[rated.pk]}</d:href><d:status>HTTP/1.1 404".encode() in after_rating
    triage_undo(contact=rated, snapshot=snapshot)  # back in the address book, old updated_at
    with time_machine.travel(later + timedelta(minutes=20)):
        body = dav.sync(token).content
    changed = set(hrefs(body))
    assert {COLLECTION + name[c.pk] for c in (photo, tagged, rated)} <= changed
    assert b"HTTP/1.1 404" not in body
