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

SESSION_KEY = "rapport_time_zone"


def remember_time_zone(request: HttpRequest, name: str) -> None:
    request.session[SESSION_KEY] = name
    timezone.activate(ZoneInfo(name))


def _time_zone_at_log_in(
    sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any
) -> None:
    from crm.models import UserSettings

    if request is None or not hasattr(request, "session"):
        return
    found = UserSettings.objects.filter(user=user).values_list("time_zone", flat=True).first()
    request.session[SESSION_KEY] = found or UserSettings._meta.get_field("time_zone").get_default()


class UserTimeZoneMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        name = self._zone_name(request)
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

    def _zone_name(self, request: HttpRequest) -> str | None:
        session = getattr(request, "session", None)
        if session is None:
            return None
        name = session.get(SESSION_KEY)
        if name is None and (user_id := session.get("_auth_user_id")):
            from crm.models import UserSettings

            name = (
                UserSettings.objects.filter(user_id=user_id)
                .values_list("time_zone", flat=True)
                .first()
            ) or UserSettings._meta.get_field("time_zone").get_default()
            session[SESSION_KEY] = name
        return str(name) if name else None


def connect_time_zone_signal() -> None:
    """Remember the person's time zone at log-in; CrmConfig.ready() calls it."""
    user_logged_in.connect(_time_zone_at_log_in, dispatch_uid="timezones-logged-in")
