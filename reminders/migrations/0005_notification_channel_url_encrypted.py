"""Notification channels' addresses (they carry bot tokens and passwords) encrypted at rest.

The field reads values written before this migration as they are (crm/encryption.py),
so encrypting the existing rows is a re-save of each; going back writes them plain.
"""

from typing import Any

from django.db import migrations

import crm.encryption


def encrypt_existing(apps: Any, schema_editor: Any) -> None:
    channel = apps.get_model("reminders", "NotificationChannel")
    for row in channel.objects.using(schema_editor.connection.alias).only("id", "url"):
        row.save(update_fields=["url"])  # read plain, written encrypted


def decrypt_existing(apps: Any, schema_editor: Any) -> None:
    channel = apps.get_model("reminders", "NotificationChannel")
    table = schema_editor.connection.ops.quote_name(channel._meta.db_table)
    rows = channel.objects.using(schema_editor.connection.alias).only("id", "url")
    with schema_editor.connection.cursor() as cursor:
        for row in rows:  # read decrypted; written as it is, past the field's encryption
            cursor.execute(f"UPDATE {table} SET url = %s WHERE id = %s", [row.url, row.pk])  # noqa: S608


class Migration(migrations.Migration):
    dependencies = [
        ("reminders", "0004_introduction_waiting_kind"),
    ]

    operations = [
        migrations.AlterField(
            model_name="notificationchannel",
            name="url",
            field=crm.encryption.EncryptedTextField(),
        ),
        migrations.RunPython(encrypt_existing, decrypt_existing, elidable=False),
    ]
