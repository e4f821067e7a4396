"""Personal access tokens: the Settings page, bearer authentication, scopes, throttling."""

import datetime as dt

import pytest
import time_machine
from django.contrib.auth.models import User
from django.test import Client, override_settings
from django.urls import reverse

from api.models import AccessToken, TokenScope
from tests.api.conftest import ApiClient
from tests.factories import ContactFactory

pytestmark = pytest.mark.django_db

CONTACTS = "/api/v1/contacts"


def test_it_creates_a_token_and_shows_the_secret_once(auth_client: Client, user: User) -> None:
    response = auth_client.post(
        reverse("access_tokens"), {"name": "Claude Desktop", "scope": "write"}
    )
    assert response.status_code == 200
    token = AccessToken.objects.get(owner=user)
    secret = response.context["new_secret"]
    assert secret.startswith("rapport_") and secret.encode() in response.content
    assert token.scope == TokenScope.WRITE and token.name == "Claude Desktop"
    assert secret not in token.digest and token.digest == AccessToken.digest_of(secret)
    page = auth_client.get(reverse("access_tokens"))
    assert b"Claude Desktop" in page.content and secret.encode() not in page.content
    assert b"Never" in page.content  # not used yet


def test_it_refuses_a_nameless_or_duplicate_token(auth_client: Client, user: User) -> None:
    AccessToken.issue(owner=user, name="backup", scope="read")
    for name in ("", "backup"):
        response = auth_client.post(reverse("access_tokens"), {"name": name, "scope": "read"})
        assert response.status_code == 200
        assert response.context["form"].errors["name"]
    response = auth_client.post(reverse("access_tokens"), {"name": "x", "scope": "admin"})
    assert response.context["form"].errors["scope"]
    assert AccessToken.objects.filter(owner=user).count() == 1


def test_the_token_reads_as_its_owner_and_records_last_use(user: User) -> None:
    ContactFactory(owner=user, first_name="Ana")
    ContactFactory(first_name="Stranger")
    token, secret = AccessToken.issue(owner=user, name="script", scope="read")
    response = ApiClient(secret).get(CONTACTS)
    assert response.status_code == 200
    assert [c["first_name"] for c in response.json()["items"]] == ["Ana"]
    assert response["Cache-Control"] == "private, no-store"
    token.refresh_from_db()
    assert token.last_used_at is not None


@pytest.mark.parametrize(
    "header", [None, "Bearer nope", "Bearer ", "Basic dXNlcjpwYXNz", "Bearer " + "x" * 5000]
)
def test_it_answers_401_without_a_live_token(header: str | None, client: Client) -> None:
    headers = {"Authorization": header} if header is not None else {}
    response = client.get(CONTACTS, headers=headers)
    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Bearer")
    assert "detail" in response.json()


def test_a_revoked_token_stops_working_at_once(auth_client: Client, user: User) -> None:
    token, secret = AccessToken.issue(owner=user, name="old", scope="read")
    assert ApiClient(secret).get(CONTACTS).status_code == 200
    response = auth_client.post(reverse("access_token_revoke", args=[token.pk]))
    assert response.status_code == 302
    assert ApiClient(secret).get(CONTACTS).status_code == 401


def test_an_inactive_users_token_is_refused(user: User) -> None:
    _, secret = AccessToken.issue(owner=user, name="old", scope="read")
    user.is_active = False
    user.save()
    assert ApiClient(secret).get(CONTACTS).status_code == 401


def test_a_read_token_cannot_write(read_api: ApiClient, user: User) -> None:
    response = read_api.post(CONTACTS, {"first_name": "Bo"})
    assert response.status_code == 403
    assert "read-only" in response.json()["detail"]
    assert not user.contacts.exists()


def test_a_token_needs_no_csrf_token_but_a_session_does(api: ApiClient, user: User) -> None:
    assert api.post(CONTACTS, {"first_name": "Bo"}).status_code == 201
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(user)
    response = browser.post(CONTACTS, {"first_name": "Cy"}, content_type="application/json")
    assert response.status_code == 403
    assert browser.get(CONTACTS).status_code == 200  # reading needs no CSRF token
    assert list(user.contacts.values_list("first_name", flat=True)) == ["Bo"]


@override_settings(API_REQUESTS_PER_MINUTE=3)
@time_machine.travel(dt.datetime(2026, 12, 2, 12, 0, 10, tzinfo=dt.UTC), tick=False)
def test_each_token_is_throttled_on_its_own(user: User) -> None:
    first = ApiClient(AccessToken.issue(owner=user, name="a", scope="read")[1])
    second = ApiClient(AccessToken.issue(owner=user, name="b", scope="read")[1])
    assert [first.get(CONTACTS).status_code for _ in range(3)] == [200, 200, 200]
    refused = first.get(CONTACTS)
    assert refused.status_code == 429
    assert refused["Retry-After"] == "50"  # the rest of the minute
    assert second.get(CONTACTS).status_code == 200


def test_another_users_token_cannot_be_revoked(auth_client: Client, other_user: User) -> None:
    token, _ = AccessToken.issue(owner=other_user, name="theirs", scope="read")
    response = auth_client.post(reverse("access_token_revoke", args=[token.pk]))
    assert response.status_code == 404
    assert AccessToken.objects.filter(pk=token.pk).exists()
