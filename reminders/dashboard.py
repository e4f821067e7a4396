"""This week: what the dashboard shows for one user and one week, without a request.

`this_week(owner=..., today=..., week_of=...)` returns a `Board`: the occasions to
congratulate (job changes and promotions, work anniversaries, birthdays, then dates
to remember), a compact keep-in-touch section after them, and the side panels.
Views, the digest, notifications and tests build on it, so the rules of what is
due live here once.

Whatever the backlog, the board costs a fixed number of queries and never loads
more rows than it shows: one query counts every group and numbers its reminders
in screen order (reminders.board_pick), one reads the rows on screen with what
their lines need (reminders.board_entries). A long group is shown a page at a time.
"""

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING, Any

from django.contrib.auth.models import User
from django.db.models import (
    F,
    Q,
    QuerySet,
)
from django.utils.formats import date_format
from django.utils.translation import gettext, gettext_lazy

from contacts.models import Contact, TrustLevel
from crm.models import UserSettings
from reminders.board_entries import HEAVY_CONTACT_FIELDS, dress_entries, shown_rows
from reminders.board_pick import Picked, pick
from reminders.charts import WeekBar, overdue_close_people, week_start_of, weekly_interactions
from reminders.models import CAREER_KINDS, NoteDraft, Reminder, ReminderKind, ReminderStatus

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

# Occasions shown per group before "Show all"; keeps a long backlog readable and fast.
GROUP_LIMIT = 5
# "Show all" shows a group a page at a time, so no backlog makes a page unbounded.
PAGE_SIZE = 20
# Keep in touch is a reminder to reach out, not an occasion: a few at most, and never
# more than the occasions on screen, so it cannot bury the congratulations.
TOUCH_LIMIT = 5
# With no occasion at all there is nothing to bury: suggest the few most overdue.
TOUCH_WHEN_NO_OCCASIONS = 3
WINDOW_DAYS = 7
WEEK_YEARS_AWAY = 100
DONE_LIMIT = 50
DRAFTS_LIMIT = 8

TOUCH = "touch"


@dataclass
class Group:
    key: str
    title: "StrOrPromise"
    kinds: tuple[str, ...]
    entries: list[Reminder] = field(default_factory=list)
    total: int = 0
    expanded: bool = False
    page: int = 1

    def __post_init__(self) -> None:
        # A page past the end (the group shrank since the link was made) shows the last.
        last = max(1, -(-self.total // PAGE_SIZE))
        self.page = min(max(1, self.page), last) if self.expanded else 1

    @property
    def hidden(self) -> int:
        return self.total - len(self.entries)

    @property
    def limit(self) -> int:
        return PAGE_SIZE if self.expanded else GROUP_LIMIT

    @property
    def offset(self) -> int:
        """How many of the group come before the shown page."""
        return (self.page - 1) * PAGE_SIZE if self.expanded else 0

    @property
    def first(self) -> int:
        return self.offset + 1

    @property
    def last(self) -> int:
        return min(self.total, self.offset + PAGE_SIZE)

    @property
    def next_page(self) -> int | None:
        return self.page + 1 if self.expanded and self.last < self.total else None

    @property
    def previous_page(self) -> int | None:
        return self.page - 1 if self.expanded and self.page > 1 else None

    @property
    def shown(self) -> bool:
        """On screen: something due, or the line confirming what was just done."""
        return bool(self.total or self.entries)

    def sort_key(self, reminder: Reminder) -> tuple[int, date, int]:
        first = closeness(reminder.contact.trust_level) if self.key == TOUCH else 0
        return (first, reminder.due_on, reminder.pk)


# Congratulations first, in this order; keep in touch is its own section after them.
OCCASION_GROUPS: tuple[tuple[str, "StrOrPromise", tuple[str, ...]], ...] = (
    ("career", gettext_lazy("Job changes and promotions"), CAREER_KINDS),
    ("anniversary", gettext_lazy("Work anniversaries"), (ReminderKind.WORK_ANNIVERSARY,)),
    ("birthday", gettext_lazy("Birthdays"), (ReminderKind.BIRTHDAY,)),
    ("other", gettext_lazy("Dates to remember"), (ReminderKind.CUSTOM,)),
    (
        "introduction",
        gettext_lazy("Introductions waiting for an answer"),
        (ReminderKind.INTRODUCTION,),
    ),
)
TOUCH_GROUP = (TOUCH, gettext_lazy("Keep in touch"), (ReminderKind.KEEP_IN_TOUCH,))
GROUPS = (*OCCASION_GROUPS, TOUCH_GROUP)
GROUP_OF_KIND = {kind: key for key, _, kinds in (*OCCASION_GROUPS, TOUCH_GROUP) for kind in kinds}
OCCASION_KEYS = tuple(key for key, _, _ in OCCASION_GROUPS)

# Trust filter choices: value -> (label, trust levels shown; None = not rated yet).
TRUST_FILTERS: dict[str, tuple["StrOrPromise", Sequence[str | None]]] = {
    "": (
        gettext_lazy("Everyone but people I only follow"),
        [*TrustLevel.at_least(TrustLevel.MET), None],
    ),
    "all": (gettext_lazy("Everyone"), [*TrustLevel.values, None]),
    "acquaintance": (
        gettext_lazy("Acquaintances and closer"),
        TrustLevel.at_least(TrustLevel.ACQUAINTANCE),
    ),
    "know_well": (
        gettext_lazy("People I know well and close"),
        TrustLevel.at_least(TrustLevel.KNOW_WELL),
    ),
    "close": (gettext_lazy("Close only"), [TrustLevel.CLOSE]),
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
            return gettext("This week")
        if self.previous <= self.today <= self.previous + timedelta(days=6):
            return gettext("Next week")
        if self.next <= self.today <= self.next + timedelta(days=6):
            return gettext("Last week")
        return gettext("Week of %(date)s") % {"date": date_format(self.starts_on, "j M Y")}

    @property
    def span(self) -> str:
        return gettext("%(start)s to %(end)s") % {
            "start": date_format(self.starts_on, "D j M"),
            "end": date_format(self.ends_on, "D j M Y"),
        }


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


def _picked(
    due: QuerySet[Reminder], limits: dict[str, int], owner: User, skips: dict[str, int]
) -> Picked:
    return pick(
        due,
        owner_id=owner.pk,
        group_of_kind=GROUP_OF_KIND,
        limits=limits,
        skips=skips,
        ranked_kind=ReminderKind.KEEP_IN_TOUCH,
        closeness=CLOSENESS_ORDER,
    )


def _rows(ids: list[int], owner: User, also: int | None) -> list[Reminder]:
    """The reminders `ids` as the board shows them; `also`, a reminder a link points at."""
    if not ids and also is None:
        return []
    shown = Q(pk__in=ids)
    if also is not None:
        shown |= Q(pk=also, owner=owner, status__in=[ReminderStatus.OPEN, ReminderStatus.SNOOZED])
    return list(shown_rows(Reminder.objects.filter(shown)))


def _shown_entries(
    due: QuerySet[Reminder],
    limits: dict[str, int],
    owner: User,
    *,
    skips: dict[str, int] | None = None,
) -> list[Reminder]:
    """The first `limits[group]` reminders of each group (after `skips[group]`): two queries.

    Occasions come in date order; keep in touch closest people first, then the most
    overdue (reminders.board_pick numbers them in the database).
    """
    picked = _picked(due, limits, owner, skips or {})
    return _rows([pk for ids in picked.ids.values() for pk in ids], owner, None)


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
    return _picked(due_reminders(owner, week, trust), {}, owner, {}).totals


def touch_limit(occasions_shown: int) -> int:
    """How many keep-in-touch entries may show next to `occasions_shown` occasions."""
    if occasions_shown == 0:
        return TOUCH_WHEN_NO_OCCASIONS
    return min(TOUCH_LIMIT, occasions_shown)


def _pick_board(
    due: QuerySet[Reminder], owner: User, expanded: str, page: int
) -> tuple[Picked, int]:
    """Every group counted, and the most entries each may show (and the page shown).

    One query; keep in touch is cut afterwards to what the occasions on screen allow.
    """
    skips = {expanded: (max(1, page) - 1) * PAGE_SIZE} if expanded in OCCASION_KEYS else {}
    limits = {key: PAGE_SIZE if key == expanded else GROUP_LIMIT for key in OCCASION_KEYS}
    limits[TOUCH] = TOUCH_LIMIT
    picked = _picked(due, limits, owner, skips)
    if skips and not picked.ids.get(expanded) and picked.totals.get(expanded):
        # A page past the end (the group shrank since the link was made): its last page.
        page = -(-picked.totals[expanded] // PAGE_SIZE)
        skips[expanded] = (page - 1) * PAGE_SIZE
        picked = _picked(due, limits, owner, skips)
    return picked, page


def this_week(
    *,
    owner: User,
    today: date,
    week_of: date | None = None,
    trust: str = "",
    expanded: str = "",
    page: int = 1,
    settings: UserSettings | None = None,
    settled: Reminder | None = None,
    focus: int | None = None,
) -> Board:
    """Everything the dashboard shows for `owner` in the week holding `week_of` (default today).

    `today` is the owner's today (in their time zone); `trust` one of TRUST_FILTERS;
    `expanded` the key of an occasion group to show in full, `page` by `page`.
    `settled`, a reminder just snoozed, dismissed or done, keeps its place in its group
    (marked `settled`), so the confirmation shows where the entry was; `focus`, the id
    of a reminder a link points at, shows in its group even past the first few.
    """
    settings = settings or UserSettings.for_user(owner)
    trust = trust if trust in TRUST_FILTERS else ""
    week = week_holding(week_of, today=today, week_start=settings.first_weekday)
    picked, page = _pick_board(due_reminders(owner, week, trust), owner, expanded, page)
    totals = picked.totals
    occasions = [
        Group(key, title, kinds, total=totals.get(key, 0), expanded=expanded == key, page=page)
        for key, title, kinds in OCCASION_GROUPS
    ]
    touch = Group(*TOUCH_GROUP, total=totals.get(TOUCH, 0))
    shown = {key: ids for key, ids in picked.ids.items() if key != TOUCH}
    touch_ids = picked.ids.get(TOUCH, [])[: touch_limit(sum(map(len, shown.values())))]
    ids = [pk for group_ids in (*shown.values(), touch_ids) for pk in group_ids]
    entries = _rows(ids, owner, focus)
    by_key = {group.key: group for group in (*occasions, touch)}
    for reminder in entries:
        by_key[GROUP_OF_KIND.get(reminder.kind, "other")].entries.append(reminder)
    dress_entries(entries, today)
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
