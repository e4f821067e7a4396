"""One log format for gunicorn, Django and Celery: plain lines, or JSON (LOG_FORMAT=json).

Every process logs to standard output through the same formatter (settings.LOGGING for
Django and Celery, `GunicornLogger` for gunicorn's own and access logs), so `docker
compose logs` reads as one stream and a log collector parses one shape:

    2026-12-05 06:00:00,123 INFO gunicorn.access: 192.0.2.10 "GET /contacts/ HTTP/1.1" 200 ...
    {"time": "2026-12-05T06:00:00.123+00:00", "level": "INFO", "logger": "gunicorn.access", ...}

Gunicorn loads this module before Django, so it reads the environment itself.
"""

import json
import logging
import os
from datetime import UTC, datetime
from typing import Any

from crm.logredact import RedactingGunicornLogger, RedactSecretsFilter

PLAIN_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"
# Request fields the access log attaches to its records (JSON shows them as keys).
ACCESS_FIELDS = ("client", "method", "path", "status", "bytes", "duration_ms", "user_agent")
# Requests a container's health check or a proxy makes every few seconds: DEBUG, not INFO.
QUIET_PATHS = frozenset({"/healthz"})
TRUE_VALUES = {"1", "true", "yes", "on"}


def log_format() -> str:
    value = os.environ.get("LOG_FORMAT", "plain").strip().lower() or "plain"
    return value if value in {"plain", "json"} else "plain"


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time (UTC, ISO 8601), level, logger, message, extras."""

    def format(self, record: logging.LogRecord) -> str:
        document: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        for field in ACCESS_FIELDS:
            if hasattr(record, field):
                document[field] = getattr(record, field)
        if record.exc_info:
            document["exception"] = self.formatException(record.exc_info)
        return json.dumps(document, ensure_ascii=False, default=str)


def formatter() -> logging.Formatter:
    return JsonFormatter() if log_format() == "json" else logging.Formatter(PLAIN_FORMAT)


class OneLineWarning(logging.Filter):
    """A client's mistake, not ours: one WARNING line, no traceback.

    Django logs a request with a Host header outside ALLOWED_HOSTS (scanners send
    them all day) at ERROR with the whole traceback of DisallowedHost.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        record.levelno, record.levelname = logging.WARNING, "WARNING"
        record.exc_info = record.exc_text = None
        return True


def client_address(environ: dict[str, Any]) -> str:
    """As crm.ratelimit.client_address: behind our proxy, the address it appended last."""
    if os.environ.get("USE_X_FORWARDED_FOR", "").strip().lower() in TRUE_VALUES:
        forwarded = [part.strip() for part in environ.get("HTTP_X_FORWARDED_FOR", "").split(",")]
        forwarded = [part for part in forwarded if part]
        if forwarded:
            return forwarded[-1]
    return str(environ.get("REMOTE_ADDR") or "-")


class GunicornLogger(RedactingGunicornLogger):
    """Gunicorn's logs in Rapport's format, with the real client address."""

    def setup(self, cfg: Any) -> None:
        super().setup(cfg)
        for log in (self.error_log, self.access_log):
            for handler in log.handlers:
                handler.setFormatter(formatter())
                handler.addFilter(RedactSecretsFilter())

    def access(self, resp: Any, req: Any, environ: Any, request_time: Any) -> None:
        if not self.access_log_enabled:
            return
        atoms = self.atoms(resp, req, environ, request_time)  # secret URL parts redacted
        level = logging.DEBUG if atoms.get("U") in QUIET_PATHS else logging.INFO
        if not self.access_log.isEnabledFor(level):
            return
        fields = {
            "client": client_address(environ),
            "method": atoms.get("m", "-"),
            "path": atoms.get("U", "-"),
            "status": atoms.get("s", "-"),
            "bytes": atoms.get("B") or 0,
            "duration_ms": round(request_time.total_seconds() * 1000),
            "user_agent": atoms.get("a", "-"),
        }
        self.access_log.log(
            level,
            '%s "%s" %s %s %sms "%s"',
            fields["client"],
            atoms.get("r", "-"),
            fields["status"],
            fields["bytes"],
            fields["duration_ms"],
            fields["user_agent"],
            extra=fields,
        )
