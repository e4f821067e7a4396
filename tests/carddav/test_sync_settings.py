"""Settings → Phone & computer sync: app passwords, who syncs, and what phones did."""

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from carddav.models import AppPassword, Card, SyncSettings
from contacts.models import TrustLevel
from tests.carddav.conftest import DavClient
from tests.factories import ContactFactory, TagFactory

URL = "/settings/sync/"


@pytest.mark.django_db
def test_it_shows_a_new_app_password_once_and_stores_only_its_digest(
    auth_client: Client, user: User
) -> None:
    response = auth_client.post(URL, {"action": "password", "name": "Maya's iPhone"})
    assert response.status_code == 200
    password = AppPassword.objects.get(owner=user)
    secret = response.context["new_secret"]
    assert secret.startswith("rapp_") and secret.encode() in response.content
    assert password.digest == AppPassword.digest_of(secret) and secret not in password.digest
    page = auth_client.get(URL)
    assert secret.encode() not in page.content
    assert b"Maya&#x27;s iPhone" in page.content and b"never" in page.content
    assert b"https://testserver/dav/" in page.content or b"http://testserver/dav/" in page.content


@pytest.mark.django_db
def test_a_device_name_is_required(auth_client: Client, user: User) -> None:
    response = auth_client.post(URL, {"action": "password", "name": "  "})
    assert response.status_code == 200
    assert b"This field is required" in response.content
    assert not AppPassword.objects.exists()


@pytest.mark.django_db
def test_a_revoked_password_no_longer_syncs(auth_client: Client, user: User) -> None:
    password, secret = AppPassword.issue(owner=user, name="Old phone")
    phone = DavClient(user, secret)
    assert phone.request("PROPFIND", "/dav/").status_code == 207
    AppPassword.objects.filter(pk=password.pk).update(last_used_at=None)
    response = auth_client.post(reverse("carddav:password_revoke", args=[password.pk]))
    assert response.status_code == 302
    assert phone.request("PROPFIND", "/dav/").status_code == 401


@pytest.mark.django_db
def test_who_syncs_can_be_chosen_by_level_and_tag(
    auth_client: Client, user: User, dav: DavClient
) -> None:
    family = TagFactory(owner=user, name="family")
    close = ContactFactory(owner=user, trust_level=TrustLevel.CLOSE)
    met = ContactFactory(owner=user, trust_level=TrustLevel.MET)
    cousin = ContactFactory(owner=user, trust_level=TrustLevel.FOLLOWING)
    cousin.tags.add(family)
    dav.request("PROPFIND", "/dav/addressbooks/rapport/", HTTP_DEPTH="1")
    response = auth_client.post(URL, {"action": "who", "levels": ["close"], "tags": [family.pk]})
    assert response.status_code == 302
    assert SyncSettings.objects.get(owner=user).needs_full
    dav.request("PROPFIND", "/dav/addressbooks/rapport/", HTTP_DEPTH="1")
    present = set(Card.objects.filter(owner=user, present=True).values_list("contact", flat=True))
    assert present == {close.pk, cousin.pk}
    assert not Card.objects.get(contact=met).present


@pytest.mark.django_db
def test_another_users_tag_cannot_be_chosen(auth_client: Client, other_user: User) -> None:
    theirs = TagFactory(owner=other_user, name="secret")
    response = auth_client.post(URL, {"action": "who", "levels": ["met"], "tags": [theirs.pk]})
    assert response.status_code == 200
    assert not SyncSettings.objects.filter(tags=theirs).exists()


@pytest.mark.django_db
def test_a_contact_deleted_on_the_phone_is_flagged_on_its_page_and_can_be_restored(
    auth_client: Client, user: User, dav: DavClient
) -> None:
    contact = ContactFactory(owner=user)
    dav.request("PROPFIND", "/dav/addressbooks/rapport/", HTTP_DEPTH="1")
    card = Card.objects.get(contact=contact)
    dav.request("DELETE", f"/dav/addressbooks/rapport/{card.name}")
    page = auth_client.get(contact.get_absolute_url())
    assert b"was deleted on a phone" in page.content
    assert b"deleted on a phone" in auth_client.get(URL).content
    auth_client.post(reverse("carddav:card_restore", args=[card.pk]))
    listing = dav.request("PROPFIND", "/dav/addressbooks/rapport/", HTTP_DEPTH="1")
    assert card.name.encode() in listing.content
    assert b"was deleted on a phone" not in auth_client.get(contact.get_absolute_url()).content


@pytest.mark.django_db
def test_the_page_says_when_each_device_last_synced(auth_client: Client, user: User) -> None:
    _, secret = AppPassword.issue(owner=user, name="Maya's iPhone")
    assert "<td>never</td>" in auth_client.get(URL).content.decode()
    assert DavClient(user, secret).request("PROPFIND", "/dav/").status_code == 207
    assert AppPassword.objects.get(owner=user).last_used_at is not None
    page = auth_client.get(URL).content.decode()
    assert "<td>never</td>" not in page and " ago</td>" in page


@pytest.mark.django_db
def test_seen_dismisses_what_changed_on_both_sides(auth_client: Client, user: User) -> None:
    contact = ContactFactory(owner=user)
    clash = {"field": "Notes", "phone": "Phone", "rapport": "Rapport", "at": "2026-12-05"}
    card = Card.objects.create(
        owner=user, contact=contact, uid="u", name="u.vcf", conflicts=[clash]
    )
    assert "the phone had “Phone”" in auth_client.get(URL).content.decode()
    response = auth_client.post(reverse("carddav:card_seen", args=[card.pk]))
    assert response.status_code == 302
    card.refresh_from_db()
    assert card.conflicts == [] and "the phone had" not in auth_client.get(URL).content.decode()
