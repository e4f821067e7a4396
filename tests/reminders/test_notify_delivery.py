"""Reminders on the user's channels, delivered by Apprise to a real local HTTP endpoint.

What arrives (who to congratulate, with links to draft a note), when (the morning in the
user's time zone, the digest day), and that nothing arrives twice: not on a second run
of the schedule, not on a task retry, not after a worker died mid-send.
"""

import datetime as dt
import logging

import pytest
import time_machine
from django.contrib.auth.models import User
from django.db import OperationalError
from django.test import Client

from contacts.models import CareerMove, Contact, TrustLevel
from crm.models import UserSettings
from reminders import notify, notify_messages
from reminders.models import (
    DeliveryKind,
    DeliveryStatus,
    NotificationChannel,
    NotificationDelivery,
    Reminder,
    ReminderKind,
)
from reminders.tasks import deliver_notification, send_due_notifications
from tests.factories import (
    ContactFactory,
    NotificationChannelFactory,
    PositionFactory,
)
from tests.reminders.endpoint import Endpoint, closed_port

THURSDAY = dt.date(2026, 12, 3)
# 09:00 UTC on Thursday: past the default send hour (08:00) for a user on UTC.
MORNING = dt.datetime(2026, 12, 3, 9, 0, tzinfo=dt.UTC)
MONDAY_MORNING = dt.datetime(2026, 11, 30, 9, 0, tzinfo=dt.UTC)


def _channel(user: User, endpoint: Endpoint, **fields: object) -> NotificationChannel:
    url = endpoint.url()
    return NotificationChannelFactory(owner=user, url=url, url_hint=url, **fields)


@pytest.fixture
def ada(user: User) -> Contact:
    """Birthday today (Thursday), and a new job that started today."""
    ada = ContactFactory(
        owner=user,
        first_name="Ada",
        last_name="Lovelace",
        birthday_year=1986,
        birthday_month=12,
        birthday_day=3,
    )
    PositionFactory(
        contact=ada, company="Analytical Engines", title="CTO", start_date=THURSDAY,
        move=CareerMove.JOB_CHANGE,
    )  # fmt: skip
    return ada


@pytest.mark.django_db
@time_machine.travel(MORNING, tick=False)
def test_it_sends_the_mornings_occasions_with_links_to_draft_a_note(
    user: User, ada: Contact, endpoint: Endpoint
) -> None:
    ContactFactory(owner=user, first_name="Tomorrow", birthday_month=12, birthday_day=4)
    channel = _channel(user, endpoint, weekly_digest=False)
    assert send_due_notifications() == 1
    [message] = endpoint.messages
    assert message["title"] == "Today: 2 people to congratulate or catch up with"
    body = message["message"]
    assert "Ada Lovelace — Birthday (turns 40)" in body
    assert "Ada Lovelace — New job: CTO at Analytical Engines" in body
    assert "Tomorrow" not in body
    delivery = NotificationDelivery.objects.get(channel=channel)
    assert delivery.key == "morning:2026-12-03" and delivery.status == DeliveryStatus.SENT
    assert len(delivery.reminder_ids) == 2
    for reminder_id in delivery.reminder_ids:
        assert f"?focus={reminder_id}&" in body and f"#reminder-{reminder_id}\n" in body
    channel.refresh_from_db()
    assert channel.last_success_at is not None and channel.consecutive_failures == 0


@pytest.mark.django_db
def test_nothing_is_sent_twice_by_a_second_run_a_retry_or_a_duplicate_task(
    user: User, ada: Contact, endpoint: Endpoint
) -> None:
    channel = _channel(user, endpoint, weekly_digest=False)
    with time_machine.travel(MORNING, tick=False):
        assert send_due_notifications() == 1
        # The next quarter hour's run finds the morning sent; a duplicate task finds it too.
        assert send_due_notifications() == 0
        delivery = NotificationDelivery.objects.get(channel=channel)
        assert deliver_notification(delivery.pk) == "sent"
    with time_machine.travel(MORNING + dt.timedelta(hours=10), tick=False):
        assert send_due_notifications() == 0
    assert len(endpoint.received) == 1
    assert NotificationDelivery.objects.count() == 1


@pytest.mark.django_db
@time_machine.travel(MORNING, tick=False)
def test_a_retry_after_the_send_does_not_send_again(
    user: User, ada: Contact, endpoint: Endpoint, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The database fails after Apprise sent: Celery retries, and the claim stops a resend."""
    _channel(user, endpoint, weekly_digest=False)
    [delivery_id] = notify.due_deliveries()

    def database_gone(*args: object) -> None:
        raise OperationalError("the database went away")

    with monkeypatch.context() as patch:
        patch.setattr(notify, "_record", database_gone)
        with pytest.raises(OperationalError):
            notify.deliver(delivery_id)
    assert len(endpoint.received) == 1
    # The retry (and every later run) finds the delivery claimed: nothing more goes out.
    assert notify.deliver(delivery_id) == "sending"
    assert notify.due_deliveries() == []
    assert len(endpoint.received) == 1


@pytest.mark.django_db
@time_machine.travel(MORNING, tick=False)
def test_a_send_cut_short_by_a_dead_worker_is_not_repeated_and_says_so(
    user: User, ada: Contact, endpoint: Endpoint, auth_client: object
) -> None:
    channel = _channel(user, endpoint)
    delivery = NotificationDelivery.objects.create(
        channel=channel,
        kind=DeliveryKind.TEST,
        key="test:cut-short",
        status=DeliveryStatus.SENDING,
        started_at=MORNING - dt.timedelta(minutes=30),
    )
    assert notify.deliver(delivery.pk) == "sending"
    assert endpoint.received == []
    page = auth_client.get("/reminders/notifications/")  # type: ignore[attr-defined]
    assert "was interrupted" in page.content.decode()


@pytest.mark.django_db
def test_the_morning_follows_the_users_time_zone(user: User, endpoint: Endpoint) -> None:
    prefs = UserSettings.for_user(user)
    prefs.time_zone = "Asia/Tokyo"
    prefs.save()
    ContactFactory(owner=user, first_name="Kenji", birthday_month=12, birthday_day=4)
    _channel(user, endpoint, weekly_digest=False, send_hour=8)
    # 22:30 UTC on the 3rd is 07:30 on the 4th in Tokyo: not yet.
    with time_machine.travel(dt.datetime(2026, 12, 3, 22, 30, tzinfo=dt.UTC), tick=False):
        assert send_due_notifications() == 0
    # 23:15 UTC is 08:15 in Tokyo on the 4th: Kenji's birthday, while it is still the 3rd in UTC.
    with time_machine.travel(dt.datetime(2026, 12, 3, 23, 15, tzinfo=dt.UTC), tick=False):
        assert send_due_notifications() == 1
    [message] = endpoint.messages
    assert message["title"] == "Today: Kenji " + Contact.objects.get().last_name
    assert NotificationDelivery.objects.get().key == "morning:2026-12-04"


@pytest.mark.django_db
def test_a_career_move_noticed_late_is_named_once(user: User, endpoint: Endpoint) -> None:
    grace = ContactFactory(owner=user, first_name="Grace", last_name="Hopper")
    _channel(user, endpoint, weekly_digest=False)
    with time_machine.travel(MORNING, tick=False):
        # Imported today, started four days ago: the day itself was missed.
        PositionFactory(
            contact=grace, company="Navy", title="Rear Admiral", move=CareerMove.PROMOTION,
            start_date=THURSDAY - dt.timedelta(days=4),
        )  # fmt: skip
        send_due_notifications()
    with time_machine.travel(MORNING + dt.timedelta(days=1), tick=False):
        send_due_notifications()
    assert len(endpoint.received) == 1
    assert "Grace Hopper — Promoted: Rear Admiral at Navy" in endpoint.messages[0]["message"]
    assert NotificationDelivery.objects.filter(status=DeliveryStatus.EMPTY).count() == 1


@pytest.mark.django_db
@time_machine.travel(MORNING, tick=False)
def test_keep_in_touch_is_left_out_unless_the_channel_asks_for_it(
    user: User, endpoint: Endpoint
) -> None:
    ContactFactory(
        owner=user, first_name="Barbara", last_name="Liskov", keep_in_touch_days=30,
        last_interaction_on=THURSDAY - dt.timedelta(days=30),
    )  # fmt: skip
    quiet = _channel(user, endpoint, weekly_digest=False)
    assert notify.deliver(notify.due_deliveries()[0]) == "empty"
    quiet.include_keep_in_touch = True
    quiet.save()
    NotificationDelivery.objects.all().delete()
    send_due_notifications()
    assert Reminder.objects.get().kind == ReminderKind.KEEP_IN_TOUCH
    [message] = endpoint.messages
    assert "Barbara Liskov — Time to get back in touch" in message["message"]


@pytest.mark.django_db
def test_the_weekly_digest_goes_out_once_on_the_digest_day(
    user: User, ada: Contact, endpoint: Endpoint
) -> None:
    channel = _channel(user, endpoint, morning_message=False)
    with time_machine.travel(MONDAY_MORNING - dt.timedelta(hours=2), tick=False):
        assert send_due_notifications() == 0  # 07:00: before the channel's hour
    with time_machine.travel(MONDAY_MORNING, tick=False):
        assert send_due_notifications() == 1
        assert send_due_notifications() == 0
    with time_machine.travel(MONDAY_MORNING + dt.timedelta(days=1), tick=False):
        assert send_due_notifications() == 0
    [message] = endpoint.messages
    assert message["title"] == "Who to congratulate this week: 2 to keep up with"
    assert (
        "BIRTHDAYS" in message["message"]
        and "Ada Lovelace — Birthday (turns 40)" in (message["message"])
    )
    assert "https://rapport.example.com/reminders/" in message["message"]
    assert NotificationDelivery.objects.get(channel=channel).key == "digest:2026-11-30"


@pytest.mark.django_db
@time_machine.travel(MORNING, tick=False)
def test_a_failing_endpoint_is_shown_on_the_row_retried_then_paused(
    user: User, ada: Contact, endpoint: Endpoint
) -> None:
    endpoint.status = 500
    channel = _channel(user, endpoint, weekly_digest=False)
    for attempt in range(1, notify.PAUSE_AFTER + 1):
        assert send_due_notifications() == 1
        channel.refresh_from_db()
        assert channel.consecutive_failures == attempt
    assert "error=500" in channel.last_error
    assert channel.paused_at is not None and "5 failed sends in a row" in channel.pause_note
    delivery = NotificationDelivery.objects.get()
    assert delivery.status == DeliveryStatus.FAILED and delivery.attempts == notify.PAUSE_AFTER
    # Paused: the schedule leaves it alone.
    assert send_due_notifications() == 0
    assert len(endpoint.received) == notify.PAUSE_AFTER


@pytest.mark.django_db
@time_machine.travel(MORNING, tick=False)
def test_a_closed_port_is_an_error_on_the_row_without_the_secret(
    user: User, ada: Contact, caplog: pytest.LogCaptureFixture
) -> None:
    url = f"json://rapport:hunter2secret@127.0.0.1:{closed_port()}/hook?token=tok3nsecret"
    channel = NotificationChannelFactory(owner=user, url=url, weekly_digest=False)
    caplog.set_level(logging.DEBUG)
    send_due_notifications()
    channel.refresh_from_db()
    assert "Connection error" in channel.last_error
    assert channel.consecutive_failures == 1 and channel.paused_at is None
    for secret in ("hunter2secret", "tok3nsecret"):
        assert secret not in caplog.text
        assert secret not in channel.last_error
    assert f"notification channel {channel.pk}" in caplog.text


@pytest.mark.django_db
@time_machine.travel(MORNING, tick=False)
def test_a_success_clears_the_failure_count(user: User, ada: Contact, endpoint: Endpoint) -> None:
    channel = _channel(user, endpoint, weekly_digest=False, consecutive_failures=3)
    send_due_notifications()
    channel.refresh_from_db()
    assert channel.consecutive_failures == 0 and channel.paused_at is None


@pytest.mark.django_db
@time_machine.travel(MORNING, tick=False)
def test_ntfy_urls_deliver_too(user: User, ada: Contact, endpoint: Endpoint) -> None:
    url = endpoint.url("ntfy", "/rapport-topic")
    NotificationChannelFactory(owner=user, url=url, weekly_digest=False)
    send_due_notifications()
    [received] = endpoint.received
    payload = received.json()
    assert payload["topic"] == "rapport-topic"
    assert "Ada Lovelace — Birthday (turns 40)" in payload["message"]


@pytest.mark.django_db
@time_machine.travel(MORNING, tick=False)
def test_inactive_users_and_channels_without_choices_get_nothing(
    user: User, ada: Contact, endpoint: Endpoint
) -> None:
    _channel(user, endpoint, weekly_digest=False, morning_message=False)
    assert send_due_notifications() == 0
    _channel(user, endpoint, weekly_digest=False)
    user.is_active = False
    user.save()
    assert send_due_notifications() == 0
    assert endpoint.received == []


@pytest.mark.django_db
@time_machine.travel(MORNING, tick=False)
def test_scheduling_costs_the_same_queries_for_one_channel_or_many(
    user: User, endpoint: Endpoint, django_assert_max_num_queries: object
) -> None:
    for _ in range(8):
        _channel(user, endpoint)
    with django_assert_max_num_queries(4):  # type: ignore[operator]
        assert len(notify.due_deliveries()) == 8


@pytest.mark.django_db
def test_old_delivery_records_are_forgotten(user: User, endpoint: Endpoint) -> None:
    channel = _channel(user, endpoint)
    with time_machine.travel(MORNING - dt.timedelta(days=61), tick=False):
        NotificationDelivery.objects.create(channel=channel, kind="morning", key="morning:old")
    with time_machine.travel(MORNING - dt.timedelta(days=59), tick=False):
        NotificationDelivery.objects.create(channel=channel, kind="morning", key="morning:kept")
    with time_machine.travel(MORNING, tick=False):
        assert notify.forget_old_deliveries() == 1
    assert list(NotificationDelivery.objects.values_list("key", flat=True)) == ["morning:kept"]


@pytest.mark.django_db
@time_machine.travel(MORNING, tick=False)
def test_every_draft_link_opens_its_reminder_ready_to_draft(
    user: User, ada: Contact, endpoint: Endpoint, auth_client: Client
) -> None:
    """Late career moves, the 15th birthday of the day, someone only followed: all on screen."""
    prefs = UserSettings.for_user(user)
    prefs.remind_following = True
    prefs.save()
    for n in range(11):
        ContactFactory(owner=user, first_name=f"Twin{n}", birthday_month=12, birthday_day=3)
    fan = ContactFactory(
        owner=user, first_name="Fan", trust_level=TrustLevel.FOLLOWING, birthday_month=12,
        birthday_day=3,
    )  # fmt: skip
    PositionFactory(
        contact=ContactFactory(owner=user, first_name="Late"), move=CareerMove.JOB_CHANGE,
        start_date=THURSDAY - dt.timedelta(days=9),
    )  # fmt: skip
    _channel(user, endpoint, weekly_digest=False)
    send_due_notifications()
    body = endpoint.messages[0]["message"]
    links = [
        line.split("Draft a note: ")[1] for line in body.splitlines() if "Draft a note" in line
    ]
    assert len(links) == notify_messages.MORNING_LIMIT
    named = Reminder.objects.filter(pk__in=NotificationDelivery.objects.get().reminder_ids)
    assert named.count() == 15  # Ada twice, 11 twins, the fan, the late job change
    # Those a plain link to This week would miss: the last birthday of a long day (past
    # the first few of the group), the one only followed, the job change of last week.
    twins = named.filter(kind=ReminderKind.BIRTHDAY, contact__first_name__startswith="Twin")
    last_birthday = twins.order_by("-pk")[0]
    reminders = [last_birthday, *named.filter(contact__first_name__in=["Fan", "Late"])]
    assert len(reminders) == 3
    for reminder in reminders:
        url = notify_messages.draft_url(reminder)
        path = url.removeprefix("https://rapport.example.com")
        page = auth_client.get(path).content.decode()
        entry = page.split(f'id="reminder-{reminder.pk}"')
        assert len(entry) == 2, f"{reminder} is not on the page its link opens"
        assert f'name="reminder" value="{reminder.pk}"' in entry[1], "no Draft note button"
    assert fan.pk in {reminder.contact_id for reminder in reminders}
