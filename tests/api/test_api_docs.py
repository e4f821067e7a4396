"""/api/docs and /api/openapi.json: the schema, browsable with assets Rapport serves itself,
under the same strict Content Security Policy as every page."""

import re

import pytest
from django.conf import settings
from django.contrib.staticfiles import finders
from django.test import Client

from tests.test_csp import InlineCodeFinder, _check_policy

pytestmark = pytest.mark.django_db


def test_the_docs_page_loads_only_local_assets_under_the_strict_csp(client: Client) -> None:
    response = client.get("/api/docs")
    assert response.status_code == 200
    _check_policy(response["Content-Security-Policy"])
    html = response.content.decode()
    finder = InlineCodeFinder()
    finder.feed(html)
    assert not finder.problems
    assets = re.findall(r'(?:src|href)="([^"]+\.(?:js|css))"', html)
    assert len(assets) == 4, assets
    for asset in assets:
        assert asset.startswith(settings.STATIC_URL), asset  # never a CDN
        assert finders.find(asset.removeprefix(settings.STATIC_URL)), asset
    assert 'data-openapi-url="/api/openapi.json"' in html
    assert "<h1>" in html and 'lang="en"' in html


def test_the_schema_lists_every_area_and_the_bearer_scheme(client: Client) -> None:
    schema = client.get("/api/openapi.json").json()
    paths = set(schema["paths"])
    for path in (
        "/api/v1/contacts",
        "/api/v1/contacts/{contact_id}",
        "/api/v1/interactions",
        "/api/v1/reminders/this-week",
        "/api/v1/reminders/{reminder_id}/snooze",
        "/api/v1/notes",
        "/api/v1/tags",
        "/api/v1/search",
    ):
        assert path in paths
    schemes = schema["components"]["securitySchemes"]
    assert any(s.get("scheme") == "bearer" for s in schemes.values())
