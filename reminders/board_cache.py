"""This week's board, rendered once per change of what it shows.

The board (the part of the dashboard below the page header: occasions, keep in touch,
what waits on you, the glance, Done and Drafts) is cached as HTML per owner under the
owner's glance version (`reminders.charts.glance_version`), which every write that can
change the board moves on: reminders, the scan, notes, promises, introductions,
contacts, interactions, positions and the user's settings. The key also holds
everything else the HTML depends on: the owner's today, week start, time zone and
language, and the query (week, trust filter, *Show all* group, page, focus). It is never
shared between users. The page around it (base.html, messages, the header with the
week navigation) is rendered live on every request.

The cached HTML carries no CSRF token: the board is rendered with a stand-in, and each
request puts its own token in its place (`with_token`). A page after an action (the
entry settled in place, with Undo) or with the first visit's sender question is never
cached. "Edited … ago" on a draft may lag by at most `BOARD_SECONDS`.
"""

import hashlib

from django.contrib.auth.models import User
from django.core.cache import cache
from django.http import HttpRequest, QueryDict
from django.middleware.csrf import get_token
from django.utils.translation import get_language

from crm.models import UserSettings
from reminders.charts import _owner_key, glance_version

BOARD_SECONDS = 120
# What the board is rendered with in place of the request's CSRF token (letters only,
# so escaping leaves it alone and no contact's text can make it by accident: a
# contact's text is escaped, and the stand-in is not something a person types).
CSRF_STAND_IN = "rapportCsrfStandInBoard7q3x"
QUERY_PARAMS = ("week", "trust", "all", "page", "focus")


def board_key(owner: User, settings: UserSettings, query: QueryDict) -> str:
    """The cache key of `owner`'s board for this query, under their current version."""
    today = settings.today()
    parts = [
        today.isoformat(),
        str(settings.first_weekday),
        settings.time_zone,
        get_language() or "",
        *(f"{name}={query.get(name, '')}" for name in QUERY_PARAMS),
    ]
    digest = hashlib.sha256("\n".join(parts).encode()).hexdigest()[:32]
    return f"{_owner_key(owner)}:board:{glance_version(owner.pk)}:{digest}"


def cached_board(key: str) -> str | None:
    found = cache.get(key)
    return found if isinstance(found, str) else None


def remember_board(key: str, html: str) -> None:
    cache.set(key, html, BOARD_SECONDS)


def with_token(request: HttpRequest, html: str) -> str:
    """The cached board with this request's own CSRF token in place of the stand-in."""
    return html.replace(CSRF_STAND_IN, get_token(request))
