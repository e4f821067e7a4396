"""Per-user preferences that several apps read, and the base of issued secrets."""

import hashlib
import secrets
from datetime import date
from typing import Self
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import formats, translation
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from contacts.models import TrustLevel


class Weekday(models.IntegerChoices):
    # A context of their own: the plain names are the ones dates use (crm/formats/names.py).
    MONDAY = 0, pgettext_lazy("day of the week", "Monday")
    TUESDAY = 1, pgettext_lazy("day of the week", "Tuesday")
    WEDNESDAY = 2, pgettext_lazy("day of the week", "Wednesday")
    THURSDAY = 3, pgettext_lazy("day of the week", "Thursday")
    FRIDAY = 4, pgettext_lazy("day of the week", "Friday")
    SATURDAY = 5, pgettext_lazy("day of the week", "Saturday")
    SUNDAY = 6, pgettext_lazy("day of the week", "Sunday")


def validate_time_zone(value: str) -> None:
    try:
        ZoneInfo(value)
    except (KeyError, ValueError):
        raise ValidationError(
            gettext("“%(value)s” is not a known time zone, e.g. Europe/Berlin.") % {"value": value}
        ) from None


def validate_language(value: str) -> None:
    if value and value not in dict(settings.LANGUAGES):
        raise ValidationError(
            gettext("“%(value)s” is not a language Rapport speaks.") % {"value": value}
        )


def first_weekday_of(language: str) -> int:
    """The first day of the week (0 Monday … 6 Sunday) where this language is used."""
    with translation.override(language):
        # Django counts from Sunday (0), Python's weekday() from Monday (0).
        return (int(formats.get_format("FIRST_DAY_OF_WEEK")) - 1) % 7


def default_time_zone() -> str:
    return settings.TIME_ZONE


class UserSettings(models.Model):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="rapport_settings"
    )
    time_zone = models.CharField(
        max_length=64, default=default_time_zone, validators=[validate_time_zone]
    )
    # None: the first day of the week where the person's language is spoken (`first_weekday`).
    week_start = models.PositiveSmallIntegerField(
        choices=Weekday.choices, null=True, blank=True, default=None
    )
    # One of settings.LANGUAGES; "" until chosen, when pages follow the browser's language
    # and background work (digest, notifications, calendar feed) uses English.
    language = models.CharField(
        max_length=10, blank=True, default="", validators=[validate_language]
    )

    # Keep-in-touch cadences in days per trust level; None means "don't remind me".
    cadence_close = models.PositiveIntegerField(null=True, blank=True, default=30)
    cadence_know_well = models.PositiveIntegerField(null=True, blank=True, default=90)
    cadence_acquaintance = models.PositiveIntegerField(null=True, blank=True, default=180)
    cadence_met = models.PositiveIntegerField(null=True, blank=True, default=None)
    cadence_following = models.PositiveIntegerField(null=True, blank=True, default=None)
    cadence_unrated = models.PositiveIntegerField(null=True, blank=True, default=None)

    # Work anniversaries: the listed years, then every `milestone_every` years after the last.
    milestone_years = models.CharField(max_length=100, default="1,5,10")
    milestone_every = models.PositiveSmallIntegerField(default=5)

    # `following` contacts raise no occasions and stay off the dashboard unless opted in.
    remind_following = models.BooleanField(default=False)

    # The trust gate of double opt-in introductions: both people at least this close.
    introduction_min_trust = models.CharField(
        _("who can be introduced"),
        max_length=20,
        choices=[
            (TrustLevel.CLOSE, _("Only people I'm close to")),
            (TrustLevel.KNOW_WELL, _("People I know well or closer")),
            (TrustLevel.ACQUAINTANCE, _("Acquaintances or closer")),
            (TrustLevel.MET, _("Anyone I've met (and people not rated yet)")),
        ],
        default=TrustLevel.KNOW_WELL,
    )

    digest_enabled = models.BooleanField(default=True)
    digest_weekday = models.PositiveSmallIntegerField(
        choices=Weekday.choices, default=Weekday.MONDAY
    )

    # Note templates per reminder kind that the user has edited; missing kinds use defaults.
    note_templates = models.JSONField(default=dict, blank=True)

    # Who the notes come from: the name and sign-off the note templates use instead of
    # the username. Asked once, on the first visit to the dashboard (`sender_asked`).
    display_name = models.CharField(_("your name"), max_length=100, blank=True)
    signature = models.TextField(max_length=500, blank=True)
    sender_asked = models.BooleanField(default=False)

    # Secret for the private calendar feed; None while the feed is off.
    calendar_token = models.CharField(max_length=64, null=True, blank=True, unique=True)

    class Meta:
        verbose_name_plural = _("user settings")

    def __str__(self) -> str:
        return f"Settings of {self.user}"

    @classmethod
    def for_user(cls, user: User) -> "UserSettings":
        found, _created = cls.objects.get_or_create(user=user)
        return found

    @property
    def sender_name(self) -> str:
        """The name notes are signed with: the display name, else first name, else username."""
        return self.display_name.strip() or self.user.first_name or self.user.get_username()

    @property
    def first_weekday(self) -> int:
        """0 for Monday … 6 for Sunday: chosen in Settings, else the language's custom.

        Before a language is chosen, Monday, as it always was.
        """
        if self.week_start is not None:
            return self.week_start
        return first_weekday_of(self.language) if self.language else Weekday.MONDAY

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.time_zone)

    def cadence_for(self, trust_level: str | None) -> int | None:
        fields: dict[str | None, str] = {
            TrustLevel.CLOSE: "cadence_close",
            TrustLevel.KNOW_WELL: "cadence_know_well",
            TrustLevel.ACQUAINTANCE: "cadence_acquaintance",
            TrustLevel.MET: "cadence_met",
            TrustLevel.FOLLOWING: "cadence_following",
        }
        return getattr(self, fields.get(trust_level, "cadence_unrated"))

    def cadences(self) -> dict[str | None, int | None]:
        levels: list[str | None] = [*TrustLevel.values, None]
        return {level: self.cadence_for(level) for level in levels}

    def milestones(self) -> tuple[list[int], int]:
        years = sorted({int(part) for part in self.milestone_years.split(",") if part.strip()})
        return years, self.milestone_every

    def today(self) -> date:
        from django.utils import timezone

        return timezone.now().astimezone(self.zone).date()


class TaskMessage(models.Model):
    """A task on its way to the worker: the outbox (crm/outbox.py).

    Written in the same transaction as the change that needs the task, so the
    change and "tell the worker" are saved together or not at all; the row is
    deleted once the broker has accepted the message. While the broker is
    down the rows wait here and are sent by the periodic flush.
    """

    task = models.CharField(max_length=200)
    args = models.JSONField(default=list)
    # task and args together, so a second request for the same work adds no second row.
    key = models.CharField(max_length=255, db_index=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    # A sender claims a row until this time; a sender that died leaves it to the next flush.
    claimed_until = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveIntegerField(default=0)
    last_error = models.TextField(blank=True)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.task}{tuple(self.args)}"


class IssuedSecret(models.Model):
    """A secret handed to a device or a script (an app password, an access token).

    Shown once when issued and stored only as a SHA-256 digest: the secrets are long
    random strings, so a slow password hash would add nothing but latency to every
    request that presents one. Subclasses add what the secret may do (scopes, a device).
    """

    # Subclasses may override: how the plain secret starts, so a leaked one is recognisable.
    secret_prefix = ""
    # What `find` joins to the secret (the owner, and whatever else its callers read).
    found_with: tuple[str, ...] = ("owner",)

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="%(app_label)s_%(class)ss"
    )
    name = models.CharField(max_length=100)
    # The first characters of the secret, to tell secrets apart in a list.
    hint = models.CharField(max_length=16)
    digest = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        abstract = True
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.hint}…)"

    @staticmethod
    def digest_of(secret: str) -> str:
        return hashlib.sha256(secret.encode()).hexdigest()

    @classmethod
    def new_secret(cls) -> str:
        return cls.secret_prefix + secrets.token_urlsafe(30)

    @classmethod
    def issue(cls, *, owner: User, name: str, **fields: object) -> "tuple[Self, str]":
        """Create one; returns it and the plain secret, which is never stored."""
        secret = cls.new_secret()
        issued = cls._default_manager.create(
            owner=owner,
            name=name,
            hint=secret[: len(cls.secret_prefix) + 4],
            digest=cls.digest_of(secret),
            **fields,
        )
        return issued, secret

    @classmethod
    def find(cls, secret: str) -> "Self | None":
        """The live secret matching `secret`, with its owner, or None."""
        if not secret or len(secret) > 200:
            return None
        try:
            return cls._default_manager.select_related(*cls.found_with).get(
                digest=cls.digest_of(secret), owner__is_active=True
            )
        except cls.DoesNotExist:
            return None

    def mark_used(self) -> None:
        """Record use, at most once a minute, so a busy client costs no write per request."""
        from django.utils import timezone

        now = timezone.now()
        if self.last_used_at is None or (now - self.last_used_at).total_seconds() >= 60:
            type(self)._default_manager.filter(pk=self.pk).update(last_used_at=now)
            self.last_used_at = now
