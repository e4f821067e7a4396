"""Keep secrets that travel in URLs out of the logs.

Secrets that are part of a URL: the private calendar feed's token (calendar apps
cannot send anything else), a password-reset or email-confirmation link's key, and the
authorization code single sign-on sends back. Gunicorn's
access log and Django's "Not Found" warnings would otherwise write them to
standard output, and from there to whatever collects the logs.
"""

import logging
import re
from collections.abc import Callable
from typing import Any

from gunicorn.glogging import Logger

REDACTED = "[redacted]"
SECRET_PATHS: tuple[tuple[re.Pattern[str], str | Callable[[re.Match[str]], str]], ...] = (
    # /reminders/calendar/<token>.ics
    (re.compile(r"(/calendar/)[^/?#\s]+(\.ics)"), rf"\g<1>{REDACTED}\g<2>"),
    # /accounts/password/reset/key/<uidb36>-<key>/ (allauth; not the "-set-password" step)
    (
        re.compile(r"(/password/reset/[^/?#\s]+/)(?![^/?#\s]*set-password(?:[/?#\s]|$))[^/?#\s]+"),
        rf"\g<1>{REDACTED}",
    ),
    # /accounts/confirm-email/<key>/ (the link that proves an email address)
    (re.compile(r"(/confirm-email/)[^/?#\s]+"), rf"\g<1>{REDACTED}"),
    # /accounts/oidc/<provider>/login/callback/?code=…&state=… (single sign-on's answer)
    (
        re.compile(r"/login/callback/\?[^\s#]*"),
        lambda found: re.sub(r"\b(code|state)=[^&]*", rf"\g<1>={REDACTED}", found.group(0)),
    ),
)
# Gunicorn's log atoms that can hold a URL: request line, path, query, referrer.
URL_ATOMS = ("r", "U", "q", "f")


def redact(text: str) -> str:
    for pattern, replacement in SECRET_PATHS:
        text = pattern.sub(replacement, text)
    return text


class RedactingGunicornLogger(Logger):
    """Gunicorn's logger, with secret URL parts blanked in the access log."""

    def atoms(self, resp: Any, req: Any, environ: Any, request_time: Any) -> dict[str, Any]:
        atoms = super().atoms(resp, req, environ, request_time)
        for key in URL_ATOMS:
            if isinstance(atoms.get(key), str):
                atoms[key] = redact(atoms[key])
        return atoms


class RedactSecretsFilter(logging.Filter):
    """For Django's loggers: "Not Found: /reminders/calendar/<token>.ics" and the like."""

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.msg, str):
            record.msg = redact(record.msg)
        if isinstance(record.args, tuple):
            record.args = tuple(redact(a) if isinstance(a, str) else a for a in record.args)
        return True
