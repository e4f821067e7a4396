"""Notification channels (Settings → Notifications): another user's channel is a 404."""

from typing import Any

from django.contrib.auth.models import User

from reminders.models import NotificationDelivery
from tests.factories import NotificationChannelFactory
from tests.ownership import OwnedUrl, Snapshot, row_snapshot


def _channel(victim: User) -> tuple[dict[str, Any], Snapshot]:
    channel = NotificationChannelFactory(owner=victim, url="ntfy://victims-secret-topic")
    row = row_snapshot(channel)

    def snapshot() -> Any:
        # No test queued for the victim's channel, nothing changed on it.
        return row(), NotificationDelivery.objects.filter(channel_id=channel.pk).count()

    return {"pk": channel.pk}, snapshot


CASES = {
    "reminders:channel_edit": OwnedUrl(_channel),
    "reminders:channel_delete": OwnedUrl(_channel, methods=("post",)),
    "reminders:channel_test": OwnedUrl(_channel, methods=("post",)),
    "reminders:channel_resume": OwnedUrl(_channel, methods=("post",)),
}
