"""Login rate limiting against password guessing, on Django's cache.

After LOGIN_FAILURE_LIMIT failed attempts for one username from one client
address (an IPv6 /64 counts as one address) within LOGIN_LOCKOUT_SECONDS,
further attempts for that pair are answered with 429 (even with the right
password) until the window ends. One address is also capped at four times the
limit across all usernames, so a guesser cannot simply rotate usernames. A
successful log-in clears its pair. The username is counted as authentication reads
it (NFKC, as Django's form normalises it) and case-folded, so no other spelling of a
locked username (full-width letters, capitals) gets fresh attempts.

Changing one's password asks for the old one: wrong old passwords are counted per
account the same way, so a stolen session cannot be used to guess the password.

Why our own and not django-axes: axes swaps in its own authentication backend
and models; a middleware plus the auth signals keep every other test's
`client.login()` working and need no migration. The cache is Redis in
production and shared by every web process.
"""

import hashlib
import ipaddress
import math
import unicodedata
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

# URL names whose POSTs are log-in attempts.
LOGIN_VIEWS = {"login", "admin:login"}
# Its POST checks the old password: throttled per account like log-in.
PASSWORD_CHANGE_VIEW = "password_change"  # noqa: S105 (a URL name, not a password)
IP_LIMIT_FACTOR = 4


def client_address(request: HttpRequest) -> str:
    if settings.USE_X_FORWARDED_FOR:
        # Our own proxy appends the address it saw last; earlier entries are the client's word.
        forwarded = [p.strip() for p in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
        forwarded = [p for p in forwarded if p]
        if forwarded:
            return forwarded[-1]
    return request.META.get("REMOTE_ADDR", "") or "unknown"


def address_bucket(address: str) -> str:
    """The unit that is rate limited: one IPv4 address, or one IPv6 /64.

    Anyone with IPv6 holds a whole /64 (2^64 addresses); counting each address
    alone would give a guesser unlimited attempts by changing address each time.
    """
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return address
    if isinstance(ip, ipaddress.IPv6Address):
        if ip.ipv4_mapped is not None:
            return str(ip.ipv4_mapped)
        return str(ipaddress.ip_network((ip, 64), strict=False))
    return str(ip)


def _digest(value: str) -> str:
    return hashlib.sha256(value.encode()).hexdigest()[:32]


def normalise_username(username: str) -> str:
    """The username as authentication matches it (NFKC, like Django's form), case-folded."""
    return unicodedata.normalize("NFKC", username).strip().casefold()


def _keys(request: HttpRequest, username: str) -> tuple[str, str]:
    address = address_bucket(client_address(request))
    return (
        f"rapport:login-fail:pair:{_digest(address + chr(0) + normalise_username(username))}",
        f"rapport:login-fail:ip:{_digest(address)}",
    )


def _password_change_key(user_id: int) -> str:
    return f"rapport:password-change-fail:{user_id}"


def _count(key: str) -> int:
    return int(cache.get(key, 0))


def _bump(key: str) -> None:
    # The window starts at the first failure: `add` sets the expiry once, `incr` keeps it.
    cache.add(key, 0, settings.LOGIN_LOCKOUT_SECONDS)
    try:
        cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, settings.LOGIN_LOCKOUT_SECONDS)


def is_locked_out(request: HttpRequest, username: str) -> bool:
    pair_key, ip_key = _keys(request, username)
    limit = settings.LOGIN_FAILURE_LIMIT
    return _count(pair_key) >= limit or _count(ip_key) >= limit * IP_LIMIT_FACTOR


def record_failure(
    sender: Any, credentials: dict[str, Any], request: HttpRequest | None = None, **kwargs: Any
) -> None:
    if request is None:
        return
    for key in _keys(request, str(credentials.get("username", ""))):
        _bump(key)


def clear_failures(sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    if request is None or request.method != "POST":
        return
    username = request.POST.get("username", user.get_username())
    cache.delete(_keys(request, username)[0])


def record_password_change_failure(user_id: int) -> None:
    _bump(_password_change_key(user_id))


def clear_password_change_failures(user_id: int) -> None:
    cache.delete(_password_change_key(user_id))


def _password_change_locked(request: HttpRequest) -> bool:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return False
    return _count(_password_change_key(int(user.pk))) >= settings.LOGIN_FAILURE_LIMIT


class LoginRateLimitMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(
        self,
        request: HttpRequest,
        view_func: Callable[..., HttpResponse],
        view_args: tuple[Any, ...],
        view_kwargs: dict[str, Any],
    ) -> HttpResponse | None:
        if request.method != "POST" or request.resolver_match is None:
            return None
        view_name = request.resolver_match.view_name
        if view_name == PASSWORD_CHANGE_VIEW:
            if not _password_change_locked(request):
                return None
        elif view_name not in LOGIN_VIEWS or not is_locked_out(
            request, request.POST.get("username", "")
        ):
            return None
        minutes = math.ceil(settings.LOGIN_LOCKOUT_SECONDS / 60)
        context = {"minutes": minutes, "password_change": view_name == PASSWORD_CHANGE_VIEW}
        response = render(request, "crm/rate_limited.html", context, status=429)
        response["Retry-After"] = str(settings.LOGIN_LOCKOUT_SECONDS)
        return response


# Password-reset emails: at most this many per address, and per client, an hour.
# Past that the form answers as usual and sends nothing, so a stranger can neither
# flood someone's inbox nor learn whether the address has an account.
RESET_WINDOW_SECONDS = 60 * 60
RESET_PER_EMAIL = 3
RESET_PER_CLIENT = 10


def allow_password_reset(request: HttpRequest, email: str) -> bool:
    """Count this reset request; False once its address or its client is over the limit."""
    address = address_bucket(client_address(request))
    checks = (
        (f"rapport:reset:email:{_digest(email.strip().lower())}", RESET_PER_EMAIL),
        (f"rapport:reset:ip:{_digest(address)}", RESET_PER_CLIENT),
    )
    allowed = all(_count(key) < limit for key, limit in checks)
    for key, _ in checks:
        cache.add(key, 0, RESET_WINDOW_SECONDS)
        try:
            cache.incr(key)
        except ValueError:
            cache.set(key, 1, RESET_WINDOW_SECONDS)
    return allowed


def connect_login_signals() -> None:
    """Count failed log-ins and forget them after a success; CrmConfig.ready() calls it."""
    user_login_failed.connect(record_failure, dispatch_uid="ratelimit-login-failed")
    user_logged_in.connect(clear_failures, dispatch_uid="ratelimit-logged-in")
