"""Request types for views, so the type checker knows what middleware and decorators add.

Annotation-only: Django builds plain HttpRequests; these classes are never instantiated.
"""

from django.contrib.auth.models import User
from django.http import HttpRequest
from django_htmx.middleware import HtmxDetails


class HtmxHttpRequest(HttpRequest):
    """Any request: django-htmx's middleware sets `request.htmx` on every one."""

    htmx: HtmxDetails


class AuthenticatedHttpRequest(HtmxHttpRequest):
    """A request inside a `@login_required` view, where `request.user` is a signed-in User."""

    user: User
