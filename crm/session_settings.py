"""Settings a person's every page needs, kept in their session so pages pay no query.

The language (crm/languages.py) and the time zone (crm/timezones.py) are each written to
the session at log-in and when Settings are saved; a session from before that is looked
up once here and remembered.
"""

from typing import Any, cast

from django.db import models
from django.http import HttpRequest


def saved_setting(user_id: int | str, field: str) -> str:
    """The person's Settings `field`, or its default while they have no Settings row."""
    from crm.models import UserSettings

    found = UserSettings.objects.filter(user_id=user_id).values_list(field, flat=True).first()
    column = cast("models.Field[Any, Any]", UserSettings._meta.get_field(field))
    return found or column.get_default()


def session_setting(request: HttpRequest, key: str, field: str) -> str | None:
    """The signed-in person's `field` as kept under `key`; None before log-in, or if empty."""
    session = getattr(request, "session", None)
    if session is None:
        return None
    value = session.get(key)
    if value is None and (user_id := session.get("_auth_user_id")):
        value = session[key] = saved_setting(user_id, field)
    return str(value) if value else None
