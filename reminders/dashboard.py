"""This week: what the dashboard shows for one user and one week, without a request.

`this_week(owner=..., today=..., week_of=...)` returns a `Board`: the occasions to
congratulate (job changes and promotions, work anniversaries, birthdays, then dates
to remember), a compact keep-in-touch section after them, and the side panels.
Views, the digest, notifications and tests build on it, so the rules of what is
due live here once.

Whatever the backlog, the board costs a fixed number of queries and never loads
more rows than it shows: the totals come from one aggregate, the entries on screen
from one windowed query (the first few of each group), and the context lines from
two more (reminders.context_lines).
"""

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

from django.contrib.auth.models import User
from django.db.models import (
    Case,
    CharField,
    Count,
    F,
    IntegerField,
    Q,
    QuerySet,
    Value,
    When,
    Window,
)
from django.db.models.functions import RowNumber
from django.utils.formats import date_format

from contacts.models import Contact, TrustLevel
from crm.models import UserSettings
from reminders.charts import WeekBar, overdue_close_people, week_start_of, weekly_interactions
from reminders.context_lines import attach_context_lines, days_phrase, with_context
from reminders.models import NoteDraft, Reminder, ReminderKind, ReminderStatus

# Occasions shown per group before "Show all"; keeps a long backlog readable and fast.
GROUP_LIMIT = 10
# Keep in touch is a reminder to reach out, not an occasion: a few at most, and never
# more than the occasions on screen, so it cannot bury the congratulations.
TOUCH_LIMIT = 5
# With no occasion at all there is nothing to bury: suggest the few most overdue.
TOUCH_WHEN_NO_OCCASIONS = 3
WINDOW_DAYS = 7
WEEK_YEARS_AWAY = 100
DONE_LIMIT = 50
DRAFTS_LIMIT = 8
# Long text the board never shows; left in the database.
HEAVY_CONTACT_FIELDS = ("contact__search_text", "contact__notes", "contact__how_we_met")

TOUCH = "touch"


@dataclass
class Group:
    key: str
    title: str
    kinds: tuple[str, ...]
    entries: list[Reminder] = field(default_factory=list)
    total: int = 0
    expanded: bool = False

    @property
    def hidden(self) -> int:
        return self.total - len(self.entries)

    @property
    def limit(self) -> int:
        return self.total if self.expanded else GROUP_LIMIT

    @property
    def shown(self) -> bool:
        """On screen: something due, or the line confirming what was just done."""
        return bool(self.total or self.entries)

    def sort_key(self, reminder: Reminder) -> tuple[int, date, int]:
        first = closeness(reminder.contact.trust_level) if self.key == TOUCH else 0
        return (first, reminder.due_on, reminder.pk)


# Congratulations first, in this order; keep in touch is its own section after them.
OCCASION_GROUPS: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("career", "Job changes and promotions", (ReminderKind.JOB_CHANGE, ReminderKind.PROMOTION)),
    ("anniversary", "Work anniversaries", (ReminderKind.WORK_ANNIVERSARY,)),
    ("birthday", "Birthdays", (ReminderKind.BIRTHDAY,)),
    ("other", "Dates to remember", (ReminderKind.CUSTOM,)),
    ("introduction", "Introductions waiting for an answer", (ReminderKind.INTRODUCTION,)),
)
TOUCH_GROUP = (TOUCH, "Keep in touch", (ReminderKind.KEEP_IN_TOUCH,))
GROUPS = (*OCCASION_GROUPS, TOUCH_GROUP)
GROUP_OF_KIND = {kind: key for key, _, kinds in (*OCCASION_GROUPS, TOUCH_GROUP) for kind in kinds}

# Trust filter choices: value -> (label, trust levels shown; None = not rated yet).
TRUST_FILTERS: dict[str, tuple[str, Sequence[str | None]]] = {
    "": ("Everyone but people I only follow", [*TrustLevel.at_least(TrustLevel.MET), None]),
    "all": ("Everyone", [*TrustLevel.values, None]),
    "acquaintance": ("Acquaintances and closer", TrustLevel.at_least(TrustLevel.ACQUAINTANCE)),
    "know_well": ("People I know well and close", TrustLevel.at_least(TrustLevel.KNOW_WELL)),
    "close": ("Close only", [TrustLevel.CLOSE]),
}


@dataclass(frozen=True)
class Week:
    starts_on: date
    today: date

    @property
    def ends_on(self) -> date:
        return self.starts_on + timedelta(days=6)

    @property
    def is_current(self) -> bool:
        return self.starts_on <= self.today <= self.ends_on

    @property
    def previous(self) -> date:
        return self.starts_on - timedelta(weeks=1)

    @property
    def next(self) -> date:
        return self.starts_on + timedelta(weeks=1)

    @property
    def title(self) -> str:
        if self.is_current:
            return "This week"
        if self.previous <= self.today <= self.previous + timedelta(days=6):
            return "Next week"
        if self.next <= self.today <= self.next + timedelta(days=6):
            return "Last week"
        return "Week of " + date_format(self.starts_on, "j M Y")

    @property
    def span(self) -> str:
        return f"{date_format(self.starts_on, 'D j M')} to {date_format(self.ends_on, 'D j M Y')}"


def week_holding(day: date | None, *, today: date, week_start: int) -> Week:
    """The week (per the user's first weekday) holding `day`; this week for None.

    A week centuries away helps nobody, and near year 1 or 9999 its neighbours'
    dates (the previous/next links) do not exist: those fall back to this week.
    """
    if day is None or abs(day.year - today.year) > WEEK_YEARS_AWAY:
        day = today
    return Week(starts_on=week_start_of(day, week_start), today=today)


def _people_rated(owner: User, levels: Sequence[str | None]) -> QuerySet[Contact, Any]:
    """Ids of the owner's contacts at `levels` (None: not rated yet), as a subquery."""
    rated = [level for level in levels if level is not None]
    condition = Q(trust_level__in=rated)
    if None in levels:
        condition |= Q(trust_level__isnull=True)
    return Contact.objects.filter(condition, owner=owner).values("pk")


def trust_condition(value: str, owner: User) -> Q:
    """Reminders of the people the trust filter `value` shows.

    Asked as "the contact is (not) among these ids" rather than through a join to
    contacts: the ids come from an index-only scan of (owner, trust level, id), the
    smaller side of the filter, so tens of thousands of contacts are never read to
    filter a few thousand reminders.
    """
    levels = TRUST_FILTERS.get(value, TRUST_FILTERS[""])[1]
    if None in levels:
        # Everyone but a few levels (the default hides people you only follow).
        hidden = [level for level in (*TrustLevel.values, None) if level not in levels]
        return ~Q(contact__in=_people_rated(owner, hidden)) if hidden else Q()
    return Q(contact__in=_people_rated(owner, levels))


def due_reminders(owner: User, week: Week, trust: str = "") -> QuerySet[Reminder]:
    """Open reminders in view; a snoozed one counts from its snoozed_until."""
    reminders = Reminder.objects.owned_by(owner)
    if trust != "all":
        reminders = reminders.filter(trust_condition(trust, owner))
    if week.is_current:
        # The window around today, plus anything overdue however old.
        horizon = week.today + timedelta(days=WINDOW_DAYS)
        shown = Q(status=ReminderStatus.OPEN, due_on__lte=horizon) | Q(
            status=ReminderStatus.SNOOZED, snoozed_until__lte=week.today
        )
    else:
        shown = Q(
            status=ReminderStatus.OPEN, due_on__gte=week.starts_on, due_on__lte=week.ends_on
        ) | Q(
            status=ReminderStatus.SNOOZED,
            snoozed_until__gte=week.starts_on,
            snoozed_until__lte=week.ends_on,
        )
    return reminders.filter(shown)


# Who to reach out to first: close, then know well, acquaintances, everyone else.
CLOSENESS_ORDER = (TrustLevel.CLOSE, TrustLevel.KNOW_WELL, TrustLevel.ACQUAINTANCE)


def closeness(level: str | None) -> int:
    for rank, candidate in enumerate(CLOSENESS_ORDER):
        if level == candidate:
            return rank
    return len(CLOSENESS_ORDER)


def _closeness(owner: User) -> Case:
    """`closeness` in the database, by id lists per level (no join to contacts)."""
    return Case(
        *(
            When(contact__in=_people_rated(owner, [level]), then=Value(rank))
            for rank, level in enumerate(CLOSENESS_ORDER)
        ),
        default=Value(len(CLOSENESS_ORDER)),
        output_field=IntegerField(),
    )


def _partition() -> Case:
    """The group of a reminder as the window needs it: its kind, one for the career group."""
    career = [kind for kind, key in GROUP_OF_KIND.items() if key == "career"]
    return Case(
        When(kind__in=career[1:], then=Value(career[0])),
        default=F("kind"),
        output_field=CharField(),
    )


def _shown_entries(due: QuerySet[Reminder], limits: dict[str, int], owner: User) -> list[Reminder]:
    """The first `limits[group]` reminders of each shown group, in one query.

    Occasions come in date order; keep in touch closest people first, then the most
    overdue. The row number is taken per group in the database, so a backlog of
    thousands never leaves it. The groups are told apart by kind, the one group of
    two kinds (job changes and promotions) by a single CASE: cheaper than naming the
    group of every due row.
    """
    caps = {
        kind: limits.get(key, 0) for kind, key in GROUP_OF_KIND.items() if limits.get(key, 0) > 0
    }
    if not caps:
        return []
    touch_first = Case(
        When(kind=ReminderKind.KEEP_IN_TOUCH, then=_closeness(owner)),
        default=Value(0),
        output_field=IntegerField(),
    )
    cap = Case(
        *(When(kind=kind, then=Value(limit)) for kind, limit in caps.items()),
        default=Value(0),
        output_field=IntegerField(),
    )
    # Ranked on ids alone, so the thousands of due rows are never joined to their
    # positions and dates or widened to whole rows; only the few picked are.
    picked = (
        due.filter(kind__in=caps)
        .annotate(
            place=Window(
                RowNumber(),
                partition_by=[_partition()],
                order_by=[touch_first.asc(), F("due_on").asc(), F("id").asc()],
            ),
            cap=cap,
        )
        .filter(place__lte=F("cap"))
        .order_by()
        .values("pk")
    )
    shown = (
        with_context(Reminder.objects.filter(pk__in=picked))
        .defer(*HEAVY_CONTACT_FIELDS)
        .order_by("due_on", "id")
    )
    return list(shown)


def _annotate_entries(entries: list[Reminder], owner: User, today: date) -> None:
    attach_context_lines(entries, today)
    drafts = dict(
        NoteDraft.objects.owned_by(owner)
        .filter(reminder__in=[r.pk for r in entries], sent_at__isnull=True)
        .values_list("reminder_id", "pk")
    )
    for reminder in entries:
        effective = (
            reminder.snoozed_until if reminder.status == ReminderStatus.SNOOZED else None
        ) or reminder.due_on
        reminder.overdue_days = (today - effective).days  # type: ignore[attr-defined]
        reminder.when = days_phrase(reminder.due_on, today)  # type: ignore[attr-defined]
        reminder.draft_id = drafts.get(reminder.pk)  # type: ignore[attr-defined]
        # Read by the template for every entry: a missing attribute costs a failed lookup.
        reminder.settled = False  # type: ignore[attr-defined]


def annotate_entry(reminder: Reminder, *, owner: User, today: date) -> Reminder:
    """One reminder dressed as the board shows it (for a swap back in after Undo)."""
    _annotate_entries([reminder], owner, today)
    return reminder


def done_in_week(owner: User, week: Week, settings: UserSettings) -> list[Reminder]:
    zone = settings.zone
    start = datetime.combine(week.starts_on, time.min, tzinfo=zone)
    end = datetime.combine(week.next, time.min, tzinfo=zone)
    return list(
        Reminder.objects.owned_by(owner)
        .filter(status=ReminderStatus.DONE, completed_at__gte=start, completed_at__lt=end)
        .select_related("contact")
        .defer(*HEAVY_CONTACT_FIELDS)
        .order_by("-completed_at", "-id")[:DONE_LIMIT]
    )


@dataclass
class Board:
    week: Week
    today: date
    trust: str
    occasions: list[Group]
    touch: Group
    done: list[Reminder]
    drafts: list[NoteDraft]
    has_contacts: bool
    quiet: list[Contact]
    bars: list[WeekBar]
    overdue: dict

    @property
    def groups(self) -> list[Group]:
        """Every section in screen order: occasions, then keep in touch."""
        return [*self.occasions, self.touch]

    @property
    def occasion_count(self) -> int:
        return sum(group.total for group in self.occasions)

    @property
    def occasions_shown(self) -> int:
        return sum(len(group.entries) for group in self.occasions)

    @property
    def has_entries(self) -> bool:
        return any(group.shown for group in self.groups)

    @property
    def due_count(self) -> int:
        return self.occasion_count + self.touch.total


def group_totals(owner: User, week: Week, trust: str = "") -> dict[str, int]:
    """Open reminders per group key, counted in the database."""
    totals: dict[str, int] = {}
    rows = due_reminders(owner, week, trust).values("kind").annotate(n=Count("pk")).order_by()
    for row in rows:
        key = GROUP_OF_KIND.get(row["kind"], "other")
        totals[key] = totals.get(key, 0) + row["n"]
    return totals


def touch_limit(occasions_shown: int) -> int:
    """How many keep-in-touch entries may show next to `occasions_shown` occasions."""
    if occasions_shown == 0:
        return TOUCH_WHEN_NO_OCCASIONS
    return min(TOUCH_LIMIT, occasions_shown)


def this_week(
    *,
    owner: User,
    today: date,
    week_of: date | None = None,
    trust: str = "",
    expanded: str = "",
    settings: UserSettings | None = None,
    settled: Reminder | None = None,
) -> Board:
    """Everything the dashboard shows for `owner` in the week holding `week_of` (default today).

    `today` is the owner's today (in their time zone); `trust` one of TRUST_FILTERS;
    `expanded` the key of an occasion group to show in full. `settled`, a reminder
    just snoozed, dismissed or done, keeps its place in its group (marked `settled`),
    so the confirmation shows where the entry was.
    """
    settings = settings or UserSettings.for_user(owner)
    trust = trust if trust in TRUST_FILTERS else ""
    week = week_holding(week_of, today=today, week_start=settings.first_weekday)
    totals = group_totals(owner, week, trust)
    occasions = [
        Group(key, title, kinds, total=totals.get(key, 0), expanded=expanded == key)
        for key, title, kinds in OCCASION_GROUPS
    ]
    touch = Group(*TOUCH_GROUP, total=totals.get(TOUCH, 0))
    limits = {group.key: min(group.total, group.limit) for group in occasions}
    limits[TOUCH] = min(touch.total, touch_limit(sum(limits.values())))
    entries = _shown_entries(due_reminders(owner, week, trust), limits, owner)
    by_key = {group.key: group for group in (*occasions, touch)}
    for reminder in entries:
        by_key[GROUP_OF_KIND.get(reminder.kind, "other")].entries.append(reminder)
    _annotate_entries(entries, owner, today)
    if settled is not None:
        settled.settled = True  # type: ignore[attr-defined]
        by_key[GROUP_OF_KIND.get(settled.kind, "other")].entries.append(settled)
    for group in by_key.values():
        # Keep in touch reads closest and most overdue first, as it was picked.
        group.entries.sort(key=group.sort_key)
    due = sum(totals.values())
    has_contacts = bool(due) or Contact.objects.owned_by(owner).exists()
    quiet: list[Contact] = []
    if has_contacts and not due:
        quiet = list(
            Contact.objects.owned_by(owner)
            .exclude(trust_level=TrustLevel.FOLLOWING)
            .defer("search_text", "notes", "how_we_met")
            .order_by(F("last_interaction_on").asc(nulls_last=True), "id")[:5]
        )
    return Board(
        week=week,
        today=today,
        trust=trust,
        occasions=occasions,
        touch=touch,
        done=done_in_week(owner, week, settings),
        drafts=list(
            NoteDraft.objects.owned_by(owner)
            .filter(sent_at__isnull=True)
            .select_related("contact")
            .defer(*HEAVY_CONTACT_FIELDS)
            .order_by("-updated_at")[:DRAFTS_LIMIT]
        ),
        has_contacts=has_contacts,
        quiet=quiet,
        bars=weekly_interactions(owner=owner, today=today, week_start=settings.first_weekday),
        overdue=overdue_close_people(owner=owner, settings=settings, today=today),
    )
