"""The REST API: a page of contacts and this week's reminders, called with a token.

Both within 5x the framework floor at 30,000 contacts (issue 19). The throttle's counter
is part of what is timed; its limit is lifted so the repeated calls are never refused.
"""

from collections.abc import Callable
from typing import Any

from django.test import override_settings

from api.models import AccessToken
from bench.framework import Context, get_ok, scenario
from bench.scenarios.dashboard import _scanned

FLOOR_RATIO = 5.0


def _headers(ctx: Context) -> dict[str, str]:
    if "api_token" not in ctx.extra:
        override_settings(API_REQUESTS_PER_MINUTE=10**9).enable()
        _, secret = AccessToken.issue(owner=ctx.user, name=f"bench {ctx.size}", scope="read")
        ctx.extra["api_token"] = secret
    return {"Authorization": f"Bearer {ctx.extra['api_token']}"}


@scenario("api_contacts_page1", target_ms=60, max_floor_ratio=FLOOR_RATIO)
def contacts_page(ctx: Context) -> Callable[[], Any]:
    return get_ok(ctx.client, "/api/v1/contacts", {"limit": 50}, headers=_headers(ctx))


@scenario("api_this_week", target_ms=60, max_floor_ratio=FLOOR_RATIO)
def this_week(ctx: Context) -> Callable[[], Any]:
    _scanned(ctx)
    return get_ok(ctx.client, "/api/v1/reminders/this-week", headers=_headers(ctx))
