"""Reminders since 0.1.0: notification channels (their addresses, which carry bot tokens
and passwords, encrypted at rest) with their deliveries, and the introduction-waiting
reminder kind.

No release had channels before their addresses were encrypted, so no row needs
encrypting here; `manage.py encrypt_secrets` re-encrypts any row with the current key.
"""

import crm.encryption
import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    replaces = [
        ("reminders", "0003_notification_channels"),
        ("reminders", "0004_introduction_waiting_kind"),
        ("reminders", "0005_notification_channel_url_encrypted"),
    ]

    dependencies = [
        ("reminders", "0002_scan_trigger_catch_up"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="NotificationChannel",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("name", models.CharField(max_length=100)),
                ("url", crm.encryption.EncryptedTextField()),
                ("url_hint", models.CharField(max_length=300)),
                ("service", models.CharField(max_length=100)),
                ("weekly_digest", models.BooleanField(default=True)),
                ("morning_message", models.BooleanField(default=True)),
                ("include_keep_in_touch", models.BooleanField(default=False)),
                ("send_hour", models.PositiveSmallIntegerField(default=8)),
                ("created_at", models.DateTimeField(auto_now_add=True)),
                ("last_success_at", models.DateTimeField(blank=True, null=True)),
                ("last_error", models.TextField(blank=True)),
                ("last_error_at", models.DateTimeField(blank=True, null=True)),
                ("consecutive_failures", models.PositiveIntegerField(default=0)),
                ("paused_at", models.DateTimeField(blank=True, null=True)),
                ("pause_note", models.CharField(blank=True, max_length=500)),
                (
                    "owner",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="notification_channels",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={
                "ordering": ["created_at", "id"],
            },
        ),
        migrations.CreateModel(
            name="NotificationDelivery",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "kind",
                    models.CharField(
                        choices=[
                            ("test", "Test message"),
                            ("digest", "Weekly digest"),
                            ("morning", "Morning message"),
                        ],
                        max_length=10,
                    ),
                ),
                ("key", models.CharField(max_length=64)),
                (
                    "status",
                    models.CharField(
                        choices=[
                            ("queued", "Queued"),
                            ("sending", "Sending"),
                            ("sent", "Sent"),
                            ("failed", "Failed"),
                            ("empty", "Nothing to send"),
                        ],
                        default="queued",
                        max_length=10,
                    ),
                ),
                ("attempts", models.PositiveSmallIntegerField(default=0)),
                ("reminder_ids", models.JSONField(blank=True, default=list)),
                ("error", models.TextField(blank=True)),
                ("created_at", models.DateTimeField(auto_now_add=True)),
                ("started_at", models.DateTimeField(blank=True, null=True)),
                ("finished_at", models.DateTimeField(blank=True, null=True)),
                (
                    "channel",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="deliveries",
                        to="reminders.notificationchannel",
                    ),
                ),
            ],
            options={
                "ordering": ["-created_at", "-id"],
                "constraints": [
                    models.UniqueConstraint(
                        fields=("channel", "key"), name="delivery_once_per_channel"
                    )
                ],
            },
        ),
        migrations.AlterField(
            model_name="reminder",
            name="kind",
            field=models.CharField(
                choices=[
                    ("job_change", "Job change"),
                    ("promotion", "Promotion"),
                    ("work_anniversary", "Work anniversary"),
                    ("birthday", "Birthday"),
                    ("keep_in_touch", "Keep in touch"),
                    ("custom", "Custom date"),
                    ("introduction", "Introduction waiting"),
                ],
                max_length=20,
            ),
        ),
    ]
