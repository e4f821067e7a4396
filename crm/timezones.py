"""Every time a signed-in person sees is shown in the time zone of their Settings.

The zone is kept in the session (set at log-in and when Settings are saved), so pages pay
no extra query for it; a session from before this existed looks it up once.
"""

from collections.abc import Callable
from typing import Any
from zoneinfo import ZoneInfo

from django.contrib.auth.signals import user_logged_in
from django.http import HttpRequest, HttpResponse
from django.utils import timezone

from crm.session_settings import saved_setting, session_setting

SESSION_KEY = "rapport_time_zone"


def remember_time_zone(request: HttpRequest, name: str) -> None:
    request.session[SESSION_KEY] = name
    timezone.activate(ZoneInfo(name))


def _time_zone_at_log_in(
    sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any
) -> None:
    if request is None or not hasattr(request, "session"):
        return
    request.session[SESSION_KEY] = saved_setting(user.pk, "time_zone")


class UserTimeZoneMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        name = session_setting(request, SESSION_KEY, "time_zone")
        if name:
            try:
                timezone.activate(ZoneInfo(name))
            except (KeyError, ValueError):
                timezone.deactivate()
        else:
            timezone.deactivate()
        try:
            return self.get_response(request)
        finally:
            timezone.deactivate()


def connect_time_zone_signal() -> None:
    """Remember the person's time zone at log-in; CrmConfig.ready() calls it."""
    user_logged_in.connect(_time_zone_at_log_in, dispatch_uid="timezones-logged-in")
