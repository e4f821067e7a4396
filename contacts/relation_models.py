"""Relationships with depth: who reaches out (issue 21).

Kept apart from contacts.models (which imports this module) so that file stays short;
models here name Contact and Interaction by string, never by import.
"""

from django.db import models


class Initiator(models.TextChoices):
    """Who started an interaction: the balance on a contact page and Losing touch's sort."""

    ME = "me", "I reached out"
    THEM = "them", "They reached out"
    MUTUAL = "mutual", "Mutual: we both did"
