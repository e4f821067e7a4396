"""This week: the dashboard every login lands on, and the actions on its entries."""

from collections.abc import Callable
from datetime import date, timedelta
from urllib.parse import quote, urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext
from django.views.decorators.http import require_POST

from contacts.introduction_flow import waiting_on_me
from contacts.promises import promises_due
from crm.formats import mid_sentence
from crm.htmx import wants_partial
from crm.http import AuthenticatedHttpRequest
from crm.languages import browser_language
from crm.models import UserSettings
from crm.ownership import get_owned_or_404
from reminders import services
from reminders.board_cache import (
    CSRF_STAND_IN,
    board_key,
    cached_board,
    remember_board,
    with_token,
)
from reminders.board_entries import annotate_entry
from reminders.context_lines import with_context
from reminders.dashboard import (
    GROUPS,
    TRUST_FILTERS,
    Board,
    Group,
    done_in_week,
    group_totals,
    this_week,
    week_holding,
)
from reminders.forms import FirstVisitForm
from reminders.models import NoteDraft, Reminder, ReminderStatus
from reminders.week_chart import week_chart


def _requested_week(request: AuthenticatedHttpRequest) -> date | None:
    raw = request.GET.get("week") or request.POST.get("week") or ""
    try:
        return date.fromisoformat(raw) if raw else None
    except ValueError:
        return None


def _page_number(request: AuthenticatedHttpRequest) -> int:
    raw = request.GET.get("page", "")
    return int(raw) if _is_id(raw) else 1


def _focus(request: AuthenticatedHttpRequest) -> int | None:
    """The reminder a link points at (a notification's, an Undo's), shown wherever it ranks."""
    raw = request.GET.get("focus", "")
    return int(raw) if _is_id(raw) else None


def _trust_filter(request: AuthenticatedHttpRequest) -> str:
    value = request.GET.get("trust") or request.POST.get("trust") or ""
    return value if value in TRUST_FILTERS else ""


def board_context(
    request: AuthenticatedHttpRequest,
    *,
    flash: str = "",
    settled: Reminder | None = None,
    settings: UserSettings | None = None,
) -> dict:
    """The board for the request's week and filter (reminders.dashboard does the work)."""
    user = request.user
    settings = settings or UserSettings.for_user(user)
    today = settings.today()
    board = this_week(
        owner=user,
        today=today,
        week_of=_requested_week(request),
        trust=_trust_filter(request),
        expanded=request.GET.get("all", ""),
        page=_page_number(request),
        settings=settings,
        settled=settled,
        focus=_focus(request),
    )
    context = {**_page_context(request, board), "flash": flash}
    # Issue 21: what waits on the user besides occasions (kept out of the board's queries).
    context["promises_due"] = promises_due(user, today)
    context["introductions_waiting"] = waiting_on_me(user, today)
    if not settings.sender_asked:
        # Asked once, on the first visit after signing up.
        context["ask_sender"] = True
        # The user is at hand: no lookup through settings.user.
        name = settings.display_name or user.first_name or user.get_username()
        language = settings.language or browser_language(request)
        context["sender_form"] = FirstVisitForm(
            instance=settings, initial={"display_name": name, "language": language}
        )
    return context


def _page_context(request: AuthenticatedHttpRequest, board: Board) -> dict:
    week, trust, today = board.week, board.trust, board.today
    query = {"week": week.starts_on.isoformat(), "trust": trust}
    here = reverse("reminders:dashboard") + "?" + urlencode(query)
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
        "chart": week_chart(board.bars),
        "overdue": board.overdue,
        "query": query,
        "here": here,
        **_entry_context(request, query, today),
    }


def _entry_context(request: AuthenticatedHttpRequest, query: dict[str, str], today: date) -> dict:
    """What every entry's forms and links share, rendered once per page rather than per entry."""
    here = reverse("reminders:dashboard") + "?" + urlencode(query)
    return {
        # After logging an interaction the list comes back with the entry settled in place.
        "next_for_log": quote(here + "&undo=", safe="/"),
        "csrf_field": format_html(
            '<input type="hidden" name="csrfmiddlewaretoken" value="{}">', get_token(request)
        ),
        "week_fields": format_html(
            '<input type="hidden" name="week" value="{}">'
            '<input type="hidden" name="trust" value="{}">',
            query["week"],
            query["trust"],
        ),
        "snooze_min": (today + timedelta(days=1)).isoformat(),
        "note_start_url": reverse("reminders:note_start"),
        "log_url": reverse("contacts:interaction_new"),
    }


def _settled_offer(request: AuthenticatedHttpRequest) -> Reminder | None:
    """Without JavaScript, the page after an action shows it settled in place, with Undo.

    The action redirects here with ?undo=<reminder id> (or ?unsend=<note id> after a
    note is marked sent) and its message; the message becomes the one-line
    confirmation where the entry was. A reload (message gone) shows nothing.
    """
    if wants_partial(request):
        return None
    reminder: Reminder | None = None
    undo_url = ""
    raw_note = request.GET.get("unsend", "")
    raw = request.GET.get("undo", "")
    if _is_id(raw_note):
        draft = (
            NoteDraft.objects.owned_by(request.user)
            .filter(pk=int(raw_note), sent_at__isnull=False, reminder__isnull=False)
            .select_related("reminder", "reminder__contact")
            .first()
        )
        if draft is not None and draft.reminder is not None:
            reminder = draft.reminder
            undo_url = reverse("reminders:note_unsend", args=[draft.pk])
    elif _is_id(raw):
        reminder = (
            Reminder.objects.owned_by(request.user)
            .exclude(status=ReminderStatus.OPEN)
            .select_related("contact")
            .filter(pk=int(raw))
            .first()
        )
        if reminder is not None:
            undo_url = reverse("reminders:reminder_reopen", args=[reminder.pk])
    if reminder is None or reminder.status == ReminderStatus.OPEN:
        return None
    flash = " ".join(str(message) for message in messages.get_messages(request))
    if not flash:
        return None
    return _settle(reminder, flash, undo_url)


def _is_id(raw: str) -> bool:
    return raw.isascii() and raw.isdigit() and 0 < len(raw) <= 12


def _settle(reminder: Reminder, flash: str, undo_url: str) -> Reminder:
    reminder.flash = flash  # type: ignore[attr-defined]
    reminder.undo_url = undo_url  # type: ignore[attr-defined]
    return reminder


@login_required
def dashboard(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The page; its board comes from reminders.board_cache when nothing changed since."""
    settled = _settled_offer(request)
    settings = UserSettings.for_user(request.user)
    # A page after an action (settled in place) or asking the sender's name is never cached.
    cacheable = settled is None and settings.sender_asked
    key = board_key(request.user, settings, request.GET) if cacheable else ""
    html = cached_board(key) if key else None
    if html is None:
        context = _board_to_cache(request, settings, settled)
        stand_ins = {  # the cached HTML holds no token: with_token() puts the request's in
            "csrf_token": CSRF_STAND_IN,  # for {% csrf_token %} in the included rows
            "csrf_field": format_html(
                '<input type="hidden" name="csrfmiddlewaretoken" value="{}">', CSRF_STAND_IN
            ),
        }
        html = render_to_string("reminders/dashboard.html#board", context | stand_ins, request)
        if key:
            remember_board(key, html, [draft.updated_at for draft in context["drafts"]])
    else:
        context = _header_context(request, settings)
    board = mark_safe(with_token(request, html))  # noqa: S308 - rendered by our template
    if wants_partial(request) and request.GET.get("partial") != "page":
        return HttpResponse(board)
    return render(request, "reminders/dashboard.html", context | {"board_html": board})


def _board_to_cache(
    request: AuthenticatedHttpRequest, settings: UserSettings, settled: Reminder | None
) -> dict:
    """The board's context for this request."""
    context = board_context(request, settled=settled, settings=settings)
    if settled is not None:
        context["messages"] = []  # shown once, in place, with its Undo
    focus = request.GET.get("focus", "")
    for group in context["board"].groups:
        for reminder in group.entries:
            reminder.focus = str(reminder.pk) == focus
            _link_log(reminder, context)
    return context


def _header_context(request: AuthenticatedHttpRequest, settings: UserSettings) -> dict:
    """What the page around a cached board needs: the week, its navigation and the filter."""
    today = settings.today()
    week = week_holding(_requested_week(request), today=today, week_start=settings.first_weekday)
    trust = _trust_filter(request)
    return {
        "nav_section": "dashboard",
        "today": today,
        "week": week,
        "trust": trust,
        "trust_filters": [(value, label) for value, (label, _) in TRUST_FILTERS.items()],
        "trust_label": TRUST_FILTERS[trust][0],
        "query": {"week": week.starts_on.isoformat(), "trust": trust},
    }


def _link_log(reminder: Reminder, context: dict) -> None:
    """The entry's "Log interaction" link, back to this page with the entry settled in place."""
    contact, key = reminder.contact_id, reminder.pk
    reminder.log_href = (  # type: ignore[attr-defined]
        f"{context['log_url']}?contact={contact}&next={context['next_for_log']}"
        f"{key}%23reminder-{key}"
    )


def _counts_context(request: AuthenticatedHttpRequest) -> dict:
    """What an in-place answer needs besides the entry: the moved counts and Done list."""
    user = request.user
    settings = UserSettings.for_user(user)
    today = settings.today()
    week = week_holding(_requested_week(request), today=today, week_start=settings.first_weekday)
    trust = _trust_filter(request)
    totals = group_totals(user, week, trust)
    groups = [Group(key, title, kinds, total=totals.get(key, 0)) for key, title, kinds in GROUPS]
    query = {"week": week.starts_on.isoformat(), "trust": trust}
    return {
        "board": {"groups": groups},
        "week": week,
        "query": query,
        "done": done_in_week(user, week, settings),
        "today": today,
        **_entry_context(request, query, today),
    }


def _after_action(
    request: AuthenticatedHttpRequest, reminder: Reminder, flash: str, *, undo: bool = True
) -> HttpResponse:
    """Over htmx the entry turns into its confirmation in place; else back to the list."""
    undo_url = reverse("reminders:reminder_reopen", args=[reminder.pk]) if undo else ""
    if wants_partial(request):
        context = {**_counts_context(request), "settled": _settle(reminder, flash, undo_url)}
        return render(request, "reminders/dashboard.html#action_result", context)
    messages.success(request, flash)
    query = {"week": request.POST.get("week", ""), "trust": _trust_filter(request)}
    if undo:
        query["undo"] = str(reminder.pk)
    return redirect(
        reverse("reminders:dashboard") + "?" + urlencode(query) + f"#reminder-{reminder.pk}"
    )


def _action_error(
    request: AuthenticatedHttpRequest, reminder: Reminder, error: ValidationError
) -> HttpResponse:
    text = " ".join(error.messages)
    if wants_partial(request):
        # htmx 2 does not swap 4xx: answer 200 with the entry and the message in it.
        context = _counts_context(request)
        today = context["today"]
        reminder = annotate_entry(reminder, owner=request.user, today=today)
        _link_log(reminder, context)
        context |= {"reminder": reminder, "entry_error": text, "focus_entry": True}
        return render(request, "reminders/dashboard.html#entry", context)
    messages.error(request, text)
    query = {"week": request.POST.get("week", ""), "trust": _trust_filter(request)}
    return redirect(
        reverse("reminders:dashboard") + "?" + urlencode(query) + f"#reminder-{reminder.pk}"
    )


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
        raise ValidationError(gettext("Pick the day to snooze until.")) from None


@login_required
@require_POST
def reminder_snooze(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    reminder = get_owned_or_404(Reminder.objects.select_related("contact"), request.user, pk=pk)
    today = UserSettings.for_user(request.user).today()
    try:
        until = _snooze_until(request, today)
        services.reminder_snooze(reminder=reminder, until=until, today=today)
    except ValidationError as error:
        return _action_error(request, reminder, error)
    when = date_format(until, "D j M")
    flash = gettext("Snoozed %(contact)s until %(date)s.") % {
        "contact": reminder.contact,
        "date": when,
    }
    return _after_action(request, reminder, flash)


def _status_change(
    request: AuthenticatedHttpRequest, pk: int, change: Callable[..., Reminder], news: str
) -> HttpResponse:
    """Dismiss or complete: `news` names the %(label)s of the %(contact)s in the confirmation."""
    reminder = get_owned_or_404(Reminder.objects.select_related("contact"), request.user, pk=pk)
    change(reminder=reminder)
    label = mid_sentence(reminder.get_kind_display())
    return _after_action(request, reminder, news % {"label": label, "contact": reminder.contact})


@login_required
@require_POST
def reminder_dismiss(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    return _status_change(
        request, pk, services.reminder_dismiss, gettext("Dismissed the %(label)s of %(contact)s.")
    )


@login_required
@require_POST
def reminder_done(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    return _status_change(
        request, pk, services.reminder_complete, gettext("Done: %(label)s of %(contact)s.")
    )


@login_required
@require_POST
def reminder_reopen(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Undo: the entry comes back where its confirmation was, focused."""
    reminder = get_owned_or_404(with_context(Reminder.objects.all()), request.user, pk=pk)
    services.reminder_reopen(reminder=reminder)
    return back_on_the_list(request, reminder)


def back_on_the_list(request: AuthenticatedHttpRequest, reminder: Reminder) -> HttpResponse:
    """After an Undo: over htmx the entry itself, focused; else the list, focused on it."""
    if wants_partial(request):
        context = _counts_context(request)
        reminder = annotate_entry(reminder, owner=request.user, today=context["today"])
        _link_log(reminder, context)
        context |= {"reminder": reminder, "focus_entry": True}
        return render(request, "reminders/dashboard.html#action_result", context)
    # Without JavaScript the entry itself, back in its place and focused, is the answer.
    query = {
        "week": request.POST.get("week", ""),
        "trust": _trust_filter(request),
        "focus": str(reminder.pk),
    }
    return redirect(
        reverse("reminders:dashboard") + "?" + urlencode(query) + f"#reminder-{reminder.pk}"
    )
