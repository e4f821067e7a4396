"""Who reaches out: the balance of the last year with one person, and the sort for
*Losing touch* (issue 21). Counted in the database, one query however long the history."""

from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING

from django.contrib.auth.models import User
from django.db.models import Count, Q, QuerySet
from django.utils.translation import gettext, ngettext, pgettext
from django.utils.translation import gettext_lazy as _

from contacts.models import Contact, Initiator, Interaction, TrustLevel
from contacts.relationships import interactions_of
from crm.data_version import owner_data_cache
from crm.models import UserSettings
from reminders.charts import GLANCE_SECONDS, glance_version

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

# The balance covers the last year: old habits say little about today.
BALANCE_DAYS = 365

# Losing touch's sorts: value -> label. The first is the page's default.
SORTS: dict[str, "StrOrPromise"] = {
    "overdue": _("Most overdue first"),
    "they_reach_out": _("They reach out more than I do"),
    "i_reach_out": _("I do the reaching out"),
}


def _times(n: int) -> str:
    words = {0: pgettext("how often", "never"), 1: gettext("once"), 2: gettext("twice")}
    return words.get(n) or ngettext("%(count)s time", "%(count)s times", n) % {"count": n}


@dataclass(frozen=True)
class Balance:
    me: int
    them: int
    mutual: int

    @property
    def total(self) -> int:
        return self.me + self.them + self.mutual

    @property
    def sentence(self) -> str:
        """Like "You reached out 9 times, they did twice", and the mutual ones if any."""
        if not self.total:
            return gettext("No interactions in the last year.")
        values = {"me": _times(self.me), "them": _times(self.them), "mutual": _times(self.mutual)}
        if self.mutual:
            return (
                gettext("You reached out %(me)s, they did %(them)s; %(mutual)s it was mutual.")
                % values
            )
        return gettext("You reached out %(me)s, they did %(them)s.") % values

    @property
    def leaning(self) -> str:
        """Who carries the relationship: "me", "them" or "even"."""
        if self.me > 2 * max(self.them, 0) and self.me - self.them >= 3:
            return "me"
        if self.them > 2 * max(self.me, 0) and self.them - self.me >= 3:
            return "them"
        return "even"


def reach_out_balance(contact: Contact, today: date) -> Balance:
    since = today - timedelta(days=BALANCE_DAYS)
    counts = (
        interactions_of(contact)
        .filter(occurred_on__gt=since, occurred_on__lte=today)
        .aggregate(
            me=Count("pk", filter=Q(initiated_by=Initiator.ME)),
            them=Count("pk", filter=Q(initiated_by=Initiator.THEM)),
            mutual=Count("pk", filter=Q(initiated_by=Initiator.MUTUAL)),
        )
    )
    return Balance(me=counts["me"], them=counts["them"], mutual=counts["mutual"])


def _last_year_counts(contact_ids: list[int], since: date) -> dict[int, tuple[int, int]]:
    """(times I reached out, times they did) per contact over the last year: one GROUP BY
    over these contacts' links (the due ones: an owner's own ids)."""
    rows = (
        Interaction.contacts.through.objects.filter(
            contact_id__in=contact_ids,
            interaction__occurred_on__gt=since,
            interaction__initiated_by__in=[Initiator.ME, Initiator.THEM],
        )
        .values_list("contact_id", "interaction__initiated_by")
        .annotate(n=Count("pk"))
        .order_by()
    )
    counts: dict[int, tuple[int, int]] = {}
    for contact_id, by, n in rows:
        me, them = counts.get(contact_id, (0, 0))
        counts[contact_id] = (me + n, them) if by == Initiator.ME else (me, them + n)
    return counts


def _sort_key(owner: User, prefs: UserSettings, sort: str, today: date) -> str:
    """Moves on with whatever decides who is due and their counts: the owner's contacts,
    interactions and keep-in-touch rounds (forget_glance), the day, cadences and zone."""
    cadences = ",".join(str(prefs.cadence_for(level)) for level in [*TrustLevel.values, None])
    joined = int(owner.date_joined.timestamp()) if getattr(owner, "date_joined", None) else 0
    return (
        f"rapport:reach-out-sort:{owner.pk}:{joined}:{today.isoformat()}:{prefs.zone}:"
        f"{cadences}:{sort}:{glance_version(owner.pk)}"
    )


def _sorted_counts(due: QuerySet[Contact], sort: str, today: date) -> list[tuple[int, int, int]]:
    """(id, times I reached out, times they did) of every due person, in the sort's order
    (ties keep `due`'s). Two queries: the due ids in order, the year's counts."""
    ids = list(due.values_list("pk", flat=True))
    counts = _last_year_counts(ids, today - timedelta(days=BALANCE_DAYS)) if ids else {}
    rows = [(pk, *counts.get(pk, (0, 0))) for pk in ids]
    sign = 1 if sort == "they_reach_out" else -1
    rows.sort(key=lambda row: sign * (row[2] - row[1]), reverse=True)
    return rows


def page_by_reach_out(
    due: QuerySet[Contact],
    *,
    owner: User,
    prefs: UserSettings,
    sort: str,
    today: date,
    start: int,
    size: int,
) -> tuple[list[Contact], int]:
    """One page of `due` sorted by who reaches out (ties keep `due`'s order), and the total.

    Sorting reads every due person's year of interactions, so the order is cached until
    anything of the owner's changes (the key moves on, as the dashboard's overdue count
    does); then a page is one query. Each contact on the page carries `reached_me` and
    `reached_them`.
    """
    key = _sort_key(owner, prefs, sort, today)
    rows = owner_data_cache.get(key)
    if not isinstance(rows, list):
        rows = _sorted_counts(due, sort, today)
        owner_data_cache.set(key, rows, GLANCE_SECONDS)
    page_rows = rows[start : start + size]
    found = due.filter(pk__in=[pk for pk, _, _ in page_rows]).in_bulk()
    page = []
    for pk, me, them in page_rows:
        if pk in found:
            contact = found[pk]
            contact.reached_me, contact.reached_them = me, them  # type: ignore[attr-defined]
            page.append(contact)
    return page, len(rows)
