"""Single sign-on from the environment (crm/sso.py), and PASSWORD_LOGIN=false."""

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse
from pytest_django import Settings

from crm.env import ConfigurationError
from crm.sso import form_action_origins, oidc_apps, password_login

ENV = {
    "OIDC_PROVIDERS": "authelia, google",
    "OIDC_AUTHELIA_NAME": "Authelia",
    "OIDC_AUTHELIA_SERVER_URL": "https://auth.example.com/",
    "OIDC_AUTHELIA_CLIENT_ID": "rapport",
    "OIDC_AUTHELIA_CLIENT_SECRET": "s3cret",
    "OIDC_AUTHELIA_AUTO_CREATE": "true",
    "OIDC_AUTHELIA_TOKEN_AUTH_METHOD": "client_secret_post",
    "OIDC_GOOGLE_SERVER_URL": "https://accounts.google.com",
    "OIDC_GOOGLE_CLIENT_ID": "123.apps.googleusercontent.com",
    "OIDC_GOOGLE_CLIENT_SECRET": "g",
}


def test_it_reads_any_number_of_providers() -> None:
    authelia, google = oidc_apps(ENV)
    assert authelia == {
        "provider_id": "authelia",
        "name": "Authelia",
        "client_id": "rapport",
        "secret": "s3cret",
        "settings": {
            "server_url": "https://auth.example.com",
            "oauth_pkce_enabled": True,
            "auto_create": True,
            "token_auth_method": "client_secret_post",
        },
    }
    assert google["name"] == "Google"
    assert google["settings"]["auto_create"] is False  # off unless asked for
    assert form_action_origins([authelia, google]) == [
        "https://auth.example.com",
        "https://accounts.google.com",
    ]
    assert oidc_apps({}) == []


def test_it_reads_a_secret_from_a_file(tmp_path) -> None:
    secret = tmp_path / "secret"
    secret.write_text("from-a-file\n")
    env = {**ENV, "OIDC_PROVIDERS": "google", "OIDC_GOOGLE_CLIENT_SECRET_FILE": str(secret)}
    del env["OIDC_GOOGLE_CLIENT_SECRET"]
    assert oidc_apps(env)[0]["secret"] == "from-a-file"


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"OIDC_PROVIDERS": "Auth elia"}, "short names"),
        ({"OIDC_PROVIDERS": "google,google"}, "twice"),
        ({"OIDC_GOOGLE_SERVER_URL": "accounts.google.com"}, "OIDC_GOOGLE_SERVER_URL"),
        ({"OIDC_GOOGLE_CLIENT_ID": ""}, "OIDC_GOOGLE_CLIENT_ID"),
        ({"OIDC_AUTHELIA_AUTO_CREATE": "maybe"}, "OIDC_AUTHELIA_AUTO_CREATE"),
        ({"OIDC_AUTHELIA_TOKEN_AUTH_METHOD": "none"}, "TOKEN_AUTH_METHOD"),
        ({"OIDC_AUTHELIA_SCOPES": "email profile"}, "openid"),
    ],
)
def test_a_mistake_stops_start_up_naming_the_variable(change: dict[str, str], message: str) -> None:
    with pytest.raises(ConfigurationError, match=message):
        oidc_apps({**ENV, **change})


@pytest.fixture
def sso_only(settings: Settings) -> None:
    apps = oidc_apps(ENV)
    settings.OIDC_APPS = apps
    settings.SOCIALACCOUNT_PROVIDERS = {"openid_connect": {"APPS": apps}}
    settings.PASSWORD_LOGIN = False


@pytest.mark.django_db
def test_with_password_log_in_off_only_single_sign_on_is_offered(
    client: Client, user: User, sso_only: None
) -> None:
    page = client.get(reverse("account_login")).text
    assert 'name="password"' not in page
    assert ">Authelia</button>" in page and ">Google</button>" in page
    assert 'action="/accounts/oidc/authelia/login/?process=login"' in page
    refused = client.post(
        reverse("account_login"), {"login": "alice", "password": "correct horse battery staple"}
    )
    assert "_auth_user_id" not in client.session
    assert "turned off" in refused.text
    for name in ("account_reset_password", "account_signup", "account_change_password"):
        assert client.get(reverse(name)).status_code == 404, name


@pytest.mark.django_db
def test_the_log_in_page_offers_providers_beside_passwords(
    client: Client, settings: Settings
) -> None:
    apps = oidc_apps(ENV)
    settings.SOCIALACCOUNT_PROVIDERS = {"openid_connect": {"APPS": apps}}
    page = client.get(reverse("account_login")).text
    assert 'name="password"' in page
    assert "Or log in with" in page and ">Authelia</button>" in page


@pytest.mark.parametrize(
    ("value", "expected"), [(None, True), ("", True), ("true", True), ("false", False)]
)
def test_password_log_in_is_on_unless_turned_off(value: str | None, expected: bool) -> None:
    env = {**ENV} if value is None else {**ENV, "PASSWORD_LOGIN": value}
    assert password_login(env, oidc_apps(ENV)) is expected


def test_password_log_in_cannot_be_turned_off_without_single_sign_on() -> None:
    with pytest.raises(ConfigurationError, match="OIDC_PROVIDERS"):
        password_login({"PASSWORD_LOGIN": "false"}, [])
    with pytest.raises(ConfigurationError, match="PASSWORD_LOGIN"):
        password_login({"PASSWORD_LOGIN": "nope"}, oidc_apps(ENV))
