"""The API object: `/api/v1/…` operations, the OpenAPI schema and its docs at `/api/docs`."""

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from ninja import NinjaAPI
from ninja.openapi.docs import DocsBase

from api import contacts, errors, interactions, notes, reminders
from api.auth import PerTokenThrottle, SessionAuth, TokenAuth
from api.read_cache import remember_read


class LocalSwagger(DocsBase):
    """Swagger UI from ninja's own static files, under the strict CSP: no inline script,
    no CDN; the settings travel in data attributes read by static/js/api-docs.js."""

    def render_page(self, request: HttpRequest, api: NinjaAPI, **kwargs: object) -> HttpResponse:
        return render(
            request,
            "api/docs.html",
            {"api": api, "openapi_url": self.get_openapi_url(api, dict(kwargs))},
        )


class RapportAPI(NinjaAPI):
    def create_response(
        self,
        request: HttpRequest,
        data: Any,
        *,
        status: int | None = None,
        temporal_response: HttpResponse | None = None,
    ) -> HttpResponse:
        """Every answer is someone's private data: never kept by a cache on the way."""
        response = super().create_response(
            request, data, status=status, temporal_response=temporal_response
        )
        response["Cache-Control"] = "private, no-store"
        remember_read(request, response)
        return response


api = RapportAPI(
    title="Rapport API",
    version="1",
    description=(
        "Your contacts, interactions, reminders and notes. Authenticate with a personal "
        "access token (Settings → Access tokens): `Authorization: Bearer <token>`."
    ),
    urls_namespace="api",
    auth=[TokenAuth(), SessionAuth()],
    throttle=[PerTokenThrottle()],
    docs=LocalSwagger(),
    docs_url="/docs",
    openapi_url="/openapi.json",
)
errors.install(api)
api.add_router("/v1/", contacts.router)
api.add_router("/v1/", interactions.router)
api.add_router("/v1/", reminders.router)
api.add_router("/v1/", notes.router)
