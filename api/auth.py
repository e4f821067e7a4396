"""Who is calling the API: a personal access token, or the signed-in browser session.

A token comes as `Authorization: Bearer <token>`; it needs no CSRF token (a browser
never adds it by itself). A session does: unsafe methods from a signed-in browser must
carry Django's CSRF token, exactly as the web pages' forms do, so a page elsewhere
cannot make the browser write through the API.

Every caller is throttled per token (per user for a session): API_REQUESTS_PER_MINUTE
in a fixed one-minute window on the shared cache, answered with 429 and Retry-After.
"""

import threading
import time
from typing import Any

from django.conf import settings
from django.contrib.auth.models import User
from django.core.cache import cache
from django.http import HttpRequest
from ninja.errors import HttpError
from ninja.security import APIKeyCookie, HttpBearer
from ninja.throttling import BaseThrottle
from ninja.utils import check_csrf

from api.models import AccessToken
from crm.models import UserSettings

WINDOW_SECONDS = 60


class TokenAuth(HttpBearer):
    """`Authorization: Bearer rapport_…`: a live personal access token of an active user."""

    def authenticate(self, request: HttpRequest, token: str) -> AccessToken | None:
        found = AccessToken.find(token.strip())
        if found is None:
            return None
        found.mark_used()
        request.user = found.owner
        return found


class SessionAuth(APIKeyCookie):
    """The signed-in browser (e.g. trying the API from /api/docs), with Django's CSRF check."""

    param_name = settings.SESSION_COOKIE_NAME

    def _get_key(self, request: HttpRequest) -> str | None:
        if not request.user.is_authenticated:
            return None  # anonymous: 401, not a CSRF complaint
        if check_csrf(request) is not None:
            raise HttpError(403, "CSRF check failed: send the X-CSRFToken header.")
        return request.COOKIES.get(self.param_name)

    def authenticate(self, request: HttpRequest, key: str | None) -> User | None:
        user = request.user
        return user if isinstance(user, User) and user.is_authenticated else None


def caller(request: HttpRequest) -> User:
    """The user on whose behalf the request reads (after authentication)."""
    user = request.user
    assert isinstance(user, User), "the API's auth runs before every operation"
    return user


def preferences(user: User) -> UserSettings:
    """The caller's settings: joined to the token's lookup when a token was sent."""
    try:
        return user.rapport_settings
    except UserSettings.DoesNotExist:
        return UserSettings.for_user(user)


def writer(request: HttpRequest) -> User:
    """The user on whose behalf the request writes; a read-only token is refused (403)."""
    auth = getattr(request, "auth", None)
    if isinstance(auth, AccessToken) and not auth.can_write:
        raise HttpError(
            403, "This token is read-only. Create one with the write scope to change data."
        )
    return caller(request)


def throttle_key(auth: Any) -> str | None:
    if isinstance(auth, AccessToken):
        return f"rapport:api:token:{auth.pk}"
    if isinstance(auth, User):
        return f"rapport:api:user:{auth.pk}"
    return None


def seconds_until_allowed(key: str) -> int | None:
    """Count one request under `key`; None while within the limit, else seconds to wait.

    The window's counter already exists for all but the first request of a minute, so it
    is incremented first and created only when missing (one cache operation, not two).
    """
    window = int(time.time() // WINDOW_SECONDS)
    bucket = f"{key}:{window}"
    try:
        count = cache.incr(bucket)
    except ValueError:  # the window's first request (or its counter expired)
        count = 1 if cache.add(bucket, 1, WINDOW_SECONDS * 2) else cache.incr(bucket)
    if count <= settings.API_REQUESTS_PER_MINUTE:
        return None
    return max(1, (window + 1) * WINDOW_SECONDS - int(time.time()))


class PerTokenThrottle(BaseThrottle):
    """ninja's throttle hook over `seconds_until_allowed` (runs after authentication).

    ninja asks `wait()` right after a refused `allow_request()` on the same shared
    instance, so the answer is kept per thread.
    """

    def __init__(self) -> None:
        self._last = threading.local()

    def allow_request(self, request: HttpRequest) -> bool:
        key = throttle_key(getattr(request, "auth", None))
        self._last.wait = seconds_until_allowed(key) if key else None
        return self._last.wait is None

    def wait(self) -> float | None:
        wait = getattr(self._last, "wait", None)
        return float(wait) if wait else None
