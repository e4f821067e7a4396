"""Row URLs without a reverse() per row.

Pages that list many rows link each one by id (a contact's page, its photo, a
reminder's actions). `reverse()` walks the URL resolver every time, which added up
to a large part of This week and the lists; `id_url` reverses each URL name once
(per script prefix and URLconf), keeps the text around the id, and fills the id in.
"""

from functools import lru_cache

from django.conf import settings
from django.urls import get_script_prefix, get_urlconf, reverse

# An id no row has yet, so it appears once in the reversed URL and marks where ids go.
_MARK = 987654321012


@lru_cache(maxsize=512)
def _around_id(name: str, prefix: str, urlconf: str) -> tuple[str, str]:
    url = reverse(name, args=[_MARK], urlconf=urlconf)
    head, found, tail = url.partition(str(_MARK))
    if not found or str(_MARK) in tail:
        raise ValueError(f"URL {name!r} does not take one id argument.")
    return head, tail


def id_url(name: str, pk: int) -> str:
    """`reverse(name, args=[pk])` for a URL whose only argument is an integer id."""
    # Keyed by the URLconf too: a request (or a test) may route with another one.
    head, tail = _around_id(name, get_script_prefix(), get_urlconf() or settings.ROOT_URLCONF)
    return f"{head}{int(pk)}{tail}"
