"""The `occasion_key` of each reminder kind: what makes one occasion instance unique.

Reminder has a unique constraint on (contact, kind, occasion_key), so two
scans, or a scan and a user's snooze, always meet on the same row.
"""

from datetime import date


def birthday_key(year: int) -> str:
    return f"birthday:{year}"


def anniversary_key(position_id: int, years: int) -> str:
    return f"position:{position_id}:years:{years}"


def career_move_key(position_id: int) -> str:
    """Job change or promotion: one per new position."""
    return f"position:{position_id}"


def keep_in_touch_key(due_on: date) -> str:
    """Due date = last touch + cadence; logging an interaction moves it, making a new key."""
    return f"touch:{due_on.isoformat()}"


def custom_date_key(custom_date_id: int, on: date) -> str:
    return f"custom:{custom_date_id}:{on.isoformat()}"
