"""The contact page's main content, cached per contact until its owner's data changes.

Rendering a contact's page costs about eighteen queries; almost every view of it shows
what the last one showed. The content (everything inside base.html's content block) is
cached under a key of everything it depends on:

- the owner (and when they joined, so a reused id never meets old entries) and the
  contact's id; the view checks that the contact is the requester's before looking;
- the owner's data version (crm/data_version.py): any save, delete or bulk write of
  their data, and any POST they make, moves it on, so the first view after a change
  renders again;
- the day in the user's time zone, the active time zone and language, and the htmx
  (partial) mode; the code's release (version and newest source file), so an upgrade
  never serves old markup.

The forms' CSRF tokens are not kept: they are stored as a stand-in (derived from
SECRET_KEY, so nobody can type it into their notes) and the request's own token is put
back on every view. Messages and the rest of base.html are rendered live.
Pages with an open draft are not cached: the draft says "edited 3 minutes ago".
"""

import hashlib
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from zoneinfo import ZoneInfo

from django.conf import settings
from django.middleware.csrf import get_token
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

from crm.data_version import code_release, data_version, owner_data_cache
from crm.htmx import wants_partial
from crm.http import AuthenticatedHttpRequest

PAGE_SECONDS = 300

_TOKEN = re.compile(r'(name="csrfmiddlewaretoken" value=")[A-Za-z0-9]+(")')
_STAND_IN = (
    "csrf" + hashlib.sha256(f"rapport-csrf-stand-in:{settings.SECRET_KEY}".encode()).hexdigest()
)


@dataclass(frozen=True)
class CachedPage:
    title: str
    html: str  # with the stand-in for every CSRF token
    today: date  # the day in the user's settings' zone the sections were rendered for
    zone: str  # that zone

    def content(self, request: AuthenticatedHttpRequest) -> SafeString:
        # The stand-in is ours, so only our CSRF inputs carry it.
        return mark_safe(self.html.replace(_STAND_IN, get_token(request)))  # noqa: S308


@dataclass(frozen=True)
class Rendered:
    title: str
    html: str
    today: date
    zone: str
    cacheable: bool


def page_key(request: AuthenticatedHttpRequest, contact_id: int) -> str:
    user = request.user
    joined = int(user.date_joined.timestamp())
    parts = (
        f"{user.pk}.{joined}",
        str(contact_id),
        str(data_version(user.pk)),
        timezone.localdate().isoformat(),
        timezone.get_current_timezone_name(),
        get_language() or "",
        "partial" if wants_partial(request) else "page",
        code_release(),
    )
    return "rapport:contact-page:" + ":".join(parts)


def contact_page(
    request: AuthenticatedHttpRequest, contact_id: int, render: Callable[[], Rendered]
) -> CachedPage:
    """The page's content from the cache, else rendered (by `render`) and kept."""
    key = page_key(request, contact_id)
    page: CachedPage | None = owner_data_cache.get(key)
    if page is not None and _still_today(page):
        return page
    rendered = render()
    page = CachedPage(
        title=rendered.title,
        html=_TOKEN.sub(rf"\g<1>{_STAND_IN}\g<2>", rendered.html),
        today=rendered.today,
        zone=rendered.zone,
    )
    if rendered.cacheable:
        owner_data_cache.set(key, page, PAGE_SECONDS)
    return page


def _still_today(page: CachedPage) -> bool:
    """The sections count days in the settings' zone, which the session's zone (in the key)
    normally equals; if they differ, an entry from before that zone's midnight is stale."""
    return timezone.now().astimezone(ZoneInfo(page.zone)).date() == page.today
