"""Passkeys in Chromium with its virtual authenticator (DevTools' WebAuthn domain):
register one under Settings → Security, log in with it and no password, remove it."""

import re

import pytest
from allauth.mfa.models import Authenticator
from django.contrib.auth.models import User
from playwright.sync_api import Page, expect
from pytest_django import Settings

from tests.e2e.conftest import open_as
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "correct horse battery staple"


def _confirm_password_if_asked(page: Page) -> None:
    if "/accounts/reauthenticate/" in page.url:
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("button", name="Confirm").click()
        page.wait_for_load_state()


@pytest.fixture
def authenticator(page: Page, settings: Settings) -> str:
    # The live server is http://localhost: a secure context for browsers, not for fido2.
    settings.MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN = True
    cdp = page.context.new_cdp_session(page)
    cdp.send("WebAuthn.enable")
    added = cdp.send(
        "WebAuthn.addVirtualAuthenticator",
        {
            "options": {
                "protocol": "ctap2",
                "transport": "internal",
                "hasResidentKey": True,
                "hasUserVerification": True,
                "isUserVerified": True,
                "automaticPresenceSimulation": True,
            }
        },
    )
    return str(added["authenticatorId"])


def test_a_passkey_registers_logs_in_without_a_password_and_is_removed(
    page: Page, authenticator: str
) -> None:
    owner: User = UserFactory(username="kim")
    open_as(page, owner, "/settings/security/")
    page.get_by_role("link", name="Add a passkey").click()
    _confirm_password_if_asked(page)
    page.get_by_label("Name").fill("Virtual key")
    page.get_by_label("Passwordless").check()
    page.get_by_role("button", name="Add").click()
    page.wait_for_url(lambda url: "/accounts/2fa/" in url and "/webauthn/add/" not in url)
    key = Authenticator.objects.get(user=owner, type=Authenticator.Type.WEBAUTHN)
    assert key.wrap().is_passwordless is True

    page.goto("/settings/security/")
    expect(page.get_by_role("link", name="Remove Virtual key")).to_be_visible()
    page.locator("summary", has_text="kim").click()  # the account menu
    page.get_by_role("button", name="Log out").click()
    page.wait_for_url(re.compile(r"/accounts/login/"))

    # No username, no password: the browser offers the passkey it holds.
    page.get_by_role("button", name="Log in with a passkey").click()
    page.wait_for_url(lambda url: "/accounts/" not in url)
    page.goto("/settings/security/")
    expect(page.get_by_role("heading", name="Passkeys")).to_be_visible()
    key.refresh_from_db()
    assert key.last_used_at is not None

    page.get_by_role("link", name=re.compile("Remove")).click()
    _confirm_password_if_asked(page)
    page.get_by_role("button", name="Remove").click()
    page.wait_for_url(lambda url: "/remove/" not in url)
    assert not Authenticator.objects.filter(user=owner, type=Authenticator.Type.WEBAUTHN).exists()
    page.goto("/settings/security/")
    expect(page.get_by_text("No passkeys yet.")).to_be_visible()
