"""Every API operation, read from the OpenAPI schema, fed junk by its own owner: never a 5xx.

The web's robustness sweep (tests/test_robustness_sweep.py) posts form data; this one
sends what API clients send: JSON bodies whose fields have the right type but absurd
values (NUL bytes, 5,000 characters, years 1 and 9999, ids past 2^63), the wrong type,
and junk query strings. A new operation is covered the moment it is routed.
"""

import functools
import re
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.core.signals import got_request_exception
from django.test import override_settings

from api.main import api as ninja_api
from tests.api.conftest import ApiClient
from tests.ownership.cases_api import CASES

OK_TYPES: dict[str, list[Any]] = {
    "string": ["\x00", "x" * 5000, "²", "<script>alert(1)</script>", " "],
    "integer": [2**62, -(2**62), 0, 10**30],
    "date": ["0001-01-01", "9999-12-31", "2026-02-29"],
    "time": ["23:59:59", "00:00"],
    "boolean": [True, False],
}
WRONG: list[Any] = [None, [], {}, "²", 1.5, [None], {"a": {"b": []}}, "2026-13-45"]
PATH_ARG = re.compile(r"\{(\w+)\}")


@functools.cache
def _schema() -> dict[str, Any]:
    return ninja_api.get_openapi_schema()


def _kind(prop: dict[str, Any]) -> str:
    for option in prop.get("anyOf", [prop]):
        if option.get("type") == "array":
            return "array:" + _kind(option.get("items", {}))
        if option.get("format") in {"date", "time"}:
            return option["format"]
        if option.get("type") in OK_TYPES:
            return option["type"]
    return "string"


def _junk_bodies(properties: dict[str, Any]) -> list[dict[str, Any]]:
    bodies: list[dict[str, Any]] = []
    for round_ in range(5):
        body: dict[str, Any] = {}
        for name, prop in properties.items():
            kind = _kind(prop)
            base = kind.removeprefix("array:")
            values = OK_TYPES.get(base, OK_TYPES["string"])
            value = values[round_ % len(values)]
            body[name] = [value, value] if kind.startswith("array:") else value
        bodies.append(body)
    for wrong in WRONG:
        bodies.append(dict.fromkeys(properties, wrong))
    return bodies


def _operations() -> list[tuple[str, str]]:
    return [
        (method, path)
        for path, methods in _schema()["paths"].items()
        for method in methods
        if method in {"get", "post", "patch", "delete"}
    ]


def _url_for(path: str, user: User) -> str:
    args = PATH_ARG.findall(path)
    if not args:
        return path
    name = {"contact_id": "api:contact", "interaction_id": "api:interaction",
            "reminder_id": "api:reminder", "note_id": "api:note"}[args[0]]  # fmt: skip
    kwargs = CASES[name].make(user)[0]
    return PATH_ARG.sub(lambda m: str(kwargs[m.group(1)]), path)


@pytest.mark.parametrize(("method", "path"), _operations())
@pytest.mark.django_db
@override_settings(API_REQUESTS_PER_MINUTE=1_000_000)
def test_no_operation_answers_junk_with_a_server_error(
    method: str, path: str, api: ApiClient, user: User
) -> None:
    failures: list[str] = []

    def record(sender: Any, request: Any = None, **kwargs: Any) -> None:
        failures.append(f"{request.method} {request.get_full_path()[:120]}")

    operation = _schema()["paths"][path][method]
    got_request_exception.connect(record)
    api.client.raise_request_exception = False
    try:
        url = _url_for(path, user)
        for param in operation.get("parameters", []):
            if param["in"] == "query":
                for junk in ("\x00", "x" * 5000, "9" * 30, "²"):
                    response = api.client.generic(
                        "GET" if method == "get" else method.upper(),
                        url,
                        headers=api.headers,
                        QUERY_STRING=f"{param['name']}={junk}",
                    )
                    if response.status_code >= 500:
                        failures.append(f"{param['name']}={junk[:10]!r}")
        body = operation.get("requestBody")
        if body:
            ref = body["content"]["application/json"]["schema"]["$ref"].split("/")[-1]
            properties = _schema()["components"]["schemas"][ref].get("properties", {})
            for junk_body in _junk_bodies(properties):
                response = getattr(api, method)(url, junk_body)
                if response.status_code >= 500:
                    failures.append(f"{method} {str(junk_body)[:120]}")
    finally:
        got_request_exception.disconnect(record)
    assert not failures, failures
