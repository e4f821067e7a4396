"""Settings → Security: sessions (device, last seen; sign out the others), two-factor,
passkeys and linked single sign-on."""

import pytest
from allauth.socialaccount.models import SocialAccount
from allauth.usersessions.models import UserSession
from django.contrib.auth.models import User
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from pytest_django import Settings

from api.models import AccessToken
from carddav.models import AppPassword
from crm.security import describe_device
from tests.factories import UserFactory
from tests.passkeys import make_passkey

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery staple"
FIREFOX = "Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0"
IPHONE = (
    "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 "
    "(KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1"
)


def _log_in(user_agent: str, address: str) -> Client:
    client = Client(HTTP_USER_AGENT=user_agent, REMOTE_ADDR=address)
    response = client.post(reverse("account_login"), {"login": "alice", "password": PASSWORD})
    assert response.status_code == 302
    return client


@pytest.mark.parametrize(
    ("agent", "device"),
    [
        (FIREFOX, "Firefox on Linux"),
        (IPHONE, "Safari on iPhone"),
        (
            "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
            "Chrome/131.0.0.0 Safari/537.36 Edg/131.0.0.0",
            "Edge on Windows",
        ),
        (
            "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like "
            "Gecko) Chrome/131.0.0.0 Safari/537.36",
            "Chrome on macOS",
        ),
        ("curl/8.5.0", "Unknown device"),
        ("", "Unknown device"),
    ],
)
def test_it_names_devices_as_people_know_them(agent: str, device: str) -> None:
    assert describe_device(agent) == device


def test_it_lists_sessions_and_signs_out_the_others(user: User) -> None:
    laptop = _log_in(FIREFOX, "192.0.2.10")
    phone = _log_in(IPHONE, "198.51.100.7")
    page = laptop.get(reverse("security")).text
    assert "Firefox on Linux" in page and "This device" in page
    assert "Safari on iPhone" in page and "198.51.100.7" in page

    response = laptop.post(reverse("security_end_sessions"), follow=True)
    assert "Signed out 1 other session." in response.text
    assert phone.get(reverse("contacts:list")).status_code == 302
    assert laptop.get(reverse("contacts:list")).status_code == 200
    assert UserSession.objects.filter(user=user).count() == 1


def test_signing_out_others_touches_only_ones_own_sessions(user: User, other_user: User) -> None:
    other_user.set_password(PASSWORD)
    other_user.save()
    mallory = Client()
    mallory.post(reverse("account_login"), {"login": "mallory", "password": PASSWORD})
    alice = _log_in(FIREFOX, "192.0.2.10")
    alice.post(reverse("security_end_sessions"))
    assert mallory.get(reverse("contacts:list")).status_code == 200


def test_it_shows_two_factor_passkeys_and_sso(
    auth_client: Client, user: User, settings: Settings
) -> None:
    page = auth_client.get(reverse("security")).text
    assert "Off: a password alone opens your account." in page
    assert reverse("mfa_activate_totp") in page
    assert "No passkeys yet." in page
    assert "Single sign-on" not in page  # no provider configured

    make_passkey(user, "YubiKey 5C")
    apps = [
        {
            "provider_id": "authelia",
            "name": "Authelia",
            "client_id": "rapport",
            "secret": "s",
            "settings": {"server_url": "https://auth.example.com", "auto_create": False},
        }
    ]
    settings.OIDC_APPS = apps
    settings.SOCIALACCOUNT_PROVIDERS = {"openid_connect": {"APPS": apps}}
    page = auth_client.get(reverse("security")).text
    assert "On: logging in with your password also asks" in page
    assert "YubiKey 5C" in page
    assert "Link Authelia" in page
    SocialAccount.objects.create(user=user, provider="authelia", uid="abc")
    page = auth_client.get(reverse("security")).text
    assert "Link Authelia" not in page
    assert "<strong>Authelia</strong>" in page


def test_its_query_count_does_not_grow_with_sessions_and_keys(user: User) -> None:
    client = _log_in(FIREFOX, "192.0.2.10")
    make_passkey(user)

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("security")).status_code == 200
        return len(queries)

    before = count()
    for n in range(5):
        _log_in(IPHONE, f"198.51.100.{n}")
        make_passkey(user, f"Key {n}")
    assert count() == before


def test_it_links_to_app_passwords_and_access_tokens_with_their_counts(
    auth_client: Client, user: User
) -> None:
    AccessToken.issue(owner=user, name="Backup script")
    AccessToken.issue(owner=user, name="Assistant")
    AccessToken.issue(owner=UserFactory(username="other"), name="Not mine")
    AppPassword.issue(owner=user, name="Phone")
    page = auth_client.get(reverse("security")).text
    tokens = reverse("access_tokens")
    passwords = reverse("carddav:settings")
    assert f'<a href="{tokens}">Access tokens</a> <span class="muted">2 active' in page
    assert f'<a href="{passwords}">App passwords</a> <span class="muted">1 active' in page


def test_the_settings_pages_link_to_it(auth_client: Client) -> None:
    page = auth_client.get(reverse("settings")).text
    assert f'href="{reverse("security")}"' in page
