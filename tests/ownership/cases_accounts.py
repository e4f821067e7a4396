"""Ownership cases for accounts: django-allauth's pages and Settings → Security.

The entrance pages (log-in, sign-up, password reset, the second step of a log-in, single
sign-on's callbacks) are public; pages with a token take the token's own checks.
Passkeys are the only account rows addressed by id in a URL.
"""

from typing import Any

from django.contrib.auth.models import User

from tests.ownership import OwnedUrl, Snapshot, row_snapshot
from tests.passkeys import make_passkey

PUBLIC = {
    "account_login",
    "account_logout",  # logging out needs no login
    "account_signup",
    "account_inactive",
    "account_email_verification_sent",
    "account_confirm_email",
    "account_reset_password",
    "account_reset_password_done",
    "account_reset_password_from_key",
    "account_reset_password_from_key_done",
    "account_reauthenticate",  # sends anonymous visitors to log in, with its own redirect
    "mfa_authenticate",  # the second step of a log-in: a half-logged-in visitor
    "mfa_login_webauthn",  # log-in with a passkey
    "openid_connect_login",
    "openid_connect_callback",
    "socialaccount_login_cancelled",
    "socialaccount_login_error",
    "socialaccount_signup",
}


def passkey(victim: User) -> tuple[dict[str, Any], Snapshot]:
    key = make_passkey(victim, "Victim's key")
    return {"pk": key.pk}, row_snapshot(key)


CASES: dict[str, OwnedUrl] = {
    "mfa_remove_webauthn": OwnedUrl(passkey),
    "mfa_edit_webauthn": OwnedUrl(passkey),
}
