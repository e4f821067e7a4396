"""HTTP Basic with app passwords only, throttled like log-in (crm/ratelimit.py)."""

import base64
import binascii
import math

from django.conf import settings
from django.contrib.auth.models import User
from django.http import HttpRequest, HttpResponse

from carddav.models import AppPassword
from crm.ratelimit import is_locked_out, record_failure

REALM = "Rapport address book"


def _credentials(request: HttpRequest) -> tuple[str, str] | None:
    header = request.META.get("HTTP_AUTHORIZATION", "")
    scheme, _, encoded = header.partition(" ")
    if scheme.lower() != "basic" or len(encoded) > 1000:
        return None
    try:
        decoded = base64.b64decode(encoded.strip(), validate=True).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError):
        return None
    username, sep, password = decoded.partition(":")
    return (username, password) if sep else None


def challenge(status: int = 401, message: str = "Sign in with an app password.") -> HttpResponse:
    response = HttpResponse(message, status=status, content_type="text/plain; charset=utf-8")
    response["WWW-Authenticate"] = f'Basic realm="{REALM}", charset="UTF-8"'
    return response


def authenticate(request: HttpRequest) -> User | HttpResponse:
    """The app password's owner, or the response to send (401, or 429 when throttled)."""
    credentials = _credentials(request)
    if credentials is None:
        return challenge()
    username, password = credentials
    if is_locked_out(request, username):
        minutes = math.ceil(settings.LOGIN_LOCKOUT_SECONDS / 60)
        response = HttpResponse(
            f"Too many failed sign-ins. Try again in {minutes} minutes.",
            status=429,
            content_type="text/plain; charset=utf-8",
        )
        response["Retry-After"] = str(settings.LOGIN_LOCKOUT_SECONDS)
        return response
    found = AppPassword.find(password)
    owner = found.owner if found is not None else None
    if owner is None or username.strip().casefold() not in {
        owner.get_username().casefold(),
        owner.email.casefold(),
    }:
        record_failure(None, {"username": username}, request=request)
        return challenge(
            message="Wrong user name or app password (the account password is not accepted here)."
        )
    found.mark_used()  # type: ignore[union-attr]  # owner is set, so found is too
    return owner
