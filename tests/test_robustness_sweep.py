"""Every URL pattern, fed junk by its own logged-in owner: never a 5xx.

Reuses the enumeration of tests/test_ownership_sweep.py and the per-URL object
factories of tests/ownership/cases_*.py, but the objects belong to the user who
sends the junk, so the views get past their 404s and into their forms. Each
pattern gets GET requests with junk query strings and POST requests with junk
form data (impossible and malformed dates, huge and negative numbers, very
long strings, NUL bytes, another user's ids, missing fields, unknown choices,
lists where one value is expected), with and without the HX-Request header.
"""

import importlib
import pkgutil
from collections.abc import Iterator
from typing import Any

import pytest
from allauth.account.forms import default_token_generator
from allauth.account.models import EmailAddress, EmailConfirmationHMAC
from allauth.account.utils import user_pk_to_url_str
from django import forms
from django.apps import apps
from django.contrib.auth.models import User
from django.core.signals import got_request_exception
from django.test import Client
from django.urls import reverse

from crm.models import UserSettings
from crm.ownership import OwnedQuerySet
from reminders.services import calendar_token_rotate
from tests.factories import (
    ContactFactory,
    ImportJobFactory,
    NoteDraftFactory,
    PositionFactory,
    ReminderFactory,
    UserFactory,
)
from tests.test_ownership_sweep import ALL_PATTERNS, CASES

STRANGER_NAME = "Xenakis-Stranger"
# Views whose job is to end the session: junk there would log the client out mid-sweep.
SESSION_ENDING = {"account_logout"}
# Request keys the views read straight from request.GET/POST (besides their forms' fields).
RAW_KEYS = {
    "page", "q", "introducer_q", "introduced_by", "exclude", "version", "week", "username",
    "action", "reminder", "contact", "until", "trust_level", "trust", "reset", "other", "next",
    "how_we_met", "for", "days", "show", "partial", "format", "all", "after", "sort", "tag",
    "source", "kind", "pk", "other_pk", "token",
}  # fmt: skip


def _form_classes() -> Iterator[type[forms.BaseForm]]:
    for app in ("contacts", "crm", "reminders", "api", "carddav"):
        package = importlib.import_module(app)
        for info in pkgutil.walk_packages(package.__path__, f"{app}."):
            if ".migrations" not in info.name and ".management" not in info.name:
                importlib.import_module(info.name)
    pending: list[type[forms.BaseForm]] = [forms.BaseForm]
    while pending:
        for sub in pending.pop().__subclasses__():
            pending.append(sub)
            if sub.__module__.split(".")[0] in {"contacts", "crm", "reminders", "carddav"}:
                yield sub


def _field_names() -> list[str]:
    names = set(RAW_KEYS)
    for form_class in _form_classes():
        names |= set(form_class.base_fields)  # type: ignore[attr-defined]  # Form or ModelForm
    names.discard("file")  # uploads are swept separately in tests/*/test_*upload*
    return sorted(names)


FIELDS = _field_names()


def _junk(foreign: dict[str, int]) -> list[tuple[str, dict[str, Any]]]:
    """(label, data) pairs: every field set to the same kind of junk."""
    other_id = str(foreign["contact"])

    def each(value: Any) -> dict[str, Any]:
        return {name: value for name in FIELDS}

    return [
        ("missing fields", {}),
        ("impossible date", each("2026-02-31")),
        ("letters", each("abc")),
        ("huge number", each("9" * 30)),
        ("negative number", each("-5")),
        ("very long string", each("x" * 20_000)),
        ("NUL byte", each("a\x00b")),
        ("another user's id", {**each(other_id), "reminder": str(foreign["reminder"])}),
        ("unknown choice", each("__nope__")),
        ("unicode digits", each("²")),
        ("zero", each("0")),
        ("earliest date", each("0001-01-01")),
        ("latest date", each("9999-12-31")),
        ("lists", {name: ["1", "2", "abc"] for name in FIELDS}),
        ("search pressed", {**each("a\x00b ²"), "search": "", "find_introducer": "", "picker": ""}),
        ("mixed", {**each("2026-13-01"), "action": "merge", "page": "-1", "days": "0"}),
    ]


GET_LABELS = {
    "impossible date", "letters", "huge number", "NUL byte", "lists", "negative number",
    "unicode digits", "search pressed", "earliest date", "latest date",
}  # fmt: skip


def _public_kwargs(name: str, user: User) -> dict[str, Any]:
    """The public patterns that take a token: the user's own, valid token."""
    if name == "reminders:calendar_feed":
        return {"token": calendar_token_rotate(owner=user)}
    if name == "carddav:card":
        return {"name": "card.vcf"}
    if name == "account_reset_password_from_key":
        return {"uidb36": user_pk_to_url_str(user), "key": default_token_generator.make_token(user)}
    if name == "account_confirm_email":
        address = EmailAddress.objects.get_or_create(user=user, email=user.email)[0]
        return {"key": EmailConfirmationHMAC(address).key}
    if name.startswith("openid_connect_"):
        return {"provider_id": "unknown-provider"}
    return {}


def _foreign_ids() -> dict[str, int]:
    """Another user's rows, whose ids the junk points at."""
    stranger = UserFactory(username="stranger")
    contact = ContactFactory(owner=stranger, first_name="Zebulon", last_name=STRANGER_NAME)
    return {
        "stranger": stranger.pk,
        "contact": contact.pk,
        "position": PositionFactory(contact=contact).pk,
        "reminder": ReminderFactory(contact=contact).pk,
        "draft": NoteDraftFactory(contact=contact).pk,
        "job": ImportJobFactory(owner=stranger, payload=b"First Name\nA\n", total_rows=1).pk,
    }


@pytest.fixture
def errors() -> Iterator[list[str]]:
    """The exceptions the views raised, with their tracebacks, for a readable failure."""
    import traceback

    seen: list[str] = []

    def record(sender: Any, request: Any = None, **kwargs: Any) -> None:
        seen.append(f"{request.method} {request.get_full_path()[:200]}\n{traceback.format_exc()}")

    got_request_exception.connect(record)
    yield seen
    got_request_exception.disconnect(record)


def _requests(
    junk: list[tuple[str, dict[str, Any]]], method: str
) -> Iterator[tuple[str, str, dict[str, Any], dict[str, str]]]:
    for label, data in junk:
        if method == "get" and label not in GET_LABELS and label != "missing fields":
            continue
        for headers in ({}, {"HX-Request": "true"}):
            yield method, label, data, headers


def _send(
    client: Client,
    method: str,
    url: str,
    label: str,
    data: dict[str, Any],
    headers: dict[str, str],
    failures: list[str],
) -> None:
    response = getattr(client, method)(url, data, headers=headers)
    hx = " (htmx)" if headers else ""
    if response.status_code >= 500:
        failures.append(f"{method.upper()}{hx} {label}: {response.status_code}")
    body = b"".join(response.streaming_content) if response.streaming else response.content
    if STRANGER_NAME.encode() in body:
        failures.append(f"{method.upper()}{hx} {label}: shows another user's contact")


def _rows_of(owner_id: int) -> dict[str, list[tuple[Any, ...]]]:
    """Every row one user owns, through the models' owner-scoped querysets."""
    owner = User.objects.get(pk=owner_id)
    rows = {}
    for app in ("contacts", "reminders", "crm", "api", "carddav"):
        for model in apps.get_app_config(app).get_models():
            queryset = model._default_manager.all()
            if isinstance(queryset, OwnedQuerySet):
                values = queryset.owned_by(owner).order_by().values_list()
                rows[model._meta.label] = sorted(values, key=lambda row: str(row))
    return rows


def _data_snapshot() -> dict[str, list[tuple[Any, ...]]]:
    """Every row of the project's own tables (the session and cache tables aside)."""
    return {
        model._meta.label: sorted(
            model._default_manager.order_by().values_list(), key=lambda row: str(row)
        )
        for app in ("contacts", "reminders", "crm", "api", "carddav")
        for model in apps.get_app_config(app).get_models()
    }


@pytest.mark.parametrize("name", [n for n, _ in ALL_PATTERNS if n not in SESSION_ENDING])
@pytest.mark.django_db
def test_it_never_answers_junk_with_a_server_error(
    name: str, user: User, errors: list[str]
) -> None:
    foreign = _foreign_ids()
    client = Client(raise_request_exception=False)
    client.force_login(user)
    kwargs = CASES[name].make(user)[0] if name in CASES else _public_kwargs(name, user)
    url = reverse(name, kwargs=kwargs)
    failures: list[str] = []
    junk = _junk(foreign)
    strangers_rows = _rows_of(foreign["stranger"])
    # GETs first, all of them: reading a page (with any query string) must change nothing.
    UserSettings.for_user(user)  # made on first use, by any page
    before = _data_snapshot()
    for method, label, data, headers in _requests(junk, "get"):
        _send(client, method, url, label, data, headers, failures)
    after = _data_snapshot()
    changed = sorted(table for table in before if before[table] != after[table])
    if changed:
        failures.append(f"GET changed stored data: {changed}")
    for method, label, data, headers in _requests(junk, "post"):
        _send(client, method, url, label, data, headers, failures)
        client.force_login(user)  # a view that logs out (password change) must not end the sweep
    if _rows_of(foreign["stranger"]) != strangers_rows:
        failures.append("another user's rows changed")
    assert not failures, f"{url}: {failures}\n" + "\n".join(errors[:2])


@pytest.mark.parametrize("token", ["a\x00b", "x" * 5000, "²", "a b"])
@pytest.mark.django_db
def test_it_answers_a_junk_calendar_token_with_404(token: str, client: Client) -> None:
    response = client.get(reverse("reminders:calendar_feed", kwargs={"token": token}))
    assert response.status_code == 404


@pytest.mark.parametrize("name", [n for n, _ in ALL_PATTERNS])
@pytest.mark.django_db
def test_it_refuses_a_post_without_a_csrf_token(name: str, user: User) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    kwargs = CASES[name].make(user)[0] if name in CASES else _public_kwargs(name, user)
    response = client.post(reverse(name, kwargs=kwargs), {}, headers={"HX-Request": "true"})
    # 405: the view takes no POST at all.
    assert response.status_code in (403, 405), response.status_code
