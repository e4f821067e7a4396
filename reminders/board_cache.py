"""This week's board, rendered once per change of what it shows.

The board (the part of the dashboard below the page header: occasions, keep in touch,
what waits on you, the glance, Done and Drafts) is cached as HTML per owner under the
owner's data version (`crm.data_version`, which `reminders.charts.glance_version` is),
which every write that can change the board moves on: reminders, the scan, notes,
promises, introductions, contacts, photos, interactions, positions, custom dates and the
user's settings (tests/reminders/test_dashboard_board_cache.py). The key also holds
everything else the HTML depends on: the owner's today, week start, time zone and
language, and the query (week, trust filter, *Show all* group, page, focus). It is never
shared between users. The page around it (base.html, messages, the header with the
week navigation) is rendered live on every request.

The cached HTML carries no CSRF token: the board is rendered with a stand-in, and each
request puts its own token in its place (`with_token`). A page after an action (the
entry settled in place, with Undo) or with the first visit's sender question is never
cached. The one thing on it that moves with the time of day, how long ago each draft in
progress was edited, is kept with the entry: once any of those phrases reads differently,
the entry is not used.
"""

from collections.abc import Sequence
from datetime import datetime

from django.contrib.auth.models import User
from django.http import HttpRequest, QueryDict
from django.middleware.csrf import get_token
from django.template.defaultfilters import timesince_filter

from crm.data_version import owner_cache_key, owner_data_cache
from crm.models import UserSettings

BOARD_SECONDS = 120
# What the board is rendered with in place of the request's CSRF token (letters only,
# so escaping leaves it alone and no contact's text can make it by accident: a
# contact's text is escaped, and the stand-in is not something a person types).
CSRF_STAND_IN = "rapportCsrfStandInBoard7q3x"
QUERY_PARAMS = ("week", "trust", "all", "page", "focus")


def board_key(owner: User, settings: UserSettings, query: QueryDict) -> str:
    """The cache key of `owner`'s board for this query, under their current version."""
    shown = (f"{name}={query.get(name, '')}" for name in QUERY_PARAMS)
    return owner_cache_key("board", owner, settings, *shown)


def _ages(edited: Sequence[datetime]) -> list[str]:
    # The template's own filter, so the phrases compare as the page shows them.
    return [timesince_filter(moment) for moment in edited]


def cached_board(key: str) -> str | None:
    """The cached board, unless a draft's "edited … ago" would now read differently."""
    found = owner_data_cache.get(key)
    if not isinstance(found, dict):
        return None
    if found["ages"] and _ages(found["edited"]) != found["ages"]:
        return None
    return str(found["html"])


def remember_board(key: str, html: str, edited: Sequence[datetime]) -> None:
    """Keep the board, with when its drafts in progress were edited."""
    entry = {"html": html, "edited": list(edited), "ages": _ages(edited)}
    owner_data_cache.set(key, entry, BOARD_SECONDS)


def with_token(request: HttpRequest, html: str) -> str:
    """The cached board with this request's own CSRF token in place of the stand-in."""
    return html.replace(CSRF_STAND_IN, get_token(request))
