"""Single sign-on providers (OpenID Connect) read from the environment.

`OIDC_PROVIDERS` names the providers, comma-separated (`authelia,google`); each one is
then configured by variables with its name in capitals (`OIDC_AUTHELIA_SERVER_URL`, …).
Every variable is described in docs/authentication.md and .env.example.
"""

import re
from collections.abc import Mapping
from typing import Any
from urllib.parse import urlsplit

from crm.env import TRUE_VALUES, ConfigurationError, envsecret

PROVIDER_ID = re.compile(r"^[a-z][a-z0-9-]{0,29}$")
TOKEN_AUTH_METHODS = {"client_secret_basic", "client_secret_post"}


def _flag(env: Mapping[str, str], name: str) -> bool:
    raw = env.get(name, "").strip().lower()
    if raw and raw not in TRUE_VALUES | {"0", "false", "no", "off"}:
        raise ConfigurationError(f"{name} must be true or false (got {raw!r}).")
    return raw in TRUE_VALUES


def _provider(env: Mapping[str, str], provider_id: str) -> dict[str, Any]:
    prefix = "OIDC_" + provider_id.upper().replace("-", "_") + "_"
    server_url = env.get(prefix + "SERVER_URL", "").strip().rstrip("/")
    parts = urlsplit(server_url)
    if parts.scheme not in {"http", "https"} or not parts.netloc:
        raise ConfigurationError(
            f"{prefix}SERVER_URL must be the provider's issuer URL, such as "
            f"https://auth.example.com (got {server_url!r})."
        )
    client_id = env.get(prefix + "CLIENT_ID", "").strip()
    if not client_id:
        raise ConfigurationError(f"{prefix}CLIENT_ID is not set.")
    settings: dict[str, Any] = {
        "server_url": server_url,
        # Authorization code with PKCE, whatever the provider's defaults.
        "oauth_pkce_enabled": True,
        "auto_create": _flag(env, prefix + "AUTO_CREATE"),
    }
    method = env.get(prefix + "TOKEN_AUTH_METHOD", "").strip()
    if method:
        if method not in TOKEN_AUTH_METHODS:
            raise ConfigurationError(
                f"{prefix}TOKEN_AUTH_METHOD must be one of {sorted(TOKEN_AUTH_METHODS)} "
                f"(got {method!r})."
            )
        settings["token_auth_method"] = method
    scopes = env.get(prefix + "SCOPES", "").split()
    if scopes:
        if "openid" not in scopes:
            raise ConfigurationError(f"{prefix}SCOPES must include openid.")
        settings["scope"] = scopes
    return {
        "provider_id": provider_id,
        "name": env.get(prefix + "NAME", "").strip() or provider_id.title(),
        "client_id": client_id,
        "secret": envsecret(prefix + "CLIENT_SECRET", environ=env),
        "settings": settings,
    }


def oidc_apps(env: Mapping[str, str]) -> list[dict[str, Any]]:
    """The `APPS` of allauth's openid_connect provider, one per name in OIDC_PROVIDERS."""
    ids = [part.strip().lower() for part in env.get("OIDC_PROVIDERS", "").split(",")]
    apps: list[dict[str, Any]] = []
    for provider_id in filter(None, ids):
        if not PROVIDER_ID.match(provider_id):
            raise ConfigurationError(
                "OIDC_PROVIDERS holds short names of letters, digits and hyphens, such as "
                f"authelia,google (got {provider_id!r})."
            )
        if any(app["provider_id"] == provider_id for app in apps):
            raise ConfigurationError(f"OIDC_PROVIDERS names {provider_id!r} twice.")
        apps.append(_provider(env, provider_id))
    return apps


def form_action_origins(apps: list[dict[str, Any]]) -> list[str]:
    """Origins a log-in form may send the browser on to (the CSP's form-action)."""
    origins = []
    for app in apps:
        parts = urlsplit(app["settings"]["server_url"])
        origin = f"{parts.scheme}://{parts.netloc}"
        if origin not in origins:
            origins.append(origin)
    return origins


def password_login(env: Mapping[str, str], apps: list[dict[str, Any]]) -> bool:
    """PASSWORD_LOGIN: false turns password log-in off, once single sign-on can replace it."""
    if not _flag(env, "PASSWORD_LOGIN") and env.get("PASSWORD_LOGIN", "").strip():
        if not apps:
            raise ConfigurationError(
                "PASSWORD_LOGIN=false needs at least one single sign-on provider "
                "(OIDC_PROVIDERS): otherwise nobody could log in."
            )
        return False
    return True
