"""People, what we know about them, and every interaction with them."""

from datetime import date

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

# Defined in contacts/source_records.py, relation_models.py and trust_levels.py,
# re-exported here.
from contacts.relation_models import Initiator
from contacts.relation_models import Introduction as Introduction
from contacts.relation_models import Promise as Promise
from contacts.relation_models import PromiseBy as PromiseBy
from contacts.source_records import ImportSource as ImportSource
from contacts.source_records import SourceRecord as SourceRecord
from contacts.trust_levels import TRUST_DESCRIPTIONS as TRUST_DESCRIPTIONS
from contacts.trust_levels import UNRATED_LABEL as UNRATED_LABEL
from contacts.trust_levels import TrustLevel as TrustLevel
from crm.ownership import OwnedQuerySet
from crm.urlcache import id_url


class ContactChildQuerySet(OwnedQuerySet):
    owner_path = "contact__owner"


class Tag(models.Model):
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="tags"
    )
    name = models.CharField(max_length=50)

    objects = OwnedQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["owner", "name"], name="tag_unique_per_owner")
        ]

    def __str__(self) -> str:
        return self.name


class Contact(models.Model):
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="contacts"
    )
    first_name = models.CharField(max_length=100, blank=True)
    last_name = models.CharField(max_length=100, blank=True)
    trust_level = models.CharField(
        max_length=20,
        choices=TrustLevel.choices,
        null=True,
        blank=True,
        help_text=_("How well you know them. Leave empty for “not rated yet”."),
    )

    # How we met: the story, when, and where; optionally who introduced us.
    how_we_met = models.TextField(blank=True)
    met_on = models.DateField(null=True, blank=True)
    met_at = models.CharField(_("place or event"), max_length=200, blank=True)
    introduced_by = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="introduced"
    )

    # Normalised to https://www.linkedin.com/in/<slug> (see contacts.normalize).
    linkedin_url = models.CharField(_("LinkedIn URL"), max_length=300, blank=True, db_index=True)

    # A birthday may be known without its year.
    birthday_year = models.PositiveSmallIntegerField(null=True, blank=True)
    birthday_month = models.PositiveSmallIntegerField(null=True, blank=True)
    birthday_day = models.PositiveSmallIntegerField(null=True, blank=True)

    notes = models.TextField(blank=True)
    # None: the default cadence of the trust level; 0: never remind; N: every N days.
    keep_in_touch_days = models.PositiveIntegerField(null=True, blank=True)
    # When LinkedIn says we connected. Connecting is not meeting.
    connected_on = models.DateField(null=True, blank=True)
    tags = models.ManyToManyField(Tag, blank=True, related_name="contacts")

    # The newest interaction and its day, kept right by
    # contacts.relationships.refresh_last_interaction in the same transaction as
    # every interaction write: lists and cards read "last talked" without walking
    # each person's history.
    last_interaction_on = models.DateField(null=True, blank=True)
    last_interaction = models.ForeignKey(
        "Interaction",
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # Bumped whenever the photo (ContactPhoto) changes: 0 = no photo. Faces read it with
    # the contact, so no list looks photos up, and photo URLs change with the picture.
    photo_version = models.PositiveIntegerField(default=0, editable=False)
    # Names, emails, phones, job, tags, notes for live search: search.reindex_contacts().
    search_text = models.TextField(blank=True, editable=False)

    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = OwnedQuerySet.as_manager()

    class Meta:
        ordering = ["last_name", "first_name", "id"]
        indexes = [
            models.Index(fields=["owner", "last_name", "first_name"], name="contact_owner_name"),
            models.Index(fields=["owner", "trust_level", "id"], name="contact_owner_trust_id"),
            models.Index(fields=["owner", "-created_at"], name="contact_owner_created"),
            models.Index(fields=["owner", "last_interaction_on"], name="contact_owner_last_int"),
            models.Index(fields=["owner", "updated_at"], name="contact_owner_updated"),
            # Losing touch finds the contacts that may be due per trust level by their
            # last interaction (reminders.keep_in_touch.due_contacts), not by a full scan.
            models.Index(
                fields=["owner", "trust_level", "last_interaction_on"],
                name="contact_owner_trust_last_int",
            ),
            models.Index(
                fields=["owner"],
                condition=Q(keep_in_touch_days__isnull=False),
                name="contact_owner_own_cadence",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~(Q(first_name="") & Q(last_name="")), name="contact_has_a_name"
            ),
            models.CheckConstraint(
                condition=Q(birthday_month__isnull=True)
                | (Q(birthday_month__gte=1) & Q(birthday_month__lte=12)),
                name="contact_birthday_month_valid",
            ),
        ]

    def __str__(self) -> str:
        return self.full_name

    def get_absolute_url(self) -> str:
        return id_url("contacts:detail", self.pk)

    @property
    def full_name(self) -> str:
        return " ".join(part for part in (self.first_name, self.last_name) if part)

    @property
    def trust_label(self) -> str:
        return TrustLevel.describe(self.trust_level)

    @property
    def trust_rank(self) -> int:
        return TrustLevel.rank(self.trust_level)

    @property
    def told_apart(self) -> str:
        """What tells them from someone of the same name: the current job, else an email,
        else (if someone has the same name) when they were added.
        Needs contacts.identity.with_identity()'s annotations."""
        company = getattr(self, "identity_company", None) or ""
        title = getattr(self, "identity_title", None) or ""
        if company or title:
            return job_phrase(title, company)
        email = getattr(self, "identity_email", None)
        if email:
            return str(email)
        if (getattr(self, "identity_namesakes", None) or 0) < 2:
            return ""
        added = timezone.localtime(self.created_at) if self.pk else timezone.localtime()
        return gettext("added %(date)s") % {"date": date_format(added, "j M Y")}

    @property
    def has_birthday(self) -> bool:
        return self.birthday_month is not None and self.birthday_day is not None

    @property
    def birthday_display(self) -> str:
        if self.birthday_month is None or self.birthday_day is None:
            return ""
        # Year 2000 is a leap year, so 29 February formats without a year too.
        day = date(self.birthday_year or 2000, self.birthday_month, self.birthday_day)
        return date_format(day, "j F Y" if self.birthday_year else "j F")


class NotDuplicate(models.Model):
    """Two contacts the owner said are different people (who share a name, say).

    Possible duplicates leaves the pair out for good, until the owner undoes it. Stored
    once per pair, the lower id first.
    """

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="not_duplicates"
    )
    first = models.ForeignKey(Contact, on_delete=models.CASCADE, related_name="+")
    second = models.ForeignKey(Contact, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = OwnedQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["first", "second"], name="not_duplicate_once"),
            models.CheckConstraint(
                condition=Q(first__lt=models.F("second")), name="not_duplicate_lower_id_first"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.first} is not {self.second}"


class ContactPhoto(models.Model):
    """A contact's face: a small JPEG re-encoded from an upload or a vCard PHOTO.

    Kept apart from Contact so lists never read the bytes; served owner-scoped by
    contacts:photo. Re-encoding drops whatever else the file carried (EXIF, location).
    """

    contact = models.OneToOneField(Contact, on_delete=models.CASCADE, related_name="photo")
    data = models.BinaryField()
    width = models.PositiveSmallIntegerField()
    height = models.PositiveSmallIntegerField()
    updated_at = models.DateTimeField(auto_now=True)

    objects = ContactChildQuerySet.as_manager()

    def __str__(self) -> str:
        return f"Photo of {self.contact}"


class ContactEmail(models.Model):
    contact = models.ForeignKey(Contact, on_delete=models.CASCADE, related_name="emails")
    # Stored lower-cased so imports can match on it.
    email = models.EmailField(max_length=254)
    label = models.CharField(max_length=30, blank=True)

    objects = ContactChildQuerySet.as_manager()

    class Meta:
        ordering = ["id"]
        indexes = [models.Index(fields=["email"], name="contactemail_email")]

    def __str__(self) -> str:
        return self.email


class ContactPhone(models.Model):
    contact = models.ForeignKey(Contact, on_delete=models.CASCADE, related_name="phones")
    number = models.CharField(max_length=40)
    label = models.CharField(max_length=30, blank=True)

    objects = ContactChildQuerySet.as_manager()

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return self.number


def job_phrase(title: str, company: str) -> str:
    """A job as every page and message names it: "Designer at Acme", else what is known."""
    if title and company:
        return gettext("%(title)s at %(company)s") % {"title": title, "company": company}
    return title or company


class PositionSource(models.TextChoices):
    ENTERED = "entered", _("Entered by hand")
    DETECTED = "detected", _("Detected by an import")
    IMPORTED = "imported", _("Imported")


class CareerMove(models.TextChoices):
    """What a new current position meant when it was recorded."""

    FIRST = "first", _("First known job")
    JOB_CHANGE = "job_change", _("Job change")
    PROMOTION = "promotion", _("Promotion")
    UNCHANGED = "unchanged", pgettext_lazy("career move", "Unchanged")


class Position(models.Model):
    """A job a contact held. An open end date means it is their current job."""

    contact = models.ForeignKey(Contact, on_delete=models.CASCADE, related_name="positions")
    company = models.CharField(max_length=200, blank=True)
    title = models.CharField(max_length=200, blank=True)
    start_date = models.DateField(null=True, blank=True)
    end_date = models.DateField(null=True, blank=True)
    source = models.CharField(
        max_length=20, choices=PositionSource.choices, default=PositionSource.ENTERED
    )
    # Job change or promotion: raises an occasion when the position is recent.
    move = models.CharField(max_length=20, choices=CareerMove.choices, default=CareerMove.FIRST)
    # The day an import noticed this job (LinkedIn gives no start dates).
    detected_on = models.DateField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ContactChildQuerySet.as_manager()

    class Meta:
        ordering = ["-start_date", "-id"]
        indexes = [models.Index(fields=["contact", "end_date"], name="position_contact_end")]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True)
                | Q(start_date__isnull=True)
                | Q(end_date__gte=models.F("start_date")),
                name="position_ends_after_start",
            ),
            # A contact has at most one current job: two open ones cannot be edited
            # (each "is still their current job") and say nothing true. Whatever writes
            # positions (job changes, imports, merges) ends the old one first.
            models.UniqueConstraint(
                fields=["contact"],
                condition=Q(end_date__isnull=True),
                name="position_one_current_per_contact",
            ),
        ]

    def __str__(self) -> str:
        return job_phrase(self.title, self.company)

    @property
    def is_current(self) -> bool:
        return self.end_date is None

    @property
    def began_on(self) -> date | None:
        """When the job started, or failing that, when an import noticed it."""
        return self.start_date or self.detected_on


class InteractionKind(models.TextChoices):
    CALL = "call", pgettext_lazy("interaction kind", "Call")
    VIDEO_CALL = "video_call", pgettext_lazy("interaction kind", "Video call")
    MEETING = "meeting", pgettext_lazy("interaction kind", "Meeting")
    MEAL = "meal", pgettext_lazy("interaction kind", "Coffee or meal")
    MESSAGE = "message", pgettext_lazy("interaction kind", "Message")
    EMAIL = "email", pgettext_lazy("interaction kind", "Email")
    LETTER = "letter", pgettext_lazy("interaction kind", "Letter or card")
    NOTE_SENT = "note_sent", pgettext_lazy("interaction kind", "Note sent")
    INTRODUCTION = "introduction", pgettext_lazy("interaction kind", "Introduction")
    EVENT = "event", pgettext_lazy("interaction kind", "Event")
    OTHER = "other", pgettext_lazy("interaction kind", "Other")


class Interaction(models.Model):
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="interactions"
    )
    kind = models.CharField(max_length=20, choices=InteractionKind.choices)
    occurred_on = models.DateField()
    occurred_at = models.TimeField(null=True, blank=True)
    summary = models.CharField(max_length=200)
    notes = models.TextField(blank=True)
    contacts = models.ManyToManyField(Contact, related_name="interactions")
    initiated_by = models.CharField(max_length=10, choices=Initiator.choices, default=Initiator.ME)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = OwnedQuerySet.as_manager()

    class Meta:
        ordering = ["-occurred_on", "-occurred_at", "-id"]
        indexes = [models.Index(fields=["owner", "-occurred_on"], name="interaction_owner_date")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} on {self.occurred_on}: {self.summary}"


class ImportStatus(models.TextChoices):
    PENDING = "pending", _("Waiting to start")
    RUNNING = "running", _("Importing")
    DONE = "done", _("Finished")
    FAILED = "failed", _("Failed")


class ImportJob(models.Model):
    """One upload being (or having been) imported, with its progress and report."""

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="import_jobs"
    )
    source = models.CharField(max_length=20, choices=ImportSource.choices)
    status = models.CharField(
        max_length=20, choices=ImportStatus.choices, default=ImportStatus.PENDING
    )
    filename = models.CharField(max_length=255)
    # The upload, kept in the database (web and worker share no disk); emptied when done.
    payload = models.BinaryField(blank=True, default=b"")
    # Trust level given to contacts the import creates (None: not rated yet).
    trust_level = models.CharField(max_length=20, choices=TrustLevel.choices, null=True, blank=True)
    total_rows = models.PositiveIntegerField(default=0)
    processed_rows = models.PositiveIntegerField(default=0)
    created_count = models.PositiveIntegerField(default=0)
    updated_count = models.PositiveIntegerField(default=0)
    job_change_count = models.PositiveIntegerField(default=0)
    skipped_count = models.PositiveIntegerField(default=0)
    # {"created": [...], "updated": [...], "job_changes": [...], "skipped": [{"line": n, ...}]}
    report = models.JSONField(default=dict, blank=True)
    error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    objects = OwnedQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.get_source_display()} import of {self.filename}"


class RequestDirection(models.TextChoices):
    INCOMING = "incoming", _("They asked to connect")
    OUTGOING = "outgoing", _("I asked to connect")


class RequestStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    KNOWN = "known", _("I know them")
    FOLLOWING = "following", _("Follow only")
    IGNORED = "ignored", _("Ignored")


class ConnectionRequest(models.Model):
    """A connection request waiting for the user to decide whether they know the person."""

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="connection_requests"
    )
    name = models.CharField(max_length=200)
    linkedin_url = models.CharField(_("LinkedIn URL"), max_length=300, blank=True)
    message = models.TextField(blank=True)
    direction = models.CharField(
        max_length=20, choices=RequestDirection.choices, default=RequestDirection.INCOMING
    )
    sent_at = models.DateTimeField(null=True, blank=True)
    status = models.CharField(
        max_length=20, choices=RequestStatus.choices, default=RequestStatus.PENDING
    )
    contact = models.ForeignKey(
        Contact,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="connection_requests",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    decided_at = models.DateTimeField(null=True, blank=True)

    objects = OwnedQuerySet.as_manager()

    class Meta:
        ordering = ["-sent_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["owner", "linkedin_url", "direction"],
                condition=~Q(linkedin_url=""),
                name="request_unique_per_profile",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.get_direction_display()})"
