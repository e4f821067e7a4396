"""This week: the dashboard every login lands on, and the actions on its entries."""

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db.models import F, Q, QuerySet
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, path, reverse
from django.utils.dateformat import format as date_format
from django.views.decorators.http import require_POST

from contacts.models import Contact, TrustLevel
from crm.http import AuthenticatedHttpRequest
from crm.models import UserSettings
from crm.ownership import get_owned_or_404
from reminders import services
from reminders.charts import overdue_close_people, week_start_of, weekly_interactions
from reminders.context_lines import attach_context_lines, days_phrase, with_context
from reminders.models import NoteDraft, Reminder, ReminderKind, ReminderStatus

# Entries shown per group before "show all"; keeps a 500-reminder backlog readable and fast.
GROUP_LIMIT = 10
WINDOW_DAYS = 7
# Long text the dashboard never shows; left in the database.
HEAVY_CONTACT_FIELDS = ("contact__search_text", "contact__notes", "contact__how_we_met")


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


GROUPS = (
    ("career", "Job changes and promotions", (ReminderKind.JOB_CHANGE, ReminderKind.PROMOTION)),
    ("anniversary", "Work anniversaries", (ReminderKind.WORK_ANNIVERSARY,)),
    ("birthday", "Birthdays", (ReminderKind.BIRTHDAY,)),
    ("touch", "Keep in touch", (ReminderKind.KEEP_IN_TOUCH,)),
    ("other", "Other dates", (ReminderKind.CUSTOM,)),
)

# Trust filter choices: value -> (label, trust levels shown; None = not rated yet).
TRUST_FILTERS: dict[str, tuple[str, Sequence[str | None]]] = {
    "": ("Everyone but people I only follow", [*TrustLevel.at_least(TrustLevel.MET), None]),
    "all": ("Everyone", [*TrustLevel.values, None]),
    "acquaintance": ("Acquaintances and closer", TrustLevel.at_least(TrustLevel.ACQUAINTANCE)),
    "know_well": ("People I know well and close", TrustLevel.at_least(TrustLevel.KNOW_WELL)),
    "close": ("Close only", [TrustLevel.CLOSE]),
}


WEEK_YEARS_AWAY = 100


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


def _week(request: AuthenticatedHttpRequest, settings: UserSettings, today: date) -> Week:
    raw = request.GET.get("week") or request.POST.get("week") or ""
    try:
        day = date.fromisoformat(raw) if raw else today
    except ValueError:
        day = today
    # A week centuries away helps nobody, and near year 1 or 9999 its neighbours'
    # dates (the previous/next links) do not exist.
    if abs(day.year - today.year) > WEEK_YEARS_AWAY:
        day = today
    return Week(starts_on=week_start_of(day, settings.week_start), today=today)


def _trust_filter(request: AuthenticatedHttpRequest) -> str:
    value = request.GET.get("trust") or request.POST.get("trust") or ""
    return value if value in TRUST_FILTERS else ""


def _trust_condition(value: str) -> Q:
    levels = TRUST_FILTERS[value][1]
    rated = [level for level in levels if level is not None]
    condition = Q(contact__trust_level__in=rated)
    if None in levels:
        condition |= Q(contact__trust_level__isnull=True)
    return condition


def _due_reminders(owner: User, week: Week, trust: str) -> QuerySet[Reminder]:
    """Open reminders in view; a snoozed one counts from its snoozed_until."""
    reminders = Reminder.objects.owned_by(owner).filter(_trust_condition(trust))
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
    return reminders.filter(shown).order_by("due_on", "id")


def _group(due: list[tuple[int, str]], expanded: str) -> tuple[list[Group], list[int]]:
    """Count every due reminder per group; pick the ids of the ones to show."""
    groups = [Group(key, title, kinds, expanded=expanded == key) for key, title, kinds in GROUPS]
    by_kind = {kind: group for group in groups for kind in group.kinds}
    shown: list[int] = []
    for pk, kind in due:
        group = by_kind.get(kind, groups[-1])
        group.total += 1
        if group.expanded or group.total <= GROUP_LIMIT:
            shown.append(pk)
    return groups, shown


def _fill_groups(groups: list[Group], reminders: list[Reminder]) -> None:
    by_kind = {kind: group for group in groups for kind in group.kinds}
    for reminder in reminders:
        by_kind.get(reminder.kind, groups[-1]).entries.append(reminder)


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


def _done_this_week(owner: User, week: Week, settings: UserSettings) -> list[Reminder]:
    zone = settings.zone
    start = datetime.combine(week.starts_on, time.min, tzinfo=zone)
    end = datetime.combine(week.next, time.min, tzinfo=zone)
    return list(
        Reminder.objects.owned_by(owner)
        .filter(status=ReminderStatus.DONE, completed_at__gte=start, completed_at__lt=end)
        .select_related("contact")
        .order_by("-completed_at", "-id")[:50]
    )


def board_context(
    request: AuthenticatedHttpRequest, *, flash: str = "", undo: Reminder | None = None
) -> dict:
    """Everything the board partial shows; a fixed number of queries whatever the data size."""
    user = request.user
    settings = UserSettings.for_user(user)
    today = settings.today()
    week = _week(request, settings, today)
    trust = _trust_filter(request)
    expanded = request.GET.get("all", "")
    # Two steps, so a backlog of hundreds costs one narrow query, not hundreds of models:
    # ids and kinds of everything due, then full rows for the entries on screen.
    due = list(_due_reminders(user, week, trust).values_list("pk", "kind"))
    groups, shown_ids = _group(due, expanded)
    entries: list[Reminder] = []
    if shown_ids:
        entries = list(
            with_context(Reminder.objects.filter(pk__in=shown_ids))
            .defer(*HEAVY_CONTACT_FIELDS)
            .order_by("due_on", "id")
        )
        _fill_groups(groups, entries)
        _annotate_entries(entries, user, today)
    has_contacts = bool(due) or Contact.objects.owned_by(user).exists()
    quiet: list[Contact] = []
    if has_contacts and not due:
        quiet = list(
            Contact.objects.owned_by(user)
            .exclude(trust_level=TrustLevel.FOLLOWING)
            .order_by(F("last_interaction_on").asc(nulls_last=True), "id")[:5]
        )
    query = {"week": week.starts_on.isoformat(), "trust": trust}
    return {
        "nav_section": "dashboard",
        "today": today,
        "week": week,
        "trust": trust,
        "trust_filters": [(value, label) for value, (label, _) in TRUST_FILTERS.items()],
        "trust_label": TRUST_FILTERS[trust][0],
        "groups": groups,
        "due_count": len(due),
        "done": _done_this_week(user, week, settings),
        "drafts": list(
            NoteDraft.objects.owned_by(user)
            .filter(sent_at__isnull=True)
            .select_related("contact")
            .order_by("-updated_at")[:8]
        ),
        "has_contacts": has_contacts,
        "quiet": quiet,
        "bars": weekly_interactions(owner=user, today=today, week_start=settings.week_start),
        "overdue": overdue_close_people(owner=user, settings=settings, today=today),
        "flash": flash,
        "undo": undo,
        "query": query,
        "here": reverse("reminders:dashboard") + "?" + urlencode(query),
        "snooze_min": (today + timedelta(days=1)).isoformat(),
        "note_start_url": reverse("reminders:note_start"),
        "log_url": _optional_url("contacts:interaction_new"),
    }


def _optional_url(name: str) -> str:
    try:
        return reverse(name)
    except NoReverseMatch:
        return ""


def _undo_offer(request: AuthenticatedHttpRequest) -> tuple[str, Reminder | None]:
    """Without JavaScript, the page after snooze/dismiss/done offers Undo as htmx does.

    The action redirects here with ?undo=<id> and its message; the message becomes the
    board's flash next to an Undo button. A reload (message gone) offers nothing.
    """
    raw = request.GET.get("undo", "")
    if request.htmx or not (raw.isascii() and raw.isdigit() and len(raw) <= 12):
        return "", None
    reminder = (
        Reminder.objects.owned_by(request.user)
        .exclude(status=ReminderStatus.OPEN)
        .filter(pk=int(raw))
        .first()
    )
    if reminder is None:
        return "", None
    flash = " ".join(str(message) for message in messages.get_messages(request))
    return (flash, reminder) if flash else ("", None)


@login_required
def dashboard(request: AuthenticatedHttpRequest) -> HttpResponse:
    flash, undo = _undo_offer(request)
    context = board_context(request, flash=flash, undo=undo)
    if undo is not None:
        context["messages"] = []  # shown once, as the board's flash with its Undo
    template = "reminders/dashboard.html"
    if request.htmx and request.GET.get("partial") != "page":
        template += "#board"
    return render(request, template, context)


def _after_action(
    request: AuthenticatedHttpRequest, reminder: Reminder, flash: str, *, undo: bool = True
) -> HttpResponse:
    if request.htmx:
        context = board_context(request, flash=flash, undo=reminder if undo else None)
        return render(request, "reminders/dashboard.html#board", context)
    messages.success(request, flash)
    query = {"week": request.POST.get("week", ""), "trust": _trust_filter(request)}
    if undo:
        query["undo"] = str(reminder.pk)
    return redirect(reverse("reminders:dashboard") + "?" + urlencode(query))


def _action_error(request: AuthenticatedHttpRequest, error: ValidationError) -> HttpResponse:
    text = " ".join(error.messages)
    if request.htmx:
        # htmx 2 does not swap 4xx: answer 200 with the board and the message in place.
        return render(request, "reminders/dashboard.html#board", board_context(request, flash=text))
    messages.error(request, text)
    return redirect(reverse("reminders:dashboard"))


def _snooze_until(request: AuthenticatedHttpRequest, today: date) -> date:
    choice = request.POST.get("for", "")
    if choice == "day":
        return today + timedelta(days=1)
    if choice == "week":
        return today + timedelta(weeks=1)
    raw = request.POST.get("until", "")
    try:
        return date.fromisoformat(raw)
    except ValueError:
        raise ValidationError("Pick the day to snooze until.") from None


@login_required
@require_POST
def reminder_snooze(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    reminder = get_owned_or_404(Reminder.objects.select_related("contact"), request.user, pk=pk)
    today = UserSettings.for_user(request.user).today()
    try:
        until = _snooze_until(request, today)
        services.reminder_snooze(reminder=reminder, until=until, today=today)
    except ValidationError as error:
        return _action_error(request, error)
    when = date_format(until, "D j M")
    return _after_action(request, reminder, f"Snoozed {reminder.contact} until {when}.")


@login_required
@require_POST
def reminder_dismiss(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    reminder = get_owned_or_404(Reminder.objects.select_related("contact"), request.user, pk=pk)
    services.reminder_dismiss(reminder=reminder)
    label = reminder.get_kind_display().lower()
    return _after_action(request, reminder, f"Dismissed the {label} of {reminder.contact}.")


@login_required
@require_POST
def reminder_done(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    reminder = get_owned_or_404(Reminder.objects.select_related("contact"), request.user, pk=pk)
    services.reminder_complete(reminder=reminder)
    label = reminder.get_kind_display().lower()
    return _after_action(request, reminder, f"Done: {label} of {reminder.contact}.")


@login_required
@require_POST
def reminder_reopen(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    reminder = get_owned_or_404(Reminder.objects.select_related("contact"), request.user, pk=pk)
    services.reminder_reopen(reminder=reminder)
    label = reminder.get_kind_display().lower()
    return _after_action(
        request, reminder, f"Back on the list: {label} of {reminder.contact}.", undo=False
    )


urlpatterns = [
    path("", dashboard, name="dashboard"),
    path("<int:pk>/snooze/", reminder_snooze, name="reminder_snooze"),
    path("<int:pk>/dismiss/", reminder_dismiss, name="reminder_dismiss"),
    path("<int:pk>/done/", reminder_done, name="reminder_done"),
    path("<int:pk>/reopen/", reminder_reopen, name="reminder_reopen"),
]
