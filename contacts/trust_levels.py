"""How well the user knows someone: the trust levels, their labels and what each means.

Kept apart from contacts.models (which re-exports all three names) so that file stays
short; the labels are translated, "Close" with the context "trust level".
"""

from typing import TYPE_CHECKING

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


class TrustLevel(models.TextChoices):
    """How well the user knows someone. *Not rated yet* is stored as NULL."""

    FOLLOWING = "following", pgettext_lazy("trust level", "Following")
    MET = "met", pgettext_lazy("trust level", "Met")
    ACQUAINTANCE = "acquaintance", pgettext_lazy("trust level", "Acquaintance")
    KNOW_WELL = "know_well", pgettext_lazy("trust level", "Know well")
    CLOSE = "close", pgettext_lazy("trust level", "Close")

    @classmethod
    def rank(cls, level: str | None) -> int:
        """Closeness as a number; *not rated yet* counts as `met`."""
        order: list[str] = [cls.FOLLOWING, cls.MET, cls.ACQUAINTANCE, cls.KNOW_WELL, cls.CLOSE]
        return order.index(level) if level in order else order.index(cls.MET)

    @classmethod
    def at_least(cls, level: str) -> list[str]:
        """The levels at least as close as `level`, for `trust_level__in` filters."""
        return [value for value in cls.values if cls.rank(value) >= cls.rank(level)]

    @classmethod
    def describe(cls, level: str | None) -> str:
        return str(cls(level).label if level else UNRATED_LABEL)


UNRATED_LABEL = pgettext_lazy("trust level", "Not rated yet")
TRUST_DESCRIPTIONS: dict[str | None, "StrOrPromise"] = {
    TrustLevel.FOLLOWING: _("I don't know them; I follow their work."),
    TrustLevel.MET: _("Met once or twice; they may not remember me."),
    TrustLevel.ACQUAINTANCE: _("We know each other and talk now and then."),
    TrustLevel.KNOW_WELL: _("I would vouch for them and introduce them."),
    TrustLevel.CLOSE: _("Close friend; I trust them fully."),
}
