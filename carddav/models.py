"""Phone & computer sync over CardDAV: app passwords, who syncs, and one row per card."""

import secrets
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.db.models import Q

from contacts.models import UNRATED_LABEL, Contact, Tag, TrustLevel
from crm.models import IssuedSecret
from crm.ownership import OwnedQuerySet

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

# Trust levels as stored in SyncSettings.levels; "unrated" stands for NULL (not rated yet).
UNRATED = "unrated"
# The labels stay lazy: they are translated when a form shows them.
LEVEL_CHOICES: list[tuple[str, "StrOrPromise"]] = [
    (UNRATED, UNRATED_LABEL),
    *TrustLevel.choices,
]


def new_book() -> str:
    return secrets.token_hex(4)


def default_levels() -> list[str]:
    """Everyone you have met (or not rated yet), not the people you only follow."""
    return [value for value, _ in LEVEL_CHOICES if value != TrustLevel.FOLLOWING]


class AppPassword(IssuedSecret):
    """The password one device signs in with for CardDAV (never the account password)."""

    secret_prefix = "rapp_"  # noqa: S105 (how a leaked one is recognised, not a secret)

    objects = OwnedQuerySet.as_manager()

    class Meta(IssuedSecret.Meta):
        pass


class SyncSettings(models.Model):
    """Who syncs, and the account's change counter for sync tokens."""

    owner = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="sync_settings"
    )
    levels = models.JSONField(default=default_levels, blank=True)
    tags = models.ManyToManyField(Tag, blank=True, related_name="+")
    # Bumped for every change of the synced address book; a sync token names a value.
    seq = models.BigIntegerField(default=0)
    # Named by every sync token beside seq: the address book restored from a backup into
    # a new account has another, so a phone's token from before is refused (it syncs
    # afresh) rather than read against numbers that now mean other changes.
    book = models.CharField(max_length=16, default=new_book)
    # Contacts saved since this moment are looked at on the next sync: the start of the
    # oldest transaction open at the last look, less a margin (carddav/refresh.py).
    checked_at = models.DateTimeField(null=True, blank=True)
    # Look at every contact (the choice of who syncs changed, or nothing synced yet),
    # a bounded number per request, continuing after this contact id.
    needs_full = models.BooleanField(default=True)
    full_after = models.BigIntegerField(default=0)

    objects = OwnedQuerySet.as_manager()

    def __str__(self) -> str:
        return f"Sync settings of {self.owner}"


class Card(models.Model):
    """A contact as the address book shows it: its UID, resource name, ETag and what
    the phone sent that Rapport has no field for. Outlives its contact as a tombstone,
    so a sync token can still say the card went away."""

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="sync_cards"
    )
    contact = models.OneToOneField(
        Contact, null=True, blank=True, on_delete=models.SET_NULL, related_name="sync_card"
    )
    uid = models.CharField(max_length=255)
    # The last segment of the card's URL (phones choose it when they create a card).
    name = models.CharField(max_length=255)
    etag = models.CharField(max_length=64, blank=True)
    # SyncSettings.seq when the card last changed, appeared or went away.
    seq = models.BigIntegerField(default=0)
    present = models.BooleanField(default=True)
    # The contact's updated_at when the card was last compared with it: a contact saved
    # since (and only those) is looked at again. Every contact looked at gets a row; one
    # outside the chosen set has present=False.
    seen_updated_at = models.DateTimeField(null=True, blank=True)
    # Something the card shows changed without a save of the contact (an email, a tag, a
    # job, a photo: contacts.changes announces it, adding one to stale_mark). A sync looks
    # again at cards whose stale_mark is past seen_mark, the mark it read before reading
    # the contact: a change announced while it reads is looked at by the next one.
    stale_mark = models.PositiveIntegerField(default=0)
    seen_mark = models.PositiveIntegerField(default=0)
    # Created on a phone: stays in the address book whoever is chosen to sync.
    from_phone = models.BooleanField(default=False)
    # Deleted on a phone: out of the address book until the person restores it.
    deleted_on_phone_at = models.DateTimeField(null=True, blank=True)
    # vCard version the phone wrote, and the lines it sent for properties Rapport keeps
    # ({key: {"sig": digest of Rapport's own line, "lines": [...]}}): sent back as they
    # came while Rapport's value is unchanged (custom labels, name prefixes, ...).
    kept_version = models.CharField(max_length=5, blank=True)
    kept = models.JSONField(default=dict, blank=True)
    # Properties Rapport has no field for (addresses, nicknames, related names...).
    extra = models.TextField(blank=True)
    # {etag: the synced fields at that version}: the base of a three-way merge when a
    # phone writes a card it last saw at an older version.
    history = models.JSONField(default=dict, blank=True)
    # Values a phone sent that conflicted with a change made in Rapport.
    conflicts = models.JSONField(default=list, blank=True)

    objects = OwnedQuerySet.as_manager()

    class Meta:
        ordering = ["id"]
        indexes = [
            models.Index(fields=["owner", "seq"], name="card_owner_seq"),
            models.Index(
                fields=["owner"],
                condition=Q(present=True, contact__isnull=True),
                name="card_owner_orphaned",
            ),
            models.Index(
                fields=["owner"],
                condition=Q(stale_mark__gt=models.F("seen_mark")),
                name="card_owner_stale",
            ),
        ]
        constraints = [
            models.UniqueConstraint(fields=["owner", "uid"], name="card_unique_uid"),
            models.UniqueConstraint(fields=["owner", "name"], name="card_unique_name"),
        ]

    def __str__(self) -> str:
        return self.name
