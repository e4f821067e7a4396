"""Every URL pattern: anonymous visitors are sent to log in, and another user's
object ids answer 404 (pages, htmx partials and POSTs) with the object left unchanged.
Ids in query strings and form bodies: tests/test_ownership_params.py.

Adding a URL pattern without an entry in tests/ownership/ makes this fail.
"""

import importlib
import pkgutil
from collections.abc import Iterator

import pytest
from django.conf import settings
from django.contrib.auth.models import User
from django.shortcuts import resolve_url
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

import tests.ownership as registry
from tests.factories import UserFactory

SKIPPED_NAMESPACES = {"admin"}
# The REST API answers anonymous callers 401 (with WWW-Authenticate), not a log-in redirect.
API_NAMESPACE = "api:"


def _patterns(resolver: URLResolver, prefix: str = "") -> Iterator[tuple[str, URLPattern]]:
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            if entry.namespace in SKIPPED_NAMESPACES:
                continue
            namespace = f"{prefix}{entry.namespace}:" if entry.namespace else prefix
            yield from _patterns(entry, namespace)
        else:
            yield f"{prefix}{entry.name}" if entry.name else "", entry


def _load_registry() -> tuple[dict[str, registry.OwnedUrl], set[str]]:
    cases: dict[str, registry.OwnedUrl] = {}
    public: set[str] = set()
    for module_info in pkgutil.iter_modules(registry.__path__):
        if not module_info.name.startswith("cases_"):
            continue
        module = importlib.import_module(f"tests.ownership.{module_info.name}")
        for name in getattr(module, "CASES", {}):
            assert name not in cases, f"{name} is registered twice"
        cases.update(getattr(module, "CASES", {}))
        public |= set(getattr(module, "PUBLIC", set()))
    return cases, public


def _takes_arguments(name: str) -> bool:
    """Whether reversing `name` needs arguments: its own converters, a regex's groups, or
    those of the includes around it (allauth nests `keys/<int:pk>/` around `edit/`)."""
    resolver = get_resolver()
    namespace, _, short = name.rpartition(":")
    for part in filter(None, namespace.split(":")):
        resolver = resolver.namespace_dict[part][1]
    return any(
        params
        for possibilities, *_ in resolver.reverse_dict.getlist(short)
        for _, params in possibilities
    )


ALL_PATTERNS = sorted(dict(_patterns(get_resolver())).items())
TAKES_ARGUMENTS = {name for name, _ in ALL_PATTERNS if name and _takes_arguments(name)}
CASES, PUBLIC = _load_registry()


def test_every_url_pattern_is_named_and_accounted_for() -> None:
    unnamed = [str(p.pattern) for name, p in ALL_PATTERNS if not name]
    assert not unnamed, f"URL patterns without a name: {unnamed}"
    missing = [
        name
        for name, p in ALL_PATTERNS
        if name in TAKES_ARGUMENTS and name not in CASES and name not in PUBLIC
    ]
    assert not missing, f"Add these to tests/ownership/cases_*.py: {missing}"
    stale = (set(CASES) | PUBLIC) - {name for name, _ in ALL_PATTERNS}
    assert not stale, f"Registered but no longer in urls: {stale}"


@pytest.mark.parametrize("name", [n for n, _ in ALL_PATTERNS if n not in PUBLIC])
@pytest.mark.django_db
def test_anonymous_visitors_are_sent_to_log_in(name: str, client: Client) -> None:
    victim = UserFactory(username="victim")
    kwargs = CASES[name].make(victim)[0] if name in CASES else {}
    url = reverse(name, kwargs=kwargs)
    for method in ("get", "post"):
        response = getattr(client, method)(url)
        if name.startswith(API_NAMESPACE):
            # 405: the operation takes no such method, whoever asks.
            assert response.status_code in (401, 405), f"{method.upper()} {url}"
            continue
        assert response.status_code == 302, f"{method.upper()} {url}: {response.status_code}"
        assert response["Location"].startswith(resolve_url(settings.LOGIN_URL))


@pytest.mark.parametrize("name", sorted(CASES))
@pytest.mark.django_db
def test_another_users_object_is_404_and_unchanged(name: str, other_user: User) -> None:
    victim = UserFactory(username="victim")
    kwargs, snapshot = CASES[name].make(victim)
    before = snapshot()
    client = Client()
    registry.log_in_freshly(client, other_user)
    url = reverse(name, kwargs=kwargs)
    for method in CASES[name].methods:
        # GET as a page and as an htmx partial (many views answer those differently);
        # POST as htmx sends it.
        for htmx in (False, True) if method == "get" else (True,):
            extra: dict = {"HTTP_HX_REQUEST": "true"} if htmx else {}
            if name.startswith(API_NAMESPACE) and method != "get":
                # A well-formed (empty) JSON body, so the id is what gets checked.
                extra.update(data="{}", content_type="application/json")
            response = getattr(client, method)(url, **extra)
            shown = f"{method.upper()}{' (htmx)' if htmx else ''} {url}"
            assert response.status_code == 404, f"{shown}: {response.status_code}"
    assert snapshot() == before
