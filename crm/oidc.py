"""OpenID Connect's nonce, which allauth's openid_connect provider leaves out.

The log-in redirect carries a fresh random `nonce`, kept in the same server-side state
as allauth's `state` and PKCE verifier; the ID token that comes back must carry it
(`require_nonce`, called from crm/account_adapter.py before any log-in or link). An ID
token minted for another log-in attempt, replayed or injected, is refused.
"""

import hmac
import secrets
from typing import Any

from allauth.core.exceptions import ImmediateHttpResponse
from allauth.socialaccount.helpers import render_authentication_error
from allauth.socialaccount.models import SocialLogin
from allauth.socialaccount.providers.openid_connect.provider import OpenIDConnectProvider
from django.http import HttpRequest, HttpResponse


class NonceOpenIDConnectProvider(OpenIDConnectProvider):
    def redirect(
        self,
        request: HttpRequest,
        process: Any,
        next_url: str | None = None,
        data: Any = None,
        **kwargs: Any,
    ) -> HttpResponse:
        nonce = secrets.token_urlsafe(32)
        auth_params = dict(kwargs.pop("auth_params", None) or self.get_auth_params())
        auth_params["nonce"] = nonce
        response: HttpResponse = super().redirect(
            request, process, next_url, data, auth_params=auth_params, nonce=nonce, **kwargs
        )
        return response


def require_nonce(request: HttpRequest, sociallogin: SocialLogin) -> None:
    """Refuse an OpenID Connect log-in whose ID token lacks this attempt's nonce."""
    if not isinstance(sociallogin.account.get_provider(), OpenIDConnectProvider):
        return
    expected = str((sociallogin.state or {}).get("nonce") or "")
    id_token = (sociallogin.account.extra_data or {}).get("id_token") or {}
    received = str(id_token.get("nonce") or "")
    if not expected or not hmac.compare_digest(expected, received):
        raise ImmediateHttpResponse(
            render_authentication_error(
                request,
                sociallogin.account.get_provider(),
                exception=PermissionError("The ID token's nonce does not match this log-in."),
            )
        )
