"""Reminders & digest settings, with the scan's heartbeat and a "run it now" button."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from crm.http import AuthenticatedHttpRequest
from crm.models import UserSettings
from crm.services import user_settings_update
from reminders.forms import ReminderSettingsForm
from reminders.models import Reminder, ReminderStatus, ScanRun
from reminders.rescan import DELAYED
from reminders.tasks import queue_user_scan, reminders_delayed_since


def _heartbeat(request: AuthenticatedHttpRequest) -> dict[str, object]:
    # Scans for everyone and the user's own: another user's scan (its name, its count
    # of new reminders) is theirs to see, not this user's.
    visible = ScanRun.objects.filter(Q(user__isnull=True) | Q(user=request.user))
    runs = visible.filter(finished_at__isnull=False)
    latest = visible.first()
    return {
        "last_run": runs.select_related("user").first(),
        "last_scheduled": runs.filter(user__isnull=True).first(),
        "last_mine": runs.filter(user=request.user).first(),
        "running": latest if latest is not None and latest.finished_at is None else None,
        "open_count": Reminder.objects.owned_by(request.user)
        .filter(status=ReminderStatus.OPEN)
        .count(),
        "delayed_since": reminders_delayed_since(request.user),
    }


@login_required
def reminder_settings(request: AuthenticatedHttpRequest) -> HttpResponse:
    prefs = UserSettings.for_user(request.user)
    form = ReminderSettingsForm(request.POST or None, instance=prefs)
    if request.method == "POST" and form.is_valid():
        user_settings_update(settings=prefs, values=form.cleaned_data)
        # New milestones or opt-ins change what is due: recompute in the background.
        queued = queue_user_scan(request.user)
        messages.success(request, _("Reminder settings saved."))
        if not queued:
            messages.warning(request, DELAYED)
        return redirect("reminders:settings")
    context = {"form": form, "settings_section": "reminders", **_heartbeat(request)}
    return render(request, "reminders/settings.html", context)


@login_required
@require_POST
def run_scan_now(request: AuthenticatedHttpRequest) -> HttpResponse:
    if queue_user_scan(request.user, record=True):
        messages.success(
            request, _("The scan is queued; new reminders appear on your dashboard in a moment.")
        )
    else:
        messages.warning(
            request,
            _(
                "Reminders are delayed: the task queue is unreachable. Nothing is lost — the next "
                "daily scan recomputes everything."
            ),
        )
    return redirect("reminders:settings")
