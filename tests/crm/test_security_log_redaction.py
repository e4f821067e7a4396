"""Calendar-feed, password-reset, email-confirmation and single sign-on secrets are parts of
URLs; no log shows them."""

import io
import logging
from datetime import timedelta
from types import SimpleNamespace

import pytest
from django.test import Client
from gunicorn.config import Config

from crm.logredact import RedactingGunicornLogger, RedactSecretsFilter, redact
from crm.logs import GunicornLogger

TOKEN = "Zm9vYmFyYmF6cXV4LXNlY3JldC10b2tlbi0xMjM0NTY3"


@pytest.mark.parametrize(
    ("logged", "shown"),
    [
        (f"/reminders/calendar/{TOKEN}.ics", "/reminders/calendar/[redacted].ics"),
        (
            f"GET /reminders/calendar/{TOKEN}.ics?x=1 HTTP/1.1",
            "GET /reminders/calendar/[redacted].ics?x=1 HTTP/1.1",
        ),
        (f"/accounts/password/reset/MQ/{TOKEN}/", "/accounts/password/reset/MQ/[redacted]/"),
        ("/accounts/password/reset/MQ/set-password/", "/accounts/password/reset/MQ/set-password/"),
        ("/accounts/password/reset/sent/", "/accounts/password/reset/sent/"),
        (f"/accounts/password/reset/key/1-{TOKEN}/", "/accounts/password/reset/key/[redacted]/"),
        (
            "/accounts/password/reset/key/1-set-password/",
            "/accounts/password/reset/key/1-set-password/",
        ),
        (f"/accounts/confirm-email/MQ:1v:{TOKEN}/", "/accounts/confirm-email/[redacted]/"),
        (
            f"GET /accounts/oidc/authelia/login/callback/?code={TOKEN}&state=St4te&iss=x HTTP/1.1",
            "GET /accounts/oidc/authelia/login/callback/?code=[redacted]&state=[redacted]&iss=x"
            " HTTP/1.1",
        ),
        ("/contacts/12/", "/contacts/12/"),
    ],
)
def test_redact(logged: str, shown: str) -> None:
    assert redact(logged) == shown


def test_the_gunicorn_access_log_leaves_the_token_out() -> None:
    config = Config()
    config.set("accesslog", "-")  # as docker/entrypoint.sh starts it
    logger = GunicornLogger(config)
    stream = io.StringIO()
    logger.access_log.handlers = [logging.StreamHandler(stream)]
    path = f"/reminders/calendar/{TOKEN}.ics"
    environ = {
        "REQUEST_METHOD": "GET",
        "RAW_URI": path,
        "PATH_INFO": path,
        "QUERY_STRING": "",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "REMOTE_ADDR": "203.0.113.9",
        "HTTP_REFERER": f"https://rapport.example.com/accounts/password/reset/MQ/{TOKEN}/",
    }
    response = SimpleNamespace(status="200 OK", sent=10, headers=[])
    logger.access(response, SimpleNamespace(headers=[]), environ, timedelta(seconds=0))
    line = stream.getvalue()
    assert "/reminders/calendar/[redacted].ics" in line
    assert TOKEN not in line


@pytest.mark.django_db
def test_django_not_found_warnings_leave_the_token_out(
    client: Client, console: io.StringIO
) -> None:
    response = client.get(f"/reminders/calendar/{TOKEN}.ics")
    assert response.status_code == 404
    assert "Not Found: /reminders/calendar/[redacted].ics" in console.getvalue()
    assert TOKEN not in console.getvalue()


def test_the_container_starts_gunicorn_with_the_redacting_logger() -> None:
    from pathlib import Path

    from django.conf import settings
    from django.utils.module_loading import import_string

    script = (Path(settings.BASE_DIR) / "docker" / "entrypoint.sh").read_text()
    flag = "--logger-class crm.logs.GunicornLogger"
    assert flag in script
    assert issubclass(import_string(flag.split()[-1]), RedactingGunicornLogger)


@pytest.mark.parametrize("name", ["django.request", "django.security.DisallowedHost", "crm"])
def test_every_handler_a_request_log_reaches_redacts(name: str) -> None:
    logger: logging.Logger | None = logging.getLogger(name)
    handlers: list[logging.Handler] = []
    while logger is not None:
        # pytest's capture handlers are not Rapport's.
        handlers += [h for h in logger.handlers if not type(h).__module__.startswith("_pytest")]
        logger = logger.parent if logger.propagate else None
    assert handlers
    for handler in handlers:
        assert any(isinstance(f, RedactSecretsFilter) for f in handler.filters), handler
