"""Single sign-on in Chromium against a real OpenID Connect provider: the `oidc-provider`
npm package, run with node on 127.0.0.1 (tests/e2e/oidc_provider.mjs).

The full authorization-code flow with PKCE; a new account where the provider may create
them; linking an existing account and logging in with it; a tampered `state` or `nonce`
refused.
"""

import os
import re
import socket
import subprocess
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from allauth.socialaccount.models import SocialAccount
from django.contrib.auth.models import User
from playwright.sync_api import Page, Request, expect
from pytest_django import Settings
from pytest_django.live_server_helper import LiveServer

from crm.sso import form_action_origins, oidc_apps
from tests.e2e.conftest import open_as
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db(transaction=True)

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = Path(__file__).with_name("oidc_provider.mjs")
LOOPBACK = re.compile(r"^https?://(localhost|127\.0\.0\.1)(:\d+)?/")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def tamper() -> str:
    return ""


@pytest.fixture
def idp(live_server: LiveServer, settings: Settings, tamper: str) -> Iterator[str]:
    if not (ROOT / "node_modules" / "oidc-provider").exists():
        pytest.skip("oidc-provider is not installed (npm ci)")
    port = _free_port()
    callback = f"{live_server.url}/accounts/oidc/testidp/login/callback/"
    process = subprocess.Popen(
        ["node", str(SCRIPT), str(port), callback],
        cwd=ROOT,
        env={**os.environ, "OIDC_TAMPER": tamper},
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    try:
        assert process.stdout is not None
        line = process.stdout.readline()
        assert line.startswith("READY "), line
        issuer = line.split()[1]
        _configure(settings, issuer, auto_create=False)
        yield issuer
    finally:
        process.terminate()
        process.wait(timeout=10)


def _configure(settings: Settings, issuer: str, *, auto_create: bool) -> None:
    apps = oidc_apps(
        {
            "OIDC_PROVIDERS": "testidp",
            "OIDC_TESTIDP_NAME": "Test IdP",
            "OIDC_TESTIDP_SERVER_URL": issuer,
            "OIDC_TESTIDP_CLIENT_ID": "rapport",
            "OIDC_TESTIDP_CLIENT_SECRET": "rapport-test-secret",
            "OIDC_TESTIDP_AUTO_CREATE": "true" if auto_create else "false",
        }
    )
    settings.OIDC_APPS = apps
    settings.SOCIALACCOUNT_PROVIDERS = {
        "openid_connect": {"OAUTH_PKCE_ENABLED": True, "APPS": apps}
    }
    settings.SECURE_CSP = {
        **settings.SECURE_CSP,
        "form-action": [*settings.SECURE_CSP["form-action"], *form_action_origins(apps)],
    }


@pytest.fixture
def sso_page(page: Page) -> Page:
    # Nothing leaves the machine (the provider's pages ask for a web font).
    page.context.route(
        "**/*",
        lambda route: route.continue_() if LOOPBACK.match(route.request.url) else route.abort(),
    )
    return page


def _through_the_provider(page: Page, button: str, login: str) -> None:
    """Click Rapport's button, then the provider's own pages: log in (any password), allow
    Rapport; a provider that remembers the person sends them straight back."""
    with page.expect_navigation(wait_until="load"):
        page.get_by_role("button", name=button).click()
    if "/interaction/" in page.url and page.locator("input[name=login]").count():
        page.fill("input[name=login]", login)
        page.fill("input[name=password]", "anything")
        with page.expect_navigation(wait_until="load"):
            page.click("button[type=submit]")
    if "/interaction/" in page.url and page.get_by_role("button", name="Continue").count():
        with page.expect_navigation(wait_until="load"):
            page.get_by_role("button", name="Continue").click()


def test_a_new_person_gets_an_account_through_pkce_when_the_provider_may_create_them(
    sso_page: Page, idp: str, settings: Settings
) -> None:
    _configure(settings, idp, auto_create=True)
    authorize: list[Request] = []
    sso_page.on(
        "request", lambda r: authorize.append(r) if r.url.startswith(f"{idp}/auth") else None
    )
    sso_page.goto("/accounts/login/")
    _through_the_provider(sso_page, "Test IdP", "noor")
    sso_page.wait_for_url(lambda url: "/accounts/" not in url and "/interaction/" not in url)

    params = parse_qs(urlsplit(authorize[0].url).query)
    assert params["response_type"] == ["code"]
    assert params["code_challenge_method"] == ["S256"]
    assert len(params["code_challenge"][0]) >= 43
    assert params["state"][0] and params["nonce"][0]
    noor = User.objects.get(username="noor")
    assert noor.email == "noor@idp.example"
    assert SocialAccount.objects.get(user=noor).provider == "testidp"
    sso_page.goto("/settings/security/")
    expect(sso_page.locator("strong", has_text="Test IdP")).to_be_visible()


def test_an_existing_account_links_the_provider_then_logs_in_with_it(
    sso_page: Page, idp: str
) -> None:
    owner = UserFactory(username="rosa")
    # Not linked yet, and the provider may not create accounts: refused, with a way on.
    sso_page.goto("/accounts/login/")
    _through_the_provider(sso_page, "Test IdP", "rosa-at-idp")
    expect(
        sso_page.get_by_role("heading", name="No Rapport account for this sign-in")
    ).to_be_visible()
    assert not User.objects.filter(username="rosa-at-idp").exists()

    open_as(sso_page, owner, "/settings/security/")
    _through_the_provider(sso_page, "Link Test IdP", "rosa-at-idp")
    sso_page.wait_for_url(re.compile(r"/settings/security/"))
    assert SocialAccount.objects.get(provider="testidp").user == owner

    sso_page.context.clear_cookies()
    sso_page.goto("/accounts/login/")
    _through_the_provider(sso_page, "Test IdP", "rosa-at-idp")
    sso_page.wait_for_url(lambda url: "/accounts/" not in url and "/interaction/" not in url)
    sso_page.goto("/settings/security/")
    expect(sso_page.locator(".menu__name")).to_have_text("rosa")


@pytest.mark.parametrize("tamper", ["state", "nonce"])
def test_a_tampered_state_or_nonce_is_refused(
    sso_page: Page, idp: str, settings: Settings, tamper: str
) -> None:
    _configure(settings, idp, auto_create=True)
    sso_page.goto("/accounts/login/")
    _through_the_provider(sso_page, "Test IdP", "mallory")
    sso_page.wait_for_url(re.compile(r"/accounts/oidc/testidp/login/callback/"))
    expect(sso_page.get_by_role("heading", name="Third-Party Login Failure")).to_be_visible()
    assert not User.objects.filter(username="mallory").exists()
    assert not SocialAccount.objects.exists()
    sso_page.goto("/contacts/")
    assert "/accounts/login/" in sso_page.url
