"""Clients given only the server's address ask its root where the address book is."""

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, HttpResponsePermanentRedirect
from django.urls import reverse


class DavRootMiddleware:
    """A PROPFIND on / (DAVx⁵, Thunderbird and vdirsyncer try it before or after
    /.well-known/carddav) is sent to the DAV root; every other request passes."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.method == "PROPFIND" and request.path == "/":
            return HttpResponsePermanentRedirect(reverse("carddav:root"))
        return self.get_response(request)
