"""Fetching a Monica 4.x account through its REST API, page by page, resumably.

Requests go only to the address the person typed (`<url>/api/…`, never to a
redirect or to the `links` of an answer), with a personal access token
(Monica: Settings → API → Personal Access Tokens) and a timeout. Lists are read
with `?page=N&limit=100` until `meta.last_page`; a 429 answer is waited out for its
Retry-After. The progress (the list and page reached, and what was read) is a plain
JSON state, so a worker that stops can be followed by another that continues from
the page after the last one saved (contacts/importers/monica_jobs.py).
"""

import json
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field
from email.utils import parsedate_to_datetime
from typing import Any

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext

from contacts.importers.base import ImportFileError
from contacts.importers.monica_api_shape import account_from_api, child_of, person_from_api

TIMEOUT = 20  # seconds per request
PAGE_SIZE = 100  # Monica's most per page (config api.max_limit_per_page)
# The lists read, in order: (state key, API path, extra query).
STAGES: tuple[tuple[str, str, dict[str, str]], ...] = (
    ("contacts", "contacts", {"with": "contactfields"}),
    ("activities", "activities", {}),
    ("notes", "notes", {}),
    ("calls", "calls", {}),
    ("reminders", "reminders", {}),
    ("tasks", "tasks", {}),
    ("gifts", "gifts", {}),
    ("debts", "debts", {}),
    ("conversations", "conversations", {}),
    ("pets", "pets", {}),
    ("life_events", "lifeevents", {}),
)
MAX_WAIT = 15 * 60  # a Retry-After longer than this is an error, not a wait


class MonicaApiError(ImportFileError):
    """Monica could not be read: a wrong address or token, or an answer that is not its API."""


class RateLimited(MonicaApiError):
    def __init__(self, wait: int) -> None:
        super().__init__(
            gettext("Monica asks to wait %(seconds)s seconds before the next request.")
            % {"seconds": wait}
        )
        self.wait = wait


def base_url(value: str) -> str:
    """The address as typed, checked: http(s), a host, no query; without a final /api."""
    parts = urllib.parse.urlsplit(value.strip())
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise MonicaApiError(
            gettext(
                "Enter your Monica's address as it is in the browser, such as "
                "https://monica.example.org."
            )
        )
    if parts.query or parts.fragment or parts.username:
        raise MonicaApiError(
            gettext("Enter the address without anything after ? or #, and no user name.")
        )
    path = parts.path.rstrip("/").removesuffix("/api")
    return urllib.parse.urlunsplit((parts.scheme, parts.netloc, path, "", ""))


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(
        self, req: Any, fp: Any, code: int, msg: str, headers: Any, newurl: str
    ) -> None:
        raise MonicaApiError(
            gettext(
                "%(host)s sent the request on to %(url)s; "
                "enter that address instead (Rapport only asks the address you typed)."
            )
            % {"host": urllib.parse.urlsplit(req.full_url).netloc, "url": newurl}
        )


def retry_after(value: str | None) -> int:
    """Seconds to wait from a Retry-After header (seconds, or an HTTP date)."""
    if not value:
        return 60
    if value.strip().isdigit():
        return int(value.strip())
    try:
        return max(0, int((parsedate_to_datetime(value) - timezone.now()).total_seconds()) + 1)
    except (TypeError, ValueError):
        return 60


class MonicaClient:
    def __init__(self, url: str, token: str, *, timeout: float = TIMEOUT) -> None:
        self.base = base_url(url)
        self.token = token.strip()
        if not self.token:
            raise MonicaApiError(gettext("Enter a personal access token of your Monica account."))
        self.timeout = timeout
        self.opener = urllib.request.build_opener(_NoRedirect)

    @property
    def host(self) -> str:
        return urllib.parse.urlsplit(self.base).netloc

    def get(self, path: str, query: dict[str, Any] | None = None) -> dict[str, Any]:
        url = f"{self.base}/api/{path}"
        if query:
            url += "?" + urllib.parse.urlencode(query)
        request = urllib.request.Request(  # noqa: S310 (the scheme is checked: http or https)
            url,
            headers={
                "Authorization": f"Bearer {self.token}",
                "Accept": "application/json",
                "User-Agent": "Rapport (Monica import)",
            },
        )
        try:
            with self.opener.open(request, timeout=self.timeout) as response:
                body = response.read(settings.IMPORT_MAX_BYTES + 1)
        except urllib.error.HTTPError as error:
            raise self._refused(error) from None
        except TimeoutError:
            raise MonicaApiError(
                gettext("%(host)s did not answer within %(seconds)s seconds; try again later.")
                % {"host": self.host, "seconds": f"{self.timeout:.0f}"}
            ) from None
        except (urllib.error.URLError, OSError) as error:
            reason = getattr(error, "reason", error)
            raise MonicaApiError(
                gettext("Could not reach %(host)s: %(reason)s. Check the address.")
                % {"host": self.host, "reason": reason}
            ) from None
        if len(body) > settings.IMPORT_MAX_BYTES:
            raise MonicaApiError(
                gettext("%(url)s answered with more than the import limit allows.") % {"url": url}
            )
        try:
            document = json.loads(body)
        except ValueError:
            document = None
        if not isinstance(document, dict):
            raise MonicaApiError(
                gettext(
                    "%(host)s does not answer like Monica's API (no JSON at /api/%(path)s). "
                    "Check the address: it is the one you open Monica at."
                )
                % {"host": self.host, "path": path}
            )
        return document

    def _refused(self, error: urllib.error.HTTPError) -> MonicaApiError:
        if error.code == 429:
            wait = retry_after(error.headers.get("Retry-After"))
            if wait <= MAX_WAIT:
                return RateLimited(wait)
        if error.code in (401, 403):
            return MonicaApiError(
                gettext(
                    "%(host)s refused the token (%(code)s). Create a personal access token "
                    "in Monica (Settings → API) and paste all of it."
                )
                % {"host": self.host, "code": error.code}
            )
        if error.code == 404:
            return MonicaApiError(
                gettext(
                    "%(host)s has no Monica API at %(url)s (404). Check the address: it is "
                    "the one you open Monica at."
                )
                % {"host": self.host, "url": error.url}
            )
        return MonicaApiError(
            gettext("%(host)s answered %(code)s %(reason)s; try again later.")
            % {"host": self.host, "code": error.code, "reason": error.reason}
        )

    def check(self) -> None:
        """Ask who the token belongs to: a wrong address or token fails here, at once."""
        self.get("me")


@dataclass
class FetchState:
    """How far the fetch got: the list (stage) and page next to read, and what was read."""

    stage: int = 0
    page: int = 1
    pages_read: int = 0
    last_page: int = 1
    data: dict[str, Any] = field(default_factory=dict)

    @property
    def done(self) -> bool:
        return self.stage >= len(STAGES)

    def progress(self) -> tuple[int, int]:
        """(pages read, pages known or expected): each list left is at least one page."""
        left = max(self.last_page - self.page + 1, 0) + len(STAGES) - self.stage - 1
        return self.pages_read, self.pages_read + max(left, 0)

    def as_dict(self) -> dict[str, int]:
        return {
            "stage": self.stage,
            "page": self.page,
            "pages_read": self.pages_read,
            "last_page": self.last_page,
        }

    @classmethod
    def restore(cls, saved: dict[str, Any], data: dict[str, Any]) -> "FetchState":
        return cls(**{k: int(saved.get(k, d)) for k, d in cls().as_dict().items()}, data=data)


def fetch_page(client: MonicaClient, state: FetchState) -> None:
    """Read the next page into the state and move it on (RateLimited: try the same later)."""
    key, path, query = STAGES[state.stage]
    answer = client.get(path, {**query, "page": state.page, "limit": PAGE_SIZE})
    items = answer.get("data")
    meta = answer.get("meta")
    meta = meta if isinstance(meta, dict) else {}
    if not isinstance(items, list):
        raise MonicaApiError(
            gettext("%(host)s answered /api/%(path)s without a list of %(key)s.")
            % {"host": client.host, "path": path, "key": key}
        )
    kept = state.data.setdefault(key, [])
    for item in items:
        if isinstance(item, dict):
            kept.append(person_from_api(item) if key == "contacts" else child_of(key, item))
    last = meta.get("last_page")
    state.last_page = last if isinstance(last, int) and last > 0 else state.page
    state.pages_read += 1
    if not items or state.page >= state.last_page:
        state.stage, state.page, state.last_page = state.stage + 1, 1, 1
    else:
        state.page += 1


def fetch_account(
    *,
    url: str,
    token: str,
    sleep: Callable[[float], None] = time.sleep,
    progress: Callable[[int, int], None] | None = None,
) -> bytes:
    """The whole account, at once (the command line): waits out each 429 as asked."""
    client = MonicaClient(url, token)
    client.check()
    state = FetchState()
    while not state.done:
        try:
            fetch_page(client, state)
        except RateLimited as limited:
            sleep(limited.wait)
            continue
        if progress:
            progress(*state.progress())
    return fetched_document(state)


def fetched_document(state: FetchState) -> bytes:
    """What run_import reads for a Monica API import (monica_export.read_fetched)."""
    return json.dumps(account_from_api(state.data), ensure_ascii=False).encode()
