"""This week: the dashboard every login lands on, and the actions on its entries."""

from datetime import date, timedelta
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.dateformat import format as date_format
from django.views.decorators.http import require_POST

from crm.htmx import wants_partial
from crm.http import AuthenticatedHttpRequest
from crm.models import UserSettings
from crm.ownership import get_owned_or_404
from reminders import services
from reminders.dashboard import TRUST_FILTERS, this_week
from reminders.models import Reminder, ReminderStatus


def _requested_week(request: AuthenticatedHttpRequest) -> date | None:
    raw = request.GET.get("week") or request.POST.get("week") or ""
    try:
        return date.fromisoformat(raw) if raw else None
    except ValueError:
        return None


def _trust_filter(request: AuthenticatedHttpRequest) -> str:
    value = request.GET.get("trust") or request.POST.get("trust") or ""
    return value if value in TRUST_FILTERS else ""


def board_context(
    request: AuthenticatedHttpRequest, *, flash: str = "", undo: Reminder | None = None
) -> dict:
    """The board for the request's week and filter (reminders.dashboard does the work)."""
    user = request.user
    settings = UserSettings.for_user(user)
    today = settings.today()
    board = this_week(
        owner=user,
        today=today,
        week_of=_requested_week(request),
        trust=_trust_filter(request),
        expanded=request.GET.get("all", ""),
        settings=settings,
    )
    week, trust = board.week, board.trust
    query = {"week": week.starts_on.isoformat(), "trust": trust}
    return {
        "nav_section": "dashboard",
        "board": board,
        "today": today,
        "week": week,
        "trust": trust,
        "trust_filters": [(value, label) for value, (label, _) in TRUST_FILTERS.items()],
        "trust_label": TRUST_FILTERS[trust][0],
        "groups": board.groups,
        "due_count": board.due_count,
        "done": board.done,
        "drafts": board.drafts,
        "has_contacts": board.has_contacts,
        "quiet": board.quiet,
        "bars": board.bars,
        "overdue": board.overdue,
        "flash": flash,
        "undo": undo,
        "query": query,
        "here": reverse("reminders:dashboard") + "?" + urlencode(query),
        "snooze_min": (today + timedelta(days=1)).isoformat(),
        "note_start_url": reverse("reminders:note_start"),
        "log_url": reverse("contacts:interaction_new"),
    }


def _undo_offer(request: AuthenticatedHttpRequest) -> tuple[str, Reminder | None]:
    """Without JavaScript, the page after snooze/dismiss/done offers Undo as htmx does.

    The action redirects here with ?undo=<id> and its message; the message becomes the
    board's flash next to an Undo button. A reload (message gone) offers nothing.
    """
    raw = request.GET.get("undo", "")
    if wants_partial(request) or not (raw.isascii() and raw.isdigit() and len(raw) <= 12):
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
    if wants_partial(request) and request.GET.get("partial") != "page":
        template += "#board"
    return render(request, template, context)


def _after_action(
    request: AuthenticatedHttpRequest, reminder: Reminder, flash: str, *, undo: bool = True
) -> HttpResponse:
    if wants_partial(request):
        context = board_context(request, flash=flash, undo=reminder if undo else None)
        return render(request, "reminders/dashboard.html#board", context)
    messages.success(request, flash)
    query = {"week": request.POST.get("week", ""), "trust": _trust_filter(request)}
    if undo:
        query["undo"] = str(reminder.pk)
    return redirect(reverse("reminders:dashboard") + "?" + urlencode(query))


def _action_error(request: AuthenticatedHttpRequest, error: ValidationError) -> HttpResponse:
    text = " ".join(error.messages)
    if wants_partial(request):
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
