"""One rule for every view: does this request want a fragment or the whole page?

htmx sends `HX-Request` on every request it makes, but three of them need a whole page:
- a history restore (`HX-History-Restore-Request`): Back or reload after `hx-push-url`,
  when htmx's history cache misses, swaps the answer in as the whole body;
- a boosted link or form (`HX-Boosted`): the answer replaces the whole body too;
- no htmx at all (JavaScript off, a bookmark, a new tab).
Views ask `wants_partial(request)` instead of reading `request.htmx` themselves, so a view
that learns to answer htmx cannot forget the other two (tests/test_htmx_history_sweep.py
checks every page).
"""

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django_htmx.middleware import HtmxDetails


def wants_partial(request: HttpRequest) -> bool:
    """True when htmx asked for a piece of a page to swap in; False for a whole page."""
    htmx: HtmxDetails | None = getattr(request, "htmx", None)
    if htmx is None or not htmx:
        return False
    return not (htmx.boosted or htmx.history_restore_request)


def render_page_or_partial(
    request: HttpRequest,
    page: str,
    context: dict[str, Any],
    *,
    partial: str,
    status: int = 200,
) -> HttpResponse:
    """Render `partial` (e.g. "contacts/list.html#results") for htmx, else the whole `page`."""
    template = partial if wants_partial(request) else page
    return render(request, template, context, status=status)
