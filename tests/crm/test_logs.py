"""One log format for gunicorn, Django and Celery; JSON on request; quiet health checks."""

import io
import json
import logging
import sys
from datetime import timedelta
from types import SimpleNamespace
from typing import Any

import pytest
from django.conf import settings
from django.test import Client
from gunicorn.config import Config

from crm.logs import PLAIN_FORMAT, GunicornLogger, JsonFormatter


def _environ(path: str, **extra: str) -> dict[str, str]:
    return {
        "REQUEST_METHOD": "GET",
        "RAW_URI": path,
        "PATH_INFO": path,
        "QUERY_STRING": "",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "REMOTE_ADDR": "172.18.0.5",  # the reverse proxy's container
        "HTTP_USER_AGENT": "curl/8",
        **extra,
    }


def _access_lines(path: str, *, level: str = "info", **extra: str) -> list[str]:
    config = Config()
    config.set("accesslog", "-")
    config.set("loglevel", level)
    logging.getLogger("gunicorn.access").handlers.clear()  # left by earlier tests' loggers
    logger = GunicornLogger(config)
    stream = io.StringIO()
    for handler in logger.access_log.handlers:
        handler.setStream(stream)
    logger.access_log.setLevel(getattr(logging, level.upper()))
    response = SimpleNamespace(status="200 OK", sent=512, headers=[])
    logger.access(response, SimpleNamespace(headers=[]), _environ(path, **extra), timedelta(0))
    return stream.getvalue().splitlines()


def test_the_access_log_names_the_client_the_trusted_proxy_saw(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("USE_X_FORWARDED_FOR", "true")
    forwarded = {"HTTP_X_FORWARDED_FOR": "10.9.9.9, 198.51.100.23"}  # spoofed, then real
    [line] = _access_lines("/contacts/", **forwarded)
    assert " INFO gunicorn.access: 198.51.100.23 " in line
    assert '"GET /contacts/ HTTP/1.1" 200 512 0ms "curl/8"' in line


def test_without_a_trusted_proxy_the_access_log_keeps_the_socket_address(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("USE_X_FORWARDED_FOR", raising=False)
    [line] = _access_lines("/contacts/", HTTP_X_FORWARDED_FOR="10.9.9.9")
    assert "gunicorn.access: 172.18.0.5 " in line


def test_json_access_lines_carry_the_request_fields(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LOG_FORMAT", "json")
    monkeypatch.setenv("USE_X_FORWARDED_FOR", "true")
    [line] = _access_lines("/contacts/", HTTP_X_FORWARDED_FOR="198.51.100.23")
    record = json.loads(line)
    assert record["level"] == "INFO" and record["logger"] == "gunicorn.access"
    assert record["client"] == "198.51.100.23"
    assert (record["method"], record["path"], record["status"]) == ("GET", "/contacts/", "200")
    assert record["time"].endswith("+00:00")


def test_health_checks_are_not_logged_at_info() -> None:
    assert _access_lines("/healthz") == []
    [line] = _access_lines("/healthz", level="debug")
    assert " DEBUG gunicorn.access: " in line


@pytest.mark.django_db
def test_a_wrong_host_is_one_warning_line_without_a_traceback(
    client: Client, console: io.StringIO
) -> None:
    response = client.get("/", HTTP_HOST="attacker.example")
    assert response.status_code == 400
    lines = console.getvalue().splitlines()
    assert len(lines) == 1, lines
    assert " WARNING django.security.DisallowedHost: Invalid HTTP_HOST header" in lines[0]
    assert "Traceback" not in console.getvalue()


def test_django_and_celery_log_through_the_one_format() -> None:
    config: dict[str, Any] = settings.LOGGING
    assert config["handlers"]["console"]["formatter"] == "rapport"
    assert config["formatters"]["rapport"] == {"()": "crm.logs.formatter"}
    # Celery would otherwise replace the root handler with its own format.
    assert settings.CELERY_WORKER_HIJACK_ROOT_LOGGER is False
    plain = logging.Formatter(PLAIN_FORMAT)
    record = logging.LogRecord("celery.beat", logging.INFO, __file__, 1, "beat: Starting", (), None)
    assert plain.format(record).endswith(" INFO celery.beat: beat: Starting")


def test_json_lines_keep_the_traceback_in_one_field() -> None:
    try:
        raise ValueError("boom")
    except ValueError:
        record = logging.LogRecord(
            "django.request",
            logging.ERROR,
            __file__,
            1,
            "Internal Server Error: %s",
            ("/x",),
            sys.exc_info(),
        )
    line = JsonFormatter().format(record)
    assert "\n" not in line
    document = json.loads(line)
    assert document["message"] == "Internal Server Error: /x"
    assert "ValueError: boom" in document["exception"]
