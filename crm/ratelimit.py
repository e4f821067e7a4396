"""Counting requests on Django's cache, for throttles of Rapport's own (sync, API).

The web log-in, password-reset and password-change limits are django-allauth's
(ACCOUNT_RATE_LIMITS in crm/settings.py; crm/account_adapter.py counts failed log-ins on
`normalise_username` and takes the client address from `client_address`). Sign-ins that
do not go through allauth (CardDAV's HTTP Basic) count their failures here, with the same
limits: LOGIN_FAILURE_LIMIT per client and username, four times that per client, within
LOGIN_LOCKOUT_SECONDS (`is_locked_out`, `record_failure`, `clear_failures`).

A client is one IPv4 address or one IPv6 /64 (`address_bucket`); behind Rapport's own
proxy (USE_X_FORWARDED_FOR) it is the last X-Forwarded-For entry. The cache is Redis in
production and shared by every web process.
"""

import hashlib
import ipaddress
import unicodedata
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest


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


def digest(value: str) -> str:
    """A short, fixed-length cache key part for any value (names, addresses, tokens)."""
    return hashlib.sha256(value.encode()).hexdigest()[:32]


def normalise_username(username: str) -> str:
    """The username as authentication matches it (NFKC, like Django's form), case-folded."""
    return unicodedata.normalize("NFKC", username).strip().casefold()


IP_LIMIT_FACTOR = 4


def _keys(request: HttpRequest, username: str) -> tuple[str, str]:
    address = address_bucket(client_address(request))
    return (
        f"rapport:login-fail:pair:{digest(address + chr(0) + normalise_username(username))}",
        f"rapport:login-fail:ip:{digest(address)}",
    )


def is_locked_out(request: HttpRequest, username: str) -> bool:
    """Whether this client may not try `username` (or any username) again for now."""
    pair_key, ip_key = _keys(request, username)
    limit = settings.LOGIN_FAILURE_LIMIT
    return hits(pair_key) >= limit or hits(ip_key) >= limit * IP_LIMIT_FACTOR


def record_failure(
    sender: Any, credentials: dict[str, Any], request: HttpRequest | None = None, **kwargs: Any
) -> None:
    """Count a failed sign-in (the signature of Django's user_login_failed receivers)."""
    if request is None:
        return
    for key in _keys(request, str(credentials.get("username", ""))):
        hit(key, settings.LOGIN_LOCKOUT_SECONDS)


def clear_failures(request: HttpRequest, username: str) -> None:
    """After a success: this client's failures for `username` are forgotten."""
    cache.delete(_keys(request, username)[0])


def hits(key: str) -> int:
    """How many times `key` was hit in its current window."""
    return int(cache.get(key, 0))


def hit(key: str, window_seconds: int) -> int:
    """Count one hit of `key`; the window starts at its first hit. Returns the new count."""
    cache.add(key, 0, window_seconds)
    try:
        return int(cache.incr(key))
    except ValueError:  # expired between add and incr
        cache.set(key, 1, window_seconds)
        return 1


def over_limit(key: str, limit: int, window_seconds: int) -> bool:
    """Count this request; True once `key` has been hit more than `limit` times."""
    return hit(key, window_seconds) > limit
