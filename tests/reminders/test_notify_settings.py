"""Settings → Notifications: channels as Apprise URLs, checked by Apprise, kept secret,
tested through the worker with the result on the row (in place with htmx, and without)."""

import datetime as dt
import logging
import subprocess
import sys
from pathlib import Path

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from crm.models import UserSettings
from reminders.models import DeliveryStatus, NotificationChannel, NotificationDelivery
from tests.factories import NotificationChannelFactory
from tests.reminders.endpoint import Endpoint
from tests.types import ClientResponse

PAGE = "/reminders/notifications/"
SECRET = "s3cr3t-b0t-t0ken"
TELEGRAM = f"tgram://123456789:{SECRET}/987654321"
HTMX = {"HX-Request": "true"}
ROOT = Path(__file__).resolve().parents[2]


def _add(client: Client, url: str, **fields: str) -> ClientResponse:
    data = {"name": "Phone", "url": url, "morning_message": "on", "send_hour": "8", **fields}
    return client.post(PAGE, data)


@pytest.mark.django_db
def test_the_settings_navigation_links_to_the_page(auth_client: Client) -> None:
    page = auth_client.get(reverse("settings")).content.decode()
    assert f'href="{PAGE}"' in page
    response = auth_client.get(PAGE)
    assert response.status_code == 200
    assert 'aria-current="page">Notifications' in response.content.decode()


@pytest.mark.django_db
def test_a_channel_is_saved_and_its_secret_never_shown_again(
    auth_client: Client, user: User, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    response = _add(auth_client, TELEGRAM, weekly_digest="on")
    assert response.status_code == 302
    channel = NotificationChannel.objects.get(owner=user)
    assert channel.url == TELEGRAM and channel.service == "Telegram"
    assert channel.morning_message and channel.weekly_digest and not channel.include_keep_in_touch
    for url in (PAGE, reverse("reminders:channel_edit", args=[channel.pk])):
        page = auth_client.get(url).content.decode()
        assert SECRET not in page and "ABC" not in page
        assert channel.url_hint in page and "Telegram" in page
    assert SECRET not in caplog.text


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("hello there", "no spaces"),
        ("not-an-address", "not an Apprise address"),
        ("foo://bar", "Apprise does not know foo://"),
        ("tgram://only-half", "missing something"),
        ("dbus://", "desktop of the server"),
        ("", "This field is required"),
    ],
)
@pytest.mark.django_db
def test_a_bad_address_gets_a_clear_message_and_nothing_is_saved(
    auth_client: Client, url: str, message: str
) -> None:
    response = _add(auth_client, url)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not NotificationChannel.objects.exists()


@pytest.mark.django_db
def test_editing_keeps_the_address_unless_a_new_one_is_given(
    auth_client: Client, user: User
) -> None:
    channel = NotificationChannelFactory(
        owner=user, url=TELEGRAM, paused_at=dt.datetime(2026, 12, 1, tzinfo=dt.UTC),
        pause_note="Paused", consecutive_failures=5, last_error="boom",
    )  # fmt: skip
    edit = reverse("reminders:channel_edit", args=[channel.pk])
    data = {"name": "Desk", "url": "", "weekly_digest": "on", "send_hour": "7"}
    assert auth_client.post(edit, data).status_code == 302
    channel.refresh_from_db()
    assert channel.url == TELEGRAM and channel.name == "Desk" and channel.send_hour == 7
    assert not channel.morning_message and channel.paused_at is not None
    # A new address starts afresh: the pause and the failures belonged to the old one.
    assert auth_client.post(edit, {**data, "url": "ntfy://fresh-topic"}).status_code == 302
    fresh = NotificationChannel.objects.get(pk=channel.pk)
    assert fresh.url == "ntfy://fresh-topic" and fresh.service == "ntfy"
    assert fresh.paused_at is None and fresh.consecutive_failures == 0
    assert fresh.last_error == ""
    # A bad new address is refused and the old one kept.
    response = auth_client.post(edit, {**data, "url": "tgram://x"})
    assert response.status_code == 200 and "missing something" in response.content.decode()
    channel.refresh_from_db()
    assert channel.url == "ntfy://fresh-topic"


@pytest.mark.django_db
def test_a_channel_can_be_removed(auth_client: Client, user: User) -> None:
    channel = NotificationChannelFactory(owner=user)
    response = auth_client.post(reverse("reminders:channel_delete", args=[channel.pk]))
    assert response.status_code == 302
    assert not NotificationChannel.objects.exists()


@pytest.mark.django_db
def test_a_test_is_sent_by_the_worker_and_its_result_shown_on_the_row_in_place(
    auth_client: Client,
    user: User,
    endpoint: Endpoint,
    django_capture_on_commit_callbacks: object,
) -> None:
    channel = NotificationChannelFactory(owner=user, name="Phone", url=endpoint.url())
    test_url = reverse("reminders:channel_test", args=[channel.pk])
    # Committed, the outbox hands the task to the (eager) worker.
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        response = auth_client.post(test_url, headers=HTMX)
    assert response.status_code == 200
    fragment = response.content.decode()
    assert "<html" not in fragment and 'id="channels"' in fragment
    assert "Test to “Phone” queued." in fragment
    [message] = endpoint.messages
    assert message["title"] == "Rapport: test message"
    assert "“Phone” will receive a message on the morning" in message["message"]
    page = auth_client.get(PAGE).content.decode()
    assert "Test\n        delivered at" in page or "delivered at" in page
    assert NotificationDelivery.objects.get().status == DeliveryStatus.SENT


@pytest.mark.django_db
def test_a_queued_test_polls_in_place_and_refreshes_without_javascript(
    auth_client: Client, user: User
) -> None:
    channel = NotificationChannelFactory(owner=user)
    response = auth_client.post(reverse("reminders:channel_test", args=[channel.pk]))
    assert response.status_code == 302  # without htmx: back to the page, which says so
    page = auth_client.get(PAGE).content.decode()
    assert "queued: waiting for the worker" in page
    assert 'hx-trigger="every 2s"' in page
    assert '<noscript><meta http-equiv="refresh" content="2"></noscript>' in page
    poll = auth_client.get(PAGE, headers=HTMX).content.decode()
    assert "<html" not in poll and 'id="channels"' in poll


@pytest.mark.django_db
def test_a_failed_test_shows_why_on_the_row(
    auth_client: Client,
    user: User,
    endpoint: Endpoint,
    django_capture_on_commit_callbacks: object,
) -> None:
    endpoint.status = 500
    channel = NotificationChannelFactory(owner=user, url=endpoint.url())
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        auth_client.post(reverse("reminders:channel_test", args=[channel.pk]))
    page = auth_client.get(PAGE).content.decode()
    assert "failed at" in page and "error=500" in page
    assert "The last send failed" in page


@pytest.mark.django_db
def test_a_paused_channel_says_why_and_can_be_resumed_in_place(
    auth_client: Client, user: User
) -> None:
    channel = NotificationChannelFactory(
        owner=user, paused_at=dt.datetime(2026, 12, 1, tzinfo=dt.UTC), consecutive_failures=5,
        pause_note="Paused after 5 failed sends in a row.",
    )  # fmt: skip
    page = auth_client.get(PAGE).content.decode()
    assert "Paused after 5 failed sends in a row." in page and "Resume" in page
    response = auth_client.post(
        reverse("reminders:channel_resume", args=[channel.pk]), headers=HTMX
    )
    assert response.status_code == 200 and "resumed" in response.content.decode()
    channel.refresh_from_db()
    assert channel.paused_at is None and channel.consecutive_failures == 0


@pytest.mark.django_db
def test_the_page_costs_the_same_queries_for_one_channel_or_many(
    auth_client: Client, user: User, django_assert_num_queries: object
) -> None:
    NotificationChannelFactory(owner=user)
    auth_client.get(PAGE)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as one:
        auth_client.get(PAGE)
    for _ in range(6):
        channel = NotificationChannelFactory(owner=user)
        NotificationDelivery.objects.create(channel=channel, kind="test", key=f"test:{channel.pk}")
    with CaptureQueriesContext(connection) as many:
        auth_client.get(PAGE)
    assert len(many) == len(one)


@pytest.mark.django_db
def test_a_person_keeps_at_most_twenty_channels(auth_client: Client, user: User) -> None:
    for _ in range(20):
        NotificationChannelFactory(owner=user)
    response = _add(auth_client, "ntfy://one-too-many")
    assert response.status_code == 200 and "the most Rapport keeps" in response.content.decode()
    assert NotificationChannel.objects.count() == 20


def test_the_web_process_loads_apprise_only_when_needed_and_apprise_logs_nothing() -> None:
    """Apprise and its plugins take about half a second to load: only forms and the worker
    pay. Once loaded, its own lines would quote URLs verbatim ("Unparseable Telegram URL
    tgram://…"): they must reach no log, even at DEBUG."""
    code = (
        "import sys, django; django.setup();"
        "from django.urls import resolve; resolve('/reminders/notifications/');"
        "import crm.wsgi; print('apprise' in sys.modules)\n"
        "from reminders.apprise_urls import BadChannelUrl, check_url, send\n"
        "try: check_url('tgram://leaked-secret-123/')\n"
        "except BadChannelUrl: print('refused')\n"
        "print(send('json://me:leaked-pw@127.0.0.1:9/leaked-path', title='t', body='b').ok)"
    )
    env = {"DJANGO_SETTINGS_MODULE": "tests.settings", "PATH": "/usr/bin:/bin"}
    env["LOG_LEVEL"] = "DEBUG"
    found = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, check=True
    )
    assert found.stdout.split() == ["False", "refused", "False"]
    assert "leaked" not in found.stderr + found.stdout


@pytest.mark.django_db
def test_the_status_page_shows_failing_and_paused_channels(
    auth_client: Client, user: User, other_user: User
) -> None:
    assert "You have no notification channel" in auth_client.get("/status/").content.decode()
    NotificationChannelFactory(owner=user, name="Fine phone")
    failed_at = dt.datetime(2026, 12, 2, 7, 0, tzinfo=dt.UTC)
    NotificationChannelFactory(
        owner=user, name="Old Telegram", service="Telegram", last_error_at=failed_at,
        last_error="Failed to send Telegram notification: Unauthorized, error=401.",
    )  # fmt: skip
    NotificationChannelFactory(
        owner=user, name="Dead webhook", paused_at=failed_at, last_error_at=failed_at,
        pause_note="Paused after 5 failed sends in a row.",
    )  # fmt: skip
    NotificationChannelFactory(owner=other_user, name="Mallory's pager", last_error_at=failed_at)
    page = auth_client.get("/status/").content.decode()
    assert "Old Telegram" in page and "Unauthorized, error=401." in page
    assert "Dead webhook" in page and "paused since" in page
    assert "Fine phone" not in page and "Mallory" not in page
    assert "On this instance" not in page  # the counts are the administrator's
    user.is_staff = True
    user.save()
    page = auth_client.get("/status/").content.decode()
    assert "On this instance: 4 channels, 2 failing, 1 paused." in page


@pytest.mark.django_db
def test_channels_and_their_secrets_stay_out_of_the_json_backup(user: User) -> None:
    from contacts.exporters import export_json

    NotificationChannelFactory(owner=user, name="Secret pager", url=TELEGRAM)
    backup = "".join(export_json(user))
    assert SECRET not in backup and "Secret pager" not in backup and "tgram" not in backup


@pytest.mark.django_db
def test_a_test_no_worker_takes_stops_polling_and_says_why(auth_client: Client, user: User) -> None:
    channel = NotificationChannelFactory(owner=user)
    delivery = NotificationDelivery.objects.create(channel=channel, kind="test", key="test:x")
    NotificationDelivery.objects.filter(pk=delivery.pk).update(
        created_at=delivery.created_at - dt.timedelta(minutes=3)
    )
    page = auth_client.get(PAGE).content.decode()
    assert "no worker has taken it" in page and "hx-trigger" not in page
    assert "<noscript><meta" not in page


@pytest.mark.django_db
def test_tests_are_limited_to_ten_in_ten_minutes(auth_client: Client, user: User) -> None:
    first, second = NotificationChannelFactory(owner=user), NotificationChannelFactory(owner=user)
    for n in range(10):
        channel = first if n % 2 else second
        auth_client.post(reverse("reminders:channel_test", args=[channel.pk]))
    url = reverse("reminders:channel_test", args=[first.pk])
    response = auth_client.post(url, headers=HTMX)
    assert response.status_code == 200
    assert "You sent 10 tests in the last 10 minutes" in response.content.decode()
    response = auth_client.post(url, follow=True)
    assert "wait a few minutes" in response.content.decode()
    assert NotificationDelivery.objects.count() == 10


@pytest.mark.django_db
def test_the_digest_day_reads_as_inside_a_sentence(client: Client, user: User) -> None:
    """French writes day names in lowercase mid-sentence ("le lundi"), while Settings lists
    its choices capitalised: the channel row uses the sentence form."""
    UserSettings.objects.update_or_create(user=user, defaults={"language": "fr"})
    NotificationChannelFactory(owner=user, weekly_digest=True, morning_message=False)
    client.force_login(user)
    page = client.get(reverse("reminders:notifications")).content.decode()
    assert "hebdomadaire le lundi," in page
