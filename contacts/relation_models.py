"""Relationships with depth: who reaches out, promises (issue 21).

Kept apart from contacts.models (which imports this module) so that file stays short;
models here name Contact and Interaction by string, never by import.
"""

from datetime import date

from django.conf import settings
from django.db import models

from crm.ownership import OwnedQuerySet

PROMISE_TEXT_MAX = 200


class Initiator(models.TextChoices):
    """Who started an interaction: the balance on a contact page and Losing touch's sort."""

    ME = "me", "I reached out"
    THEM = "them", "They reached out"
    MUTUAL = "mutual", "Mutual: we both did"


class PromiseBy(models.TextChoices):
    ME = "me", "I promised"
    THEM = "them", "They promised"


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
    text = models.CharField("what", max_length=PROMISE_TEXT_MAX)
    due_on = models.DateField("due", null=True, blank=True)
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
