"""Writes to a user's settings, for every settings page (and the dashboard's first visit).

Keyword-only, like every service: the views hand over cleaned form values.
"""

from collections.abc import Mapping
from typing import Any

from django.db import transaction

from crm.models import UserSettings


@transaction.atomic
def user_settings_update(*, settings: UserSettings, values: Mapping[str, Any]) -> UserSettings:
    """Set these settings (field name → value) and save only them."""
    for name, value in values.items():
        setattr(settings, name, value)
    settings.save(update_fields=list(values))
    return settings
