"""The contact page's cached content: shown again cheaply, and never one change behind.

Every change below goes through a service (no request), so it is the data version's
signals and the bulk paths' own calls that must drop the cached page: after each one,
the page equals the page rendered afresh and differs from the page before.
"""

import io
import re
from collections.abc import Callable
from datetime import date, timedelta

import pytest
from django.contrib.auth.models import User
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from carddav.models import AppPassword, Card
from contacts.careers import record_job_change
from contacts.duplicates import contact_merge
from contacts.importers import run_import
from contacts.models import Contact, TrustLevel
from contacts.promises import promise_create
from contacts.services import contact_photo_set, contact_tags_add
from crm.data_version import data_changed
from reminders.services import keep_in_touch_snooze, note_draft_mark_sent, note_draft_start
from tests.carddav.conftest import DavClient
from tests.factories import ContactFactory, PositionFactory, log_interaction

TOKEN = re.compile(r"[A-Za-z0-9]{64}|nonce=\"[^\"]+\"")  # CSRF tokens, CSP nonces: per render


def _page(client: Client, contact: Contact) -> str:
    response = client.get(contact.get_absolute_url())
    assert response.status_code == 200
    return TOKEN.sub("TOKEN", response.content.decode())


def _fresh(client: Client, contact: Contact) -> str:
    data_changed(contact.owner_id)
    return _page(client, contact)


def _jpeg() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (64, 48), (200, 40, 40)).save(out, format="JPEG")
    return out.getvalue()


def _interaction(user: User, contact: Contact, today: date) -> None:
    log_interaction(user, [contact], on=today, summary="Coffee at the harbour")


def _edit(user: User, contact: Contact, today: date) -> None:
    contact.notes = "Sails on Sundays"
    contact.save()


def _job(user: User, contact: Contact, today: date) -> None:
    record_job_change(contact=contact, company="Harbour Labs", title="Skipper", start_date=today)


def _promise(user: User, contact: Contact, today: date) -> None:
    promise_create(owner=user, contact=contact, made_by="me", text="Send the paper", today=today)


def _note_sent(user: User, contact: Contact, today: date) -> None:
    draft = note_draft_start(owner=user, contact=contact, reminder=None, subject="Hi", body="Hi")
    note_draft_mark_sent(draft=draft, sent_on=today)


def _photo(user: User, contact: Contact, today: date) -> None:
    contact_photo_set(contact=contact, raw=_jpeg())


def _tag(user: User, contact: Contact, today: date) -> None:
    contact_tags_add(owner=user, tags=[(contact.pk, ["sailing-club"])])


def _snooze(user: User, contact: Contact, today: date) -> None:
    keep_in_touch_snooze(contact=contact, today=today, days=7)


def _merge(user: User, contact: Contact, today: date) -> None:
    twin = ContactFactory(owner=user, first_name=contact.first_name, last_name=contact.last_name)
    log_interaction(user, [twin], on=today, summary="Regatta with the twin")
    contact_merge(survivor=contact, duplicate=twin)


CHANGES: dict[str, Callable[[User, Contact, date], None]] = {
    "interaction": _interaction,
    "edit": _edit,
    "job change": _job,
    "promise": _promise,
    "note sent": _note_sent,
    "photo": _photo,
    "tag": _tag,
    "snooze": _snooze,
    "merge": _merge,
}


def _contact(user: User) -> Contact:
    # Close and quiet for a while: keeping in touch is due, so a snooze shows.
    contact = ContactFactory(
        owner=user,
        first_name="Ada",
        last_name="Okafor",
        trust_level=TrustLevel.CLOSE,
        linkedin_url="https://www.linkedin.com/in/ada-okafor",
    )
    log_interaction(user, [contact], on=timezone.localdate() - timedelta(days=400))
    PositionFactory(contact=contact, company="Initech", title="Engineer", end_date=None)
    contact.refresh_from_db()  # its last interaction
    return contact


@pytest.mark.django_db
@pytest.mark.parametrize("change", list(CHANGES), ids=list(CHANGES))
def test_the_page_shows_every_kind_of_change_right_after_it(
    auth_client: Client, user: User, change: str
) -> None:
    contact = _contact(user)
    before = _page(auth_client, contact)
    assert _page(auth_client, contact) == before  # cached now
    CHANGES[change](user, contact, timezone.localdate())
    after = _page(auth_client, contact)
    assert after != before
    assert after == _fresh(auth_client, contact)


@pytest.mark.django_db
def test_an_import_that_changes_a_job_shows_at_once(auth_client: Client, user: User) -> None:
    contact = _contact(user)
    before = _page(auth_client, contact)
    csv = (
        b"First Name,Last Name,URL,Email Address,Company,Position,Connected On\r\n"
        b"Ada,Okafor,https://www.linkedin.com/in/ada-okafor,,Northwind,Partner,14 Mar 2019\r\n"
    )
    run_import(owner=user, source="linkedin", data=csv)
    after = _page(auth_client, contact)
    assert "Northwind" in after and "Northwind" not in before


@pytest.mark.django_db
def test_an_edit_on_the_phone_shows_at_once(auth_client: Client, user: User) -> None:
    dav = DavClient(user, AppPassword.issue(owner=user, name="Test phone")[1])
    contact = _contact(user)
    collection = "/dav/addressbooks/rapport/"
    sync = (
        '<?xml version="1.0"?><d:sync-collection xmlns:d="DAV:"><d:sync-token></d:sync-token>'
        "<d:sync-level>1</d:sync-level><d:prop><d:getetag/></d:prop></d:sync-collection>"
    )
    dav.request("REPORT", collection, sync)
    card = Card.objects.get(contact=contact)
    etag = dav.request("GET", collection + card.name)["ETag"]
    before = _page(auth_client, contact)
    vcard = (
        f"BEGIN:VCARD\r\nVERSION:3.0\r\nUID:{card.uid}\r\nN:Okafor;Ada;;;\r\nFN:Ada Okafor\r\n"
        "NOTE:Met at the harbour\r\nEND:VCARD\r\n"
    )
    put = dav.request("PUT", collection + card.name, vcard, HTTP_IF_MATCH=etag)
    assert put.status_code == 204
    after = _page(auth_client, contact)
    assert "Met at the harbour" in after and "Met at the harbour" not in before


@pytest.mark.django_db
def test_a_cached_view_costs_a_few_queries_and_keeps_csrf_live(user: User) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    contact = _contact(user)
    _page(client, contact)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(contact.get_absolute_url())
    assert len(captured.captured_queries) <= 4
    html = response.content.decode()
    tokens = re.findall(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)
    assert tokens and all(len(t) == 64 for t in tokens)
    # A form of the cached page posts with its token (the request's own, not a stored one).
    post = client.post(
        reverse("contacts:keep_in_touch_snooze", args=[contact.pk]),
        {"csrfmiddlewaretoken": tokens[-1], "days": 7},
    )
    assert post.status_code != 403


@pytest.mark.django_db
def test_another_user_never_meets_the_cached_page(
    auth_client: Client, user: User, other_user: User
) -> None:
    contact = _contact(user)
    _page(auth_client, contact)
    theirs = Client()
    theirs.force_login(other_user)
    assert theirs.get(contact.get_absolute_url()).status_code == 404


@pytest.mark.django_db
def test_a_page_with_an_open_draft_is_not_cached(auth_client: Client, user: User) -> None:
    contact = _contact(user)
    note_draft_start(owner=user, contact=contact, reminder=None, subject="Hello", body="Hi")
    _page(auth_client, contact)
    with CaptureQueriesContext(connection) as captured:
        _page(auth_client, contact)
    assert len(captured.captured_queries) > 8  # rendered again: "edited … ago" moves on
