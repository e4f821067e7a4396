"""Reminders raised from occasions, the notes drafted for them, and scan bookkeeping."""

from datetime import date

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from contacts.models import Contact, ContactChildQuerySet, Interaction, Position
from crm.encryption import EncryptedTextField
from crm.ownership import OwnedQuerySet


class ReminderKind(models.TextChoices):
    JOB_CHANGE = "job_change", _("Job change")
    PROMOTION = "promotion", _("Promotion")
    WORK_ANNIVERSARY = "work_anniversary", _("Work anniversary")
    BIRTHDAY = "birthday", _("Birthday")
    KEEP_IN_TOUCH = "keep_in_touch", _("Keep in touch")
    CUSTOM = "custom", _("Custom date")
    # A side of a double opt-in introduction has not answered for a week (issue 21).
    INTRODUCTION = "introduction", _("Introduction waiting")


# A job change or a promotion: the kinds a career move raises, grouped together everywhere.
CAREER_KINDS = (ReminderKind.JOB_CHANGE, ReminderKind.PROMOTION)


class ReminderStatus(models.TextChoices):
    OPEN = "open", pgettext_lazy("reminder status", "Open")
    SNOOZED = "snoozed", pgettext_lazy("reminder status", "Snoozed")
    DONE = "done", pgettext_lazy("reminder status", "Done")
    DISMISSED = "dismissed", _("Dismissed")


class CustomDate(models.Model):
    """A date worth remembering about a contact: one-off, or every year."""

    contact = models.ForeignKey(Contact, on_delete=models.CASCADE, related_name="custom_dates")
    label = models.CharField(max_length=100)
    date = models.DateField()
    yearly = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ContactChildQuerySet.as_manager()

    class Meta:
        ordering = ["date", "id"]

    def __str__(self) -> str:
        return f"{self.label} ({self.date})"


class Reminder(models.Model):
    """One instance of an occasion for one contact.

    `occasion_key` names the instance within its kind and contact (for example
    the year of a birthday, or the position and milestone of an anniversary),
    so the unique constraint makes storing the same occasion twice impossible.
    """

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reminders"
    )
    contact = models.ForeignKey(Contact, on_delete=models.CASCADE, related_name="reminders")
    kind = models.CharField(max_length=20, choices=ReminderKind.choices)
    occasion_key = models.CharField(max_length=64)
    due_on = models.DateField()
    status = models.CharField(
        max_length=20, choices=ReminderStatus.choices, default=ReminderStatus.OPEN
    )
    snoozed_until = models.DateField(null=True, blank=True)
    position = models.ForeignKey(
        Position, on_delete=models.CASCADE, null=True, blank=True, related_name="reminders"
    )
    custom_date = models.ForeignKey(
        CustomDate, on_delete=models.CASCADE, null=True, blank=True, related_name="reminders"
    )
    years = models.PositiveSmallIntegerField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    completed_at = models.DateTimeField(null=True, blank=True)

    objects = OwnedQuerySet.as_manager()

    class Meta:
        ordering = ["due_on", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["contact", "kind", "occasion_key"], name="reminder_unique_occasion"
            ),
        ]
        indexes = [
            models.Index(fields=["owner", "status", "due_on"], name="reminder_owner_status_due")
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} of {self.contact} on {self.due_on}"

    @property
    def introduction_id(self) -> int | None:
        """The introduction a waiting-introduction reminder is about (its key names it)."""
        if self.kind != ReminderKind.INTRODUCTION:
            return None
        parts = self.occasion_key.split(":")
        pk = parts[1] if len(parts) > 1 else ""
        return int(pk) if pk.isdecimal() and len(pk) < 19 else None

    def change_status(self, status: str, *, snoozed_until: date | None = None) -> None:
        """Move to `status`: done and dismissed record when; open and snoozed clear it."""
        self.status = status
        self.snoozed_until = snoozed_until
        finished = status in (ReminderStatus.DONE, ReminderStatus.DISMISSED)
        self.completed_at = timezone.now() if finished else None
        self.save(update_fields=["status", "snoozed_until", "completed_at"])


class NoteDraft(models.Model):
    """A personal note being written to a contact, usually for a reminder."""

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="note_drafts"
    )
    contact = models.ForeignKey(Contact, on_delete=models.CASCADE, related_name="note_drafts")
    reminder = models.ForeignKey(
        Reminder, on_delete=models.SET_NULL, null=True, blank=True, related_name="drafts"
    )
    subject = models.CharField(max_length=200, blank=True)
    body = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    # The *note sent* interaction logged when the user marked the note as sent.
    interaction = models.ForeignKey(
        Interaction, on_delete=models.SET_NULL, null=True, blank=True, related_name="note_drafts"
    )

    objects = OwnedQuerySet.as_manager()

    class Meta:
        ordering = ["-updated_at", "-id"]

    def __str__(self) -> str:
        return f"Note to {self.contact}"


class ScanTrigger(models.TextChoices):
    BEAT = "beat", _("Scheduled")
    COMMAND = "command", _("Command line")
    MANUAL = "manual", _("Run from the web")
    # A worker starting after a day without any scan: not evidence that beat runs.
    CATCH_UP = "catch_up", _("Catch-up at worker start")


class ScanRun(models.Model):
    """The heartbeat of the reminder scan: when it ran, for whom, and what it made."""

    trigger = models.CharField(max_length=20, choices=ScanTrigger.choices, default=ScanTrigger.BEAT)
    # None when the run covered every user.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    run_for = models.DateField(null=True, blank=True)
    started_at = models.DateTimeField()
    finished_at = models.DateTimeField(null=True, blank=True)
    users_scanned = models.PositiveIntegerField(default=0)
    reminders_created = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-started_at", "-id"]
        get_latest_by = "started_at"

    def __str__(self) -> str:
        return f"Scan at {self.started_at:%Y-%m-%d %H:%M}"


class DigestLog(models.Model):
    """Records that a user's weekly digest went out, so each week's is sent once."""

    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    week_start = models.DateField()
    sent_at = models.DateTimeField(auto_now_add=True)
    reminder_count = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["owner", "week_start"], name="digest_once_per_week"),
        ]

    def __str__(self) -> str:
        return f"Digest for {self.owner} week of {self.week_start}"


class NotificationChannel(models.Model):
    """Somewhere the user reads messages (ntfy, Telegram, Matrix, email…): an Apprise URL.

    The URL holds the channel's secrets (bot tokens, passwords), so it is shown in full
    only while it is typed: pages show `url_hint` (Apprise's own privacy form), logs
    never see it (reminders/channels.py), and the database holds it encrypted
    (crm/encryption.py). Sending happens in the worker (reminders/notify.py).
    """

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_channels"
    )
    name = models.CharField(max_length=100)
    url = EncryptedTextField()
    url_hint = models.CharField(max_length=300)
    service = models.CharField(max_length=100)
    weekly_digest = models.BooleanField(default=True)
    morning_message = models.BooleanField(default=True)
    include_keep_in_touch = models.BooleanField(default=False)
    # Local hour (the user's time zone) from which the morning message and the digest go out.
    send_hour = models.PositiveSmallIntegerField(default=8)
    created_at = models.DateTimeField(auto_now_add=True)
    last_success_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)
    last_error_at = models.DateTimeField(null=True, blank=True)
    consecutive_failures = models.PositiveIntegerField(default=0)
    # Set after too many failures in a row: nothing scheduled is sent until resumed.
    paused_at = models.DateTimeField(null=True, blank=True)
    pause_note = models.CharField(max_length=500, blank=True)

    objects = OwnedQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.name} ({self.service})"


class DeliveryKind(models.TextChoices):
    TEST = "test", _("Test message")
    DIGEST = "digest", _("Weekly digest")
    MORNING = "morning", _("Morning message")


class DeliveryStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    # Claimed and handed to Apprise: never sent again, even if the worker died here.
    SENDING = "sending", _("Sending")
    SENT = "sent", pgettext_lazy("delivery status", "Sent")
    FAILED = "failed", _("Failed")
    # Nothing was due: recorded so the same day or week is not looked at again.
    EMPTY = "empty", _("Nothing to send")


class DeliveryQuerySet(OwnedQuerySet["NotificationDelivery"]):
    owner_path = "channel__owner"


class NotificationDelivery(models.Model):
    """One message to one channel, keyed by what it is ("morning:2026-12-05").

    The unique (channel, key) row is the promise that the same thing is sent once:
    it is claimed (status "sending", committed) before Apprise is called, so a retry
    or a second scan finds it taken and sends nothing.
    """

    channel = models.ForeignKey(
        NotificationChannel, on_delete=models.CASCADE, related_name="deliveries"
    )
    kind = models.CharField(max_length=10, choices=DeliveryKind.choices)
    key = models.CharField(max_length=64)
    status = models.CharField(
        max_length=10, choices=DeliveryStatus.choices, default=DeliveryStatus.QUEUED
    )
    attempts = models.PositiveSmallIntegerField(default=0)
    # The reminders a morning message named, so a late career move is named once.
    reminder_ids = models.JSONField(default=list, blank=True)
    error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    objects = DeliveryQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["channel", "key"], name="delivery_once_per_channel"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.key} to channel {self.channel_id}"
