"""Fixtures of the reminder tests: a real HTTP endpoint for notification channels."""

from tests.reminders.endpoint import endpoint

__all__ = ["endpoint"]
