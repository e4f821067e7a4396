"""The answers of the two busiest reads, kept per caller until their data changes.

`GET /api/v1/contacts` and `GET /api/v1/reminders/this-week` are what scripts and the
assistant poll; almost every call answers what the one before did. Their JSON body is
cached under a key of everything it depends on:

- the caller (and when they joined, so a reused id never meets old entries): an entry
  is never shared between users, whatever token or session asks;
- the caller's data version (crm/data_version.py): every save, delete or many-to-many
  change of their data, every unsafe request they make (a token's too) and the bulk
  paths move it on, so the first read after a change is built afresh;
- their today, week start, time zone and the active language;
- the path and the whole query string (filters, order, cursor, limit).

Authentication and the throttle run before the cache on every request (ninja calls the
operation only after both), and only 200 answers are kept, for READ_SECONDS at most.
"""

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.http import HttpRequest, HttpResponse

from api.auth import caller, preferences
from crm.data_version import owner_cache_key, owner_data_cache

READ_SECONDS = 60
_KEY_ATTRIBUTE = "_rapport_api_read_key"


def read_key(request: HttpRequest) -> str:
    """The cache key of this read for its caller, under their current data version."""
    user = caller(request)
    query = request.META.get("QUERY_STRING", "")
    return owner_cache_key("api-read", user, preferences(user), request.path, query)


def cached_read[**P](view: Callable[P, Any]) -> Callable[P, Any]:
    """Answer a GET operation from the cache when its caller's data has not changed."""

    @wraps(view)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> Any:
        request = args[0]
        assert isinstance(request, HttpRequest)
        key = read_key(request)
        found = owner_data_cache.get(key)
        if isinstance(found, tuple) and len(found) == 2:
            content_type, body = found
            response = HttpResponse(body, content_type=content_type)
            response["Cache-Control"] = "private, no-store"
            return response
        setattr(request, _KEY_ATTRIBUTE, key)
        return view(*args, **kwargs)

    return wrapper


def remember_read(request: HttpRequest, response: HttpResponse) -> None:
    """Keep the answer of a cached read's first call (RapportAPI.create_response)."""
    key = getattr(request, _KEY_ATTRIBUTE, None)
    if key is None or response.status_code != 200:
        return
    delattr(request, _KEY_ATTRIBUTE)
    owner_data_cache.set(key, (response["Content-Type"], response.content), READ_SECONDS)
