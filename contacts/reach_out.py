"""Who reaches out: the balance of the last year with one person, and the sort for
*Losing touch* (issue 21). Counted in the database, one query however long the history."""

from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Count, F, IntegerField, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce

from contacts.models import Contact, Initiator, Interaction
from contacts.relationships import interactions_of

# The balance covers the last year: old habits say little about today.
BALANCE_DAYS = 365

# Losing touch's sorts: value -> label. The first is the page's default.
SORTS: dict[str, str] = {
    "overdue": "Most overdue first",
    "they_reach_out": "They reach out more than I do",
    "i_reach_out": "I do the reaching out",
}


def _times(n: int) -> str:
    return {0: "never", 1: "once", 2: "twice"}.get(n, f"{n} times")


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
            return "No interactions in the last year."
        text = f"You reached out {_times(self.me)}, they did {_times(self.them)}"
        if self.mutual:
            text += f"; {_times(self.mutual)} it was mutual"
        return text + "."

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


def _count_by(initiator: str, since: date) -> Coalesce:
    links = Interaction.contacts.through.objects.filter(
        contact_id=OuterRef("pk"),
        interaction__occurred_on__gt=since,
        interaction__initiated_by=initiator,
    )
    counted = (
        links.order_by()
        .values("contact_id")
        .annotate(n=Count("pk"))
        # django-stubs cannot see the annotation made just above.
        .values("n")  # type: ignore[misc]
    )
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


def sorted_by_reach_out(due: QuerySet[Contact], sort: str, today: date) -> QuerySet[Contact]:
    """`due` in the order `sort` asks for; "overdue" keeps the queryset's own order.

    The counts are scalar subqueries per row, on the link table's contact index.
    """
    if sort not in SORTS or sort == "overdue":
        return due
    since = today - timedelta(days=BALANCE_DAYS)
    counted = due.annotate(
        reached_me=_count_by(Initiator.ME, since), reached_them=_count_by(Initiator.THEM, since)
    )
    if sort == "they_reach_out":
        lean = counted.annotate(lean=F("reached_them") - F("reached_me"))
    else:
        lean = counted.annotate(lean=F("reached_me") - F("reached_them"))
    return lean.order_by("-lean", *due.query.order_by)
