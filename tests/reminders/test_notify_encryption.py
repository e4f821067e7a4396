"""Notification channels' addresses are encrypted at rest (crm/encryption.py): the
database and its backups hold no bot token or password, the worker still sends, keys
can be rotated, and a lost key fails with a clear message instead of a crash."""

from io import StringIO

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from django.db import connection
from django.test import Client, override_settings

from crm.encryption import PREFIX
from reminders import notify
from reminders.models import DeliveryKind, NotificationChannel, NotificationDelivery
from tests.factories import NotificationChannelFactory
from tests.reminders.endpoint import Endpoint

pytestmark = pytest.mark.django_db

SECRET = "s3cr3t-b0t-t0ken"
TELEGRAM = f"tgram://123456789:{SECRET}/987654321"
PAGE = "/reminders/notifications/"


def _stored(channel: NotificationChannel) -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT url FROM reminders_notificationchannel WHERE id = %s", [channel.pk])
        return str(cursor.fetchone()[0])


def _store_plain(channel: NotificationChannel, url: str) -> None:
    """As a row written before encryption was introduced."""
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE reminders_notificationchannel SET url = %s WHERE id = %s", [url, channel.pk]
        )


def _test_message(channel: NotificationChannel) -> str:
    delivery = NotificationDelivery.objects.create(
        channel=channel, kind=DeliveryKind.TEST, key="test:1"
    )
    return notify.deliver(delivery.pk)


def test_an_address_saved_on_the_page_is_stored_encrypted(auth_client: Client, user: User) -> None:
    data = {"name": "Phone", "url": TELEGRAM, "morning_message": "on", "send_hour": "8"}
    assert auth_client.post(PAGE, data).status_code == 302
    channel = NotificationChannel.objects.get(owner=user)
    stored = _stored(channel)
    assert stored.startswith(PREFIX) and SECRET not in stored and "123456789" not in stored
    assert channel.url == TELEGRAM
    page = auth_client.get(PAGE).content.decode()
    assert SECRET not in page and channel.url_hint in page


def test_the_worker_sends_to_the_decrypted_address(user: User, endpoint: Endpoint) -> None:
    channel = NotificationChannelFactory(owner=user, url=endpoint.url(auth="user:pa55word@"))
    assert "pa55word" not in _stored(channel)
    assert _test_message(channel) == "sent"
    assert len(endpoint.messages) == 1


def test_a_row_stored_plain_still_reads_and_encrypt_secrets_encrypts_it(user: User) -> None:
    channel = NotificationChannelFactory(owner=user, url=TELEGRAM)
    _store_plain(channel, TELEGRAM)
    assert NotificationChannel.objects.get(pk=channel.pk).url == TELEGRAM
    call_command("encrypt_secrets", stdout=StringIO())
    assert _stored(channel).startswith(PREFIX) and SECRET not in _stored(channel)
    assert NotificationChannel.objects.get(pk=channel.pk).url == TELEGRAM


def test_a_dedicated_key_is_used_and_keys_can_be_rotated(user: User) -> None:
    with override_settings(FIELD_ENCRYPTION_KEYS=["old-key"]):
        channel = NotificationChannelFactory(owner=user, url=TELEGRAM)
    before = _stored(channel)
    with override_settings(FIELD_ENCRYPTION_KEYS=["new-key", " old-key"]):  # while rotating
        assert NotificationChannel.objects.get(pk=channel.pk).url == TELEGRAM
        out = StringIO()
        call_command("encrypt_secrets", stdout=out)
        assert "Encrypted 1 channel" in out.getvalue()
    assert _stored(channel) != before
    with override_settings(FIELD_ENCRYPTION_KEYS=["new-key"]):  # the old key may now go
        assert NotificationChannel.objects.get(pk=channel.pk).url == TELEGRAM
    # Not the SECRET_KEY's derivation: without the dedicated key it cannot be read.
    assert NotificationChannel.objects.get(pk=channel.pk).url == ""


def test_a_lost_key_fails_the_send_with_a_message_and_the_page_still_loads(
    auth_client: Client, user: User, caplog: pytest.LogCaptureFixture
) -> None:
    with override_settings(FIELD_ENCRYPTION_KEYS=["a-key-since-lost"]):
        channel = NotificationChannelFactory(owner=user, url=TELEGRAM)
    assert auth_client.get(PAGE).status_code == 200
    assert _test_message(NotificationChannel.objects.get(pk=channel.pk)) == "failed"
    channel.refresh_from_db()
    assert "enter it again" in channel.last_error
    assert SECRET not in caplog.text and _stored(channel).startswith(PREFIX)
