"""What the administrator decides for every account, applied on each request.

- PASSWORD_LOGIN=false (single sign-on configured): the password pages answer 404;
  the log-in form itself refuses passwords (crm/account_forms.py).
- REQUIRE_TWO_FACTOR=true: a signed-in account without an authenticator app or a
  passkey is sent to Settings → Security until it has set one up.
- Each session's "last seen" for Settings → Security, written at most every few minutes
  (allauth's own tracking writes on every request).
"""

import hashlib
from collections.abc import Callable
from typing import Any

from allauth.account.signals import user_logged_in as allauth_logged_in
from allauth.mfa.models import Authenticator
from allauth.usersessions.models import UserSession
from django.conf import settings
from django.contrib import messages
from django.core.cache import cache
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext

PASSWORD_PAGES = {
    "account_signup",
    "account_reset_password",
    "account_reset_password_done",
    "account_reset_password_from_key",
    "account_reset_password_from_key_done",
    "account_change_password",
    "account_set_password",
}
# Pages an account without two-factor may still open when two-factor is required.
SETUP_PAGES = {"security", "account_logout", "account_reauthenticate", "healthz"}
SECOND_FACTORS = (Authenticator.Type.TOTP, Authenticator.Type.WEBAUTHN)
LAST_SEEN_EVERY_SECONDS = 5 * 60
TRACKED_SESSION_KEY = "rapport_session_tracked"


def has_second_factor(user: Any) -> bool:
    return Authenticator.objects.filter(user_id=user.pk, type__in=SECOND_FACTORS).exists()


def _seen_marker(session_key: str) -> str:
    return "rapport:seen:" + hashlib.sha256(session_key.encode()).hexdigest()[:32]


def start_tracking(sender: Any, request: HttpRequest, **kwargs: Any) -> None:
    """At log-in (allauth records the session then): last seen is now, for five minutes."""
    request.session[TRACKED_SESSION_KEY] = True
    if request.session.session_key:
        cache.set(_seen_marker(request.session.session_key), 1, LAST_SEEN_EVERY_SECONDS)


def note_last_seen(request: HttpRequest) -> None:
    session_key = request.session.session_key
    if not session_key or not request.session.get(TRACKED_SESSION_KEY):
        return
    if cache.add(_seen_marker(session_key), 1, LAST_SEEN_EVERY_SECONDS):
        UserSession.objects.filter(session_key=session_key).update(last_seen_at=timezone.now())


def connect_session_tracking() -> None:
    """CrmConfig.ready() calls it."""
    allauth_logged_in.connect(start_tracking, dispatch_uid="rapport-session-tracking")


class AccountPolicyMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated:
            note_last_seen(request)
        return self.get_response(request)

    def process_view(
        self,
        request: HttpRequest,
        view_func: Callable[..., HttpResponse],
        view_args: tuple[Any, ...],
        view_kwargs: dict[str, Any],
    ) -> HttpResponse | None:
        name = request.resolver_match.url_name if request.resolver_match else None
        if not settings.PASSWORD_LOGIN and name in PASSWORD_PAGES:
            raise Http404("Passwords are turned off on this server: use single sign-on.")
        if (
            settings.REQUIRE_TWO_FACTOR
            and request.user.is_authenticated
            and name is not None
            and name not in SETUP_PAGES
            and not name.startswith("mfa_")
            and not has_second_factor(request.user)
        ):
            messages.warning(
                request,
                gettext(
                    "This server requires two-factor authentication: set up an authenticator "
                    "app or a passkey to continue."
                ),
            )
            return redirect("security")
        return None
