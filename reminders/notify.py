"""Reminders on the user's own channels, sent by the worker (docs/notifications.md).

Every quarter hour `due_deliveries` records what is due on each channel, one
NotificationDelivery row per channel and thing ("morning:2026-12-05",
"digest:2026-11-30"; unique together), and the worker sends each with `deliver`:

1. compose the message (nothing due: the row is marked "empty" and nothing is sent);
2. claim the row, queued or failed → "sending", in its own committed transaction;
3. hand the message to Apprise;
4. record the outcome on the row and on the channel.

Only one claim can succeed, so a Celery retry, a duplicate task or a second run of
the schedule never sends the same thing twice. A worker killed during step 3 leaves
the row "sending": it is not sent again (it may have arrived), and the channel's row
says so. A failure (the service answered an error, or could not be reached) is kept
on the channel's row and retried at the next quarter hour while the occasion is still
current; after PAUSE_AFTER failures in a row the channel is paused with a note until
the user resumes it or gives it a new address.
"""

import logging
from datetime import date, datetime, timedelta

from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import ngettext

from crm.languages import in_language_of
from crm.models import UserSettings
from reminders import apprise_urls
from reminders.digest import CATCH_UP, digest_week_start
from reminders.models import (
    DeliveryKind,
    DeliveryStatus,
    NotificationChannel,
    NotificationDelivery,
)
from reminders.notify_messages import (
    Message,
    channel_test_message,
    digest_message,
    morning_message,
)

logger = logging.getLogger(__name__)

# Failures in a row (scheduled or test) after which a channel is paused.
PAUSE_AFTER = 5
SENDABLE = [DeliveryStatus.QUEUED, DeliveryStatus.FAILED]
# Delivery records older than this are deleted: past any retry, and past the two weeks
# in which a morning message looks back at what earlier ones named.
KEEP_DELIVERIES = timedelta(days=60)


def _wanted(
    channel: NotificationChannel, prefs: UserSettings, now: datetime
) -> list[tuple[str, str]]:
    """(kind, key) of what this channel should have received by `now`."""
    local = now.astimezone(prefs.zone)
    today = local.date()
    wanted = []
    if channel.morning_message and local.hour >= channel.send_hour:
        wanted.append((DeliveryKind.MORNING.value, f"morning:{today.isoformat()}"))
    if channel.weekly_digest:
        week_start = digest_week_start(prefs, today)
        too_early = today == week_start and local.hour < channel.send_hour
        if not too_early and today - week_start <= CATCH_UP:
            wanted.append((DeliveryKind.DIGEST.value, f"digest:{week_start.isoformat()}"))
    return wanted


def due_deliveries(*, now: datetime | None = None) -> list[int]:
    """Record what is due on every active channel; return the ids still to send.

    Four queries whatever the number of channels. Failed deliveries of the current
    morning or digest week are returned again: the quarter-hourly run is their retry.
    """
    now = now or timezone.now()
    channels = list(
        NotificationChannel.objects.filter(paused_at__isnull=True, owner__is_active=True)
        .filter(Q(weekly_digest=True) | Q(morning_message=True))
        .order_by("pk")
    )
    owners = {c.owner_id for c in channels}
    prefs_by_user = {p.user_id: p for p in UserSettings.objects.filter(user_id__in=owners)}
    wanted: dict[tuple[int, str], str] = {}
    for channel in channels:
        prefs = prefs_by_user.get(channel.owner_id) or UserSettings(user_id=channel.owner_id)
        for kind, key in _wanted(channel, prefs, now):
            wanted[(channel.pk, key)] = kind
    if not wanted:
        return []
    NotificationDelivery.objects.bulk_create(
        [
            NotificationDelivery(channel_id=channel_id, kind=kind, key=key)
            for (channel_id, key), kind in wanted.items()
        ],
        ignore_conflicts=True,
    )
    rows = NotificationDelivery.objects.filter(
        channel_id__in={channel_id for channel_id, _ in wanted},
        key__in={key for _, key in wanted},
        status__in=SENDABLE,
    ).values_list("pk", "channel_id", "key")
    return sorted(pk for pk, channel_id, key in rows if (channel_id, key) in wanted)


def _compose(delivery: NotificationDelivery) -> Message | None:
    channel = delivery.channel
    what = delivery.key.partition(":")[2]
    if delivery.kind == DeliveryKind.TEST:
        return channel_test_message(channel)
    if delivery.kind == DeliveryKind.MORNING:
        return morning_message(channel, date.fromisoformat(what))
    return digest_message(channel, date.fromisoformat(what))


def _claim(delivery: NotificationDelivery, message: Message) -> bool:
    """Take the row for sending; committed before anything leaves (durable: never nested)."""
    with transaction.atomic(durable=True):
        return bool(
            NotificationDelivery.objects.filter(pk=delivery.pk, status__in=SENDABLE).update(
                status=DeliveryStatus.SENDING,
                started_at=timezone.now(),
                attempts=F("attempts") + 1,
                reminder_ids=message.reminder_ids,
                error="",
            )
        )


def deliver(delivery_id: int) -> str:
    """Send one delivery unless it was sent, is being sent, or is not wanted any more.

    Returns what became of it (a DeliveryStatus value, or why nothing was done).
    """
    delivery = (
        NotificationDelivery.objects.select_related("channel", "channel__owner")
        .filter(pk=delivery_id)
        .first()
    )
    if delivery is None:
        return "gone"
    channel = delivery.channel
    if delivery.status not in SENDABLE:
        return str(delivery.status)
    if delivery.kind != DeliveryKind.TEST and (
        channel.paused_at is not None or not channel.owner.is_active
    ):
        return "paused"
    # Written in the owner's language (one small query per message).
    with in_language_of(UserSettings.objects.filter(user_id=channel.owner_id).first()):
        message = _compose(delivery)
    if message is None:
        NotificationDelivery.objects.filter(pk=delivery.pk, status__in=SENDABLE).update(
            status=DeliveryStatus.EMPTY, finished_at=timezone.now()
        )
        return DeliveryStatus.EMPTY.value
    if not _claim(delivery, message):
        return "taken"
    result = apprise_urls.send(channel.url, title=message.title, body=message.body)
    _record(delivery, result)
    return DeliveryStatus.SENT.value if result.ok else DeliveryStatus.FAILED.value


@transaction.atomic
def _record(delivery: NotificationDelivery, result: apprise_urls.SendResult) -> None:
    now = timezone.now()
    channel = NotificationChannel.objects.select_for_update().get(pk=delivery.channel_id)
    delivery.finished_at = now
    if result.ok:
        delivery.status = DeliveryStatus.SENT
        channel.last_success_at = now
        channel.consecutive_failures = 0
        logger.info(
            "Sent %s to notification channel %s (%s)", delivery.key, channel.pk, channel.service
        )
    else:
        delivery.status = DeliveryStatus.FAILED
        delivery.error = result.error
        channel.last_error = result.error
        channel.last_error_at = now
        channel.consecutive_failures += 1
        logger.warning(
            "Could not send %s to notification channel %s (%s): %s",
            delivery.key,
            channel.pk,
            channel.service,
            result.error,
        )
        if channel.consecutive_failures >= PAUSE_AFTER and channel.paused_at is None:
            channel.paused_at = now
            # Shown on the owner's pages: written in their language.
            with in_language_of(UserSettings.objects.filter(user_id=channel.owner_id).first()):
                channel.pause_note = ngettext(
                    "Paused after %(count)d failed send in a row. Check the "
                    "address (or give a new one), send a test, then resume.",
                    "Paused after %(count)d failed sends in a row. Check the "
                    "address (or give a new one), send a test, then resume.",
                    channel.consecutive_failures,
                ) % {"count": channel.consecutive_failures}
            logger.warning("Paused notification channel %s after repeated failures", channel.pk)
    delivery.save(update_fields=["status", "error", "finished_at"])
    channel.save(
        update_fields=[
            "last_success_at",
            "consecutive_failures",
            "last_error",
            "last_error_at",
            "paused_at",
            "pause_note",
        ]
    )


def forget_old_deliveries(*, now: datetime | None = None) -> int:
    """Delete delivery records past KEEP_DELIVERIES; returns how many."""
    cutoff = (now or timezone.now()) - KEEP_DELIVERIES
    deleted, _ = NotificationDelivery.objects.filter(created_at__lt=cutoff).delete()
    return deleted
