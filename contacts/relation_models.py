"""Relationships with depth: who reaches out, promises, introductions, trust history
(issue 21).

Kept apart from contacts.models (which imports this module) so that file stays short;
models here name Contact and Interaction by string, never by import.
"""

from datetime import date

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from crm.ownership import OwnedQuerySet

PROMISE_TEXT_MAX = 200
INTRO_REASON_MAX = 5_000  # as limits.SHORT_NOTE_MAX
# A side of an introduction that has not answered in this many days raises a reminder.
INTRO_STALL_DAYS = 7


class Initiator(models.TextChoices):
    """Who started an interaction: the balance on a contact page and Losing touch's sort."""

    ME = "me", _("I reached out")
    THEM = "them", _("They reached out")
    MUTUAL = "mutual", _("Mutual: we both did")


class PromiseBy(models.TextChoices):
    ME = "me", _("I promised")
    THEM = "them", _("They promised")


class Promise(models.Model):
    """Something promised to or by one contact: "send her the article", "intro to a designer".

    Open while `kept_on` is empty. Keeping one logs an interaction (`kept_interaction`);
    `interaction` is the one it was made in, if any.
    """

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="promises"
    )
    contact = models.ForeignKey(
        "contacts.Contact", on_delete=models.CASCADE, related_name="promises"
    )
    made_by = models.CharField(max_length=10, choices=PromiseBy.choices, default=PromiseBy.ME)
    text = models.CharField(_("what"), max_length=PROMISE_TEXT_MAX)
    due_on = models.DateField(pgettext_lazy("promise", "due"), null=True, blank=True)
    interaction = models.ForeignKey(
        "contacts.Interaction", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    kept_on = models.DateField(null=True, blank=True)
    kept_interaction = models.ForeignKey(
        "contacts.Interaction", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = OwnedQuerySet.as_manager()

    class Meta:
        ordering = [models.F("due_on").asc(nulls_last=True), "created_at", "id"]
        indexes = [
            models.Index(
                fields=["owner", "due_on"],
                condition=models.Q(kept_on__isnull=True),
                name="promise_open_by_due",
            ),
            models.Index(fields=["contact", "kept_on"], name="promise_contact_kept"),
        ]

    def __str__(self) -> str:
        return f"{self.get_made_by_display()}: {self.text}"

    @property
    def is_open(self) -> bool:
        return self.kept_on is None

    def is_overdue(self, today: date) -> bool:
        return self.is_open and self.due_on is not None and self.due_on < today


class IntroStatus(models.TextChoices):
    """Where a double opt-in introduction stands; each step waits on the user or on one side."""

    ASK_FIRST = "ask_first", pgettext_lazy("introduction status", "Ask the first person")
    WAITING_FIRST = (
        "waiting_first",
        pgettext_lazy("introduction status", "Waiting for the first person's answer"),
    )
    ASK_SECOND = "ask_second", pgettext_lazy("introduction status", "Ask the second person")
    WAITING_SECOND = (
        "waiting_second",
        pgettext_lazy("introduction status", "Waiting for the second person's answer"),
    )
    SEND = "send", pgettext_lazy("introduction status", "Both said yes: introduce them")
    SENT = "sent", pgettext_lazy("introduction status", "Introduced: how did it go?")
    DONE = "done", pgettext_lazy("introduction status", "Done")
    DECLINED = "declined", pgettext_lazy("introduction status", "Closed")


class IntroOutcome(models.TextChoices):
    MET = "met", _("They met")
    NOTHING = "nothing", _("Nothing came of it")


class IntroSide(models.TextChoices):
    FIRST = "first", _("The first person")
    SECOND = "second", _("The second person")
    ME = "me", _("I closed it")


class Introduction(models.Model):
    """A double opt-in introduction of `first` to `second`: ask each, then introduce.

    `step_on` is the day the current step began: a side that has not answered within
    a week raises a reminder (reminders.scan). A declined one is closed; it shows on
    the decliner's page only, never to the other side.
    """

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="introductions"
    )
    # Named relations (not "+"), so merging duplicates moves them like every other row.
    first = models.ForeignKey(
        "contacts.Contact", on_delete=models.CASCADE, related_name="introductions_first"
    )
    second = models.ForeignKey(
        "contacts.Contact", on_delete=models.CASCADE, related_name="introductions_second"
    )
    reason = models.TextField("why they should meet", max_length=INTRO_REASON_MAX)
    status = models.CharField(
        max_length=20, choices=IntroStatus.choices, default=IntroStatus.ASK_FIRST
    )
    step_on = models.DateField()
    asked_first_on = models.DateField(null=True, blank=True)
    asked_second_on = models.DateField(null=True, blank=True)
    sent_on = models.DateField(null=True, blank=True)
    outcome = models.CharField(max_length=20, choices=IntroOutcome.choices, blank=True)
    declined_by = models.CharField(max_length=10, choices=IntroSide.choices, blank=True)
    closed_on = models.DateField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = OwnedQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["owner", "status"], name="introduction_owner_status"),
            models.Index(fields=["first"], name="introduction_first"),
            models.Index(fields=["second"], name="introduction_second"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(first=models.F("second")), name="introduction_two_people"
            ),
        ]

    def __str__(self) -> str:
        return f"Introduction of {self.first_id} and {self.second_id}"

    @property
    def is_open(self) -> bool:
        return self.status not in (IntroStatus.DONE, IntroStatus.DECLINED)


class TrustChange(models.Model):
    """One change of a contact's trust level, recorded by the services that change it
    (contacts.trust_history.record_trust_change): *recently promoted* on the overview."""

    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    contact = models.ForeignKey(
        "contacts.Contact", on_delete=models.CASCADE, related_name="trust_changes"
    )
    # None: not rated yet.
    from_level = models.CharField(max_length=20, null=True, blank=True)
    to_level = models.CharField(max_length=20, null=True, blank=True)
    # Closer than before (by TrustLevel.rank), fixed when recorded.
    promotion = models.BooleanField()
    changed_on = models.DateField()
    created_at = models.DateTimeField(auto_now_add=True)

    objects = OwnedQuerySet.as_manager()

    class Meta:
        ordering = ["-changed_on", "-id"]
        indexes = [
            models.Index(
                fields=["owner", "-changed_on"],
                condition=models.Q(promotion=True),
                name="trustchange_owner_promotions",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.contact_id}: {self.from_level} -> {self.to_level}"
