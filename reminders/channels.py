"""Notification channels: add, change, remove, resume, and queue a test message.

Keyword-only services in transactions (docs/development.md). A channel's URL arrives
already checked by Apprise (`reminders.apprise_urls.check_url`, called by the form),
and is never logged: log lines name channels by id and service.
"""

import uuid
from dataclasses import dataclass
from datetime import timedelta

from django.contrib.auth.models import User
from django.db import transaction
from django.db.models import Count, F, Q
from django.utils import timezone
from django.utils.translation import ngettext

from crm.outbox import outbox_send
from reminders.apprise_urls import CheckedUrl
from reminders.models import (
    DeliveryKind,
    DeliveryStatus,
    NotificationChannel,
    NotificationDelivery,
)

# The worker's task that sends one delivery (reminders/tasks.py); named, not imported,
# so this module stays below the tasks that use it.
DELIVER_TASK = "reminders.tasks.deliver_notification"
# A person's channels, at most: more is a mistake (or a script), not a need.
MAX_CHANNELS = 20
# A delivery still "sending" after this long lost its worker mid-send: it may or may not
# have arrived, and is never sent again (that could send it twice).
INTERRUPTED_AFTER = timedelta(minutes=10)
# A test no worker has taken after this long: the page stops asking and says why.
STALLED_AFTER = timedelta(minutes=2)
# Tests a person may send in TEST_WINDOW, over all their channels.
TESTS_PER_WINDOW = 10
TEST_WINDOW = timedelta(minutes=10)


@transaction.atomic
def channel_create(
    *,
    owner: User,
    name: str,
    checked: CheckedUrl,
    weekly_digest: bool,
    morning_message: bool,
    include_keep_in_touch: bool,
    send_hour: int,
) -> NotificationChannel:
    return NotificationChannel.objects.create(
        owner=owner,
        name=name,
        url=checked.url,
        url_hint=checked.hint,
        service=checked.service,
        weekly_digest=weekly_digest,
        morning_message=morning_message,
        include_keep_in_touch=include_keep_in_touch,
        send_hour=send_hour,
    )


@transaction.atomic
def channel_update(
    *,
    channel: NotificationChannel,
    name: str,
    checked: CheckedUrl | None,
    weekly_digest: bool,
    morning_message: bool,
    include_keep_in_touch: bool,
    send_hour: int,
) -> NotificationChannel:
    """Change a channel; a new address (`checked`) starts it afresh, paused or not."""
    channel.name = name
    channel.weekly_digest = weekly_digest
    channel.morning_message = morning_message
    channel.include_keep_in_touch = include_keep_in_touch
    channel.send_hour = send_hour
    if checked is not None and checked.url != channel.url:
        channel.url = checked.url
        channel.url_hint = checked.hint
        channel.service = checked.service
        _clear_failures(channel)
    channel.save()
    return channel


@transaction.atomic
def channel_delete(*, channel: NotificationChannel) -> None:
    channel.delete()


def channels_reencrypt() -> tuple[int, int]:
    """Write every channel's address again, encrypted with the key now in force; returns
    (written, unreadable). An address no key in force can read is left as it is."""
    written = unreadable = 0
    for channel in NotificationChannel.objects.only("id", "url").iterator(chunk_size=500):
        if not channel.url:
            unreadable += 1
            continue
        with transaction.atomic():
            channel.save(update_fields=["url"])
        written += 1
    return written, unreadable


def _clear_failures(channel: NotificationChannel) -> None:
    channel.consecutive_failures = 0
    channel.paused_at = None
    channel.pause_note = ""
    channel.last_error = ""
    channel.last_error_at = None


@transaction.atomic
def channel_resume(*, channel: NotificationChannel) -> NotificationChannel:
    """Send to a paused channel again; the failures that paused it are forgotten."""
    _clear_failures(channel)
    channel.save(
        update_fields=[
            "consecutive_failures",
            "paused_at",
            "pause_note",
            "last_error",
            "last_error_at",
        ]
    )
    return channel


class TooManyTests(Exception):
    """More tests than TESTS_PER_WINDOW in TEST_WINDOW: the worker is not a pager to spam."""


@transaction.atomic
def channel_test(*, channel: NotificationChannel) -> NotificationDelivery:
    """Queue a test message to the channel (sent by the worker once this commits)."""
    recent = NotificationDelivery.objects.filter(
        channel__owner_id=channel.owner_id,
        kind=DeliveryKind.TEST,
        created_at__gte=timezone.now() - TEST_WINDOW,
    ).count()
    if recent >= TESTS_PER_WINDOW:
        minutes = TEST_WINDOW.seconds // 60
        raise TooManyTests(
            ngettext(
                "You sent %(count)d test in the last %(minutes)d minutes; "
                "wait a few minutes before the next.",
                "You sent %(count)d tests in the last %(minutes)d minutes; "
                "wait a few minutes before the next.",
                recent,
            )
            % {"count": recent, "minutes": minutes}
        )
    delivery = NotificationDelivery.objects.create(
        channel=channel, kind=DeliveryKind.TEST, key=f"test:{uuid.uuid4().hex}"
    )
    outbox_send(task=DELIVER_TASK, args=[delivery.pk])
    return delivery


def latest_tests(channels: list[NotificationChannel]) -> dict[int, NotificationDelivery]:
    """The newest test of each channel, by channel id: one query."""
    found: dict[int, NotificationDelivery] = {}
    tests = NotificationDelivery.objects.filter(
        channel__in=channels, kind=DeliveryKind.TEST
    ).order_by("channel_id", "-created_at", "-id")
    for delivery in tests:
        found.setdefault(delivery.channel_id, delivery)
    return found


def delivery_state(delivery: NotificationDelivery) -> str:
    """queued, sending, sent, failed or empty; or stalled (no worker took it for a while),
    or interrupted (a send that lost its worker)."""
    now = timezone.now()
    if delivery.status == DeliveryStatus.QUEUED and now - delivery.created_at > STALLED_AFTER:
        return "stalled"
    if (
        delivery.status == DeliveryStatus.SENDING
        and delivery.started_at is not None
        and now - delivery.started_at > INTERRUPTED_AFTER
    ):
        return "interrupted"
    return str(delivery.status)


# A channel is failing when its last error is newer than its last success.
FAILING = Q(last_error_at__isnull=False) & (
    Q(last_success_at__isnull=True) | Q(last_error_at__gt=F("last_success_at"))
)


@dataclass(frozen=True)
class ChannelHealth:
    """For the status page: the owner's channels in trouble, and the instance's counts."""

    troubled: list[NotificationChannel]
    own: int
    total: int
    failing: int
    paused: int


def channel_health(*, owner: User) -> ChannelHealth:
    """Two queries: the owner's paused or failing channels, and counts for everyone."""
    troubled = list(
        NotificationChannel.objects.owned_by(owner)
        .filter(FAILING | Q(paused_at__isnull=False))
        .order_by("created_at", "id")
    )
    counts = NotificationChannel.objects.aggregate(
        own=Count("id", filter=Q(owner=owner)),
        total=Count("id"),
        failing=Count("id", filter=FAILING & Q(paused_at__isnull=True)),
        paused=Count("id", filter=Q(paused_at__isnull=False)),
    )
    return ChannelHealth(troubled=troubled, **counts)
