"""Phone sync (CardDAV): a phone's first sync of 5,000 contacts, and the sync a phone
makes every few minutes when nothing changed, which must cost the same few queries at
300 and 30,000 contacts and stay within 5x the framework floor (issue 17)."""

import base64
import re
import time
from collections.abc import Callable
from typing import Any

from django.contrib.auth.models import User
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from bench.framework import Context, scenario
from carddav.models import AppPassword, Card, SyncSettings
from carddav.refresh import refresh

FIRST_SYNC_CONTACTS = 5000
SYNC = (
    '<?xml version="1.0"?><d:sync-collection xmlns:d="DAV:"><d:sync-token>{token}'
    "</d:sync-token><d:sync-level>1</d:sync-level><d:prop><d:getetag/></d:prop>"
    "</d:sync-collection>"
)
PROPFIND = (
    '<?xml version="1.0"?><d:propfind xmlns:d="DAV:"><d:prop><d:getetag/>'
    "<d:sync-token/></d:prop></d:propfind>"
)
MULTIGET = (
    '<?xml version="1.0"?><c:addressbook-multiget xmlns:d="DAV:" '
    'xmlns:c="urn:ietf:params:xml:ns:carddav"><d:prop><d:getetag/><c:address-data/>'
    "</d:prop>{hrefs}</c:addressbook-multiget>"
)
HREF = re.compile(r"<d:href>([^<]+\.vcf)</d:href>")
TOKEN = re.compile(r"<d:sync-token>([^<]+)</d:sync-token>")


def _phone(user: User) -> Callable[..., Any]:
    """A client that speaks to the address book as a phone does, and checks the status."""
    secret = AppPassword.issue(owner=user, name="bench phone")[1]
    auth = base64.b64encode(f"{user.get_username()}:{secret}".encode()).decode()
    client = Client()

    def request(method: str, body: str, depth: str = "1") -> str:
        response = client.generic(
            method,
            reverse("carddav:collection"),
            body.encode(),
            content_type="application/xml",
            HTTP_AUTHORIZATION=f"Basic {auth}",
            HTTP_DEPTH=depth,
        )
        if response.status_code != 207:
            raise AssertionError(f"{method} answered {response.status_code}")
        return response.content.decode()

    return request


@scenario("carddav_sync_unchanged", target_ms=60, max_floor_ratio=5.0)
def sync_unchanged(ctx: Context) -> Callable[[], Any]:
    phone = _phone(ctx.user)
    started = time.perf_counter()
    phone("PROPFIND", PROPFIND)  # the first sync: up to REQUEST_BUDGET contacts
    refresh(ctx.user, budget=None)  # the rest, as the worker does after it
    cards = Card.objects.filter(owner=ctx.user, present=True).count()
    print(f"# first refresh of {cards} cards: {time.perf_counter() - started:.1f}s", flush=True)
    token = TOKEN.findall(phone("REPORT", SYNC.format(token="")))[0]

    def call() -> Any:
        body = phone("REPORT", SYNC.format(token=token))
        if HREF.search(body) or token not in body:
            raise AssertionError("an unchanged address book reported changes")
        return body

    return call


@scenario(
    "carddav_first_sync_5k",
    repeat=3,
    target_ms=20000,
    max_growth=None,
    same_queries=False,
)
def first_sync(ctx: Context) -> Callable[[], Any]:
    """PROPFIND Depth 1 for the ETags, then multigets of 1,000 cards (as iOS and
    vdirsyncer do), from a fresh account of min(size, 5,000) contacts."""
    username = f"bench-sync-{ctx.size}"
    contacts = min(ctx.size, FIRST_SYNC_CONTACTS)
    call_command("seed_demo", user=username, contacts=contacts, interactions=0, seed=2, verbosity=0)
    user = User.objects.get(username=username)
    phone = _phone(user)

    def call() -> Any:
        Card.objects.filter(owner=user).delete()  # a first sync: no cards yet
        SyncSettings.objects.filter(owner=user).update(needs_full=True, checked_at=None)
        hrefs = HREF.findall(phone("PROPFIND", PROPFIND))
        if len(hrefs) < contacts // 2:
            raise AssertionError(f"only {len(hrefs)} of {contacts} contacts listed")
        for start in range(0, len(hrefs), 1000):
            page = "".join(f"<d:href>{h}</d:href>" for h in hrefs[start : start + 1000])
            body = phone("REPORT", MULTIGET.format(hrefs=page))
            if body.count("BEGIN:VCARD") != len(hrefs[start : start + 1000]):
                raise AssertionError("a multiget left cards out")
        return hrefs

    return call
