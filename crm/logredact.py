"""Keep secrets that travel in URLs out of the logs.

Two secrets are part of a URL path: the private calendar feed's token (calendar
apps cannot send anything else) and a password-reset link's token. Gunicorn's
access log and Django's "Not Found" warnings would otherwise write them to
standard output, and from there to whatever collects the logs.
"""

import logging
import re
from typing import Any

from gunicorn.glogging import Logger

REDACTED = "[redacted]"
SECRET_PATHS = (
    # /reminders/calendar/<token>.ics
    (re.compile(r"(/calendar/)[^/?#\s]+(\.ics)"), rf"\g<1>{REDACTED}\g<2>"),
    # /accounts/password/reset/<uidb64>/<token>/ (not the token-free "set-password" step)
    (
        re.compile(r"(/password/reset/[^/?#\s]+/)(?!set-password(?:[/?#\s]|$))[^/?#\s]+"),
        rf"\g<1>{REDACTED}",
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
