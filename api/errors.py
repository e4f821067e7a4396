"""One error shape for the whole API: `{"detail": "...", "errors": {"field": ["..."]}}`.

Validation problems are 422 with the offending fields named as the request names them
(`emails`, `birthday_day`, `contacts`...), whether ninja's schema or the web pages' own
forms and services found them; `__all__` holds what concerns no single field.
"""

from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as SchemaValidationError

INVALID = "Some values are not valid; see `errors`."
# Where ninja says a value came from; the request's own field names follow.
SOURCES = {"body", "query", "path", "header", "cookie", "form"}


class FieldErrors(Exception):
    """Raised by API operations with errors already keyed by the request's field names."""

    def __init__(self, errors: dict[str, list[str]]) -> None:
        super().__init__(errors)
        self.errors = errors


def _schema_field(loc: list[Any] | tuple[Any, ...]) -> str:
    parts = [str(part) for part in loc]
    if parts and parts[0] in SOURCES:
        parts = parts[1:]
        # A body is one parameter (`payload`); its fields are what the client sent.
        if parts and parts[0] in {"payload", "data"}:
            parts = parts[1:]
    return ".".join(parts) or "__all__"


def schema_errors(errors: list[dict[str, Any]]) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for error in errors:
        message = str(error.get("msg", "Not valid."))
        found.setdefault(_schema_field(error.get("loc", ())), []).append(message)
    return found


def django_errors(error: DjangoValidationError) -> dict[str, list[str]]:
    if hasattr(error, "error_dict"):
        return {field: [str(m) for m in messages] for field, messages in error.message_dict.items()}
    return {"__all__": [str(m) for m in error.messages]}


def install(api: NinjaAPI) -> None:
    def invalid(request: HttpRequest, errors: dict[str, list[str]]) -> HttpResponse:
        return api.create_response(request, {"detail": INVALID, "errors": errors}, status=422)

    @api.exception_handler(SchemaValidationError)
    def on_schema_error(request: HttpRequest, exc: SchemaValidationError) -> HttpResponse:
        return invalid(request, schema_errors(exc.errors))

    @api.exception_handler(DjangoValidationError)
    def on_rule_error(request: HttpRequest, exc: DjangoValidationError) -> HttpResponse:
        return invalid(request, django_errors(exc))

    @api.exception_handler(FieldErrors)
    def on_field_errors(request: HttpRequest, exc: FieldErrors) -> HttpResponse:
        return invalid(request, exc.errors)

    @api.exception_handler(Http404)
    def on_not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
        # Another user's id is answered exactly like an id that never existed.
        return api.create_response(request, {"detail": "Not found."}, status=404)

    @api.exception_handler(AuthenticationError)
    def on_unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
        response = api.create_response(
            request,
            {"detail": "Send a personal access token: Authorization: Bearer <token>."},
            status=401,
        )
        response["WWW-Authenticate"] = 'Bearer realm="Rapport"'
        return response

    @api.exception_handler(HttpError)
    def on_http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
        return api.create_response(request, {"detail": str(exc)}, status=exc.status_code)
