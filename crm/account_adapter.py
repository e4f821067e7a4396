"""Rapport's hooks into django-allauth (settings: ACCOUNT_ADAPTER, SOCIALACCOUNT_ADAPTER,
MFA_ADAPTER).

- Sign-up is open only with ALLOW_SIGNUP; an account from single sign-on is created only
  when its provider's AUTO_CREATE is on.
- Failed log-ins are counted per client and username as authentication reads it (NFKC,
  case-folded), so no other spelling of a locked username gets fresh attempts.
- OpenID Connect log-ins send and check a nonce (crm/oidc.py).
- Links in emails come from BASE_URL, never from the request's Host header, and emails
  name the site "Rapport" and BASE_URL's host.
"""

from types import SimpleNamespace
from typing import Any
from urllib.parse import urlsplit

from allauth.account.adapter import DefaultAccountAdapter
from allauth.account.models import EmailConfirmation
from allauth.mfa.adapter import DefaultMFAAdapter
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from allauth.socialaccount.models import SocialLogin
from allauth.socialaccount.providers.openid_connect.provider import OpenIDConnectProvider
from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from crm.oidc import NonceOpenIDConnectProvider, require_nonce
from crm.ratelimit import address_bucket, client_address, normalise_username

SITE_NAME = "Rapport"


def on_base_url(url: str) -> str:
    """The same path (and query) on BASE_URL, whatever host the request came in on."""
    parts = urlsplit(url)
    return settings.BASE_URL + parts.path + (f"?{parts.query}" if parts.query else "")


def user_display(user: AbstractBaseUser) -> str:
    return user.get_username()


def provider_auto_creates(provider_id: str) -> bool:
    for app in settings.OIDC_APPS:
        if app["provider_id"] == provider_id:
            return bool(app["settings"].get("auto_create"))
    return False


class AccountAdapter(DefaultAccountAdapter):
    error_messages = {
        **DefaultAccountAdapter.error_messages,
        "too_many_login_attempts": _(
            "Too many failed log-in attempts. To protect the account, log-in is paused for "
            "a while: wait a little, then try again, or reset your password by email."
        ),
    }

    def is_open_for_signup(self, request: HttpRequest) -> bool:
        # Read per request, so the setting can change without a code path.
        return bool(settings.ALLOW_SIGNUP) and bool(settings.PASSWORD_LOGIN)

    def _get_login_attempts_cache_key(self, request: HttpRequest, **credentials: Any) -> str:
        # allauth counts `login.lower()`: a full-width "alice" would get a counter of its own. And
        # per username and client, as before allauth: a stranger elsewhere cannot lock
        # the owner out (one client is capped across usernames by the "ip" limit).
        login = str(credentials.get("email", credentials.get("username", "")))
        client = address_bucket(client_address(request))
        return f"{client}|{normalise_username(login)}"

    def get_client_ip(self, request: HttpRequest) -> str:
        # The same rule as the rest of Rapport: X-Forwarded-For only behind our own proxy.
        return client_address(request)

    def get_reset_password_from_key_url(self, key: str) -> str:
        return on_base_url(super().get_reset_password_from_key_url(key))

    def get_email_confirmation_url(
        self, request: HttpRequest, emailconfirmation: EmailConfirmation
    ) -> str:
        return on_base_url(super().get_email_confirmation_url(request, emailconfirmation))

    def send_mail(self, template_prefix: str, email: str, context: dict[str, Any]) -> None:
        site = SimpleNamespace(name=SITE_NAME, domain=urlsplit(settings.BASE_URL).netloc)
        super().send_mail(template_prefix, email, {**context, "current_site": site})


class SocialAccountAdapter(DefaultSocialAccountAdapter):
    def is_open_for_signup(self, request: HttpRequest, sociallogin: SocialLogin) -> bool:
        return provider_auto_creates(sociallogin.account.provider)

    def get_provider(self, request: HttpRequest, provider: str, client_id: Any = None) -> Any:
        found = super().get_provider(request, provider, client_id=client_id)
        if type(found) is OpenIDConnectProvider:
            # The same provider, sending and checking a nonce (crm/oidc.py).
            return NonceOpenIDConnectProvider(request, app=found.app)
        return found

    def pre_social_login(self, request: HttpRequest, sociallogin: SocialLogin) -> None:
        require_nonce(request, sociallogin)


class MFAAdapter(DefaultMFAAdapter):
    def _get_site_name(self) -> str:
        return SITE_NAME
