"""Security headers Django's SecurityMiddleware does not send."""

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

# Rapport uses none of these browser features; a page (or an injected script) that
# asked for them would be refused.
PERMISSIONS_POLICY = ", ".join(
    f"{feature}=()"
    for feature in (
        "accelerometer",
        "camera",
        "display-capture",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "payment",
        "usb",
    )
)


class PermissionsPolicyMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        return response


class PrivatePagesMiddleware:
    """Pages for a logged-in person are theirs alone: no shared cache, no disk copy.

    `Cache-Control: private, no-store` keeps proxies from serving one person's page to
    another and browsers from keeping contact data on disk (or showing it with Back
    after logging out). Views that already forbid storing (never_cache) keep theirs.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return response
        if not response.get("Content-Type", "").startswith("text/html"):
            return response
        if "no-store" not in response.get("Cache-Control", ""):
            response["Cache-Control"] = "private, no-store"
        return response
