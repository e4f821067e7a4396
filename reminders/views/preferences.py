"""Reminders & digest settings, with the scan's heartbeat and a "run it now" button."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.views.decorators.http import require_POST

from crm.http import AuthenticatedHttpRequest
from crm.models import UserSettings
from reminders.models import Reminder, ReminderStatus, ScanRun
from reminders.tasks import queue_user_scan, reminders_delayed_since

MAX_MILESTONE = 80


class ReminderSettingsForm(forms.ModelForm):
    milestone_years = forms.CharField(
        label="Milestone work anniversaries",
        max_length=100,
        required=False,
        help_text="Years in a job worth congratulating, separated by commas, e.g. 1, 5, 10.",
    )

    class Meta:
        model = UserSettings
        fields = [
            "milestone_years",
            "milestone_every",
            "remind_following",
            "digest_enabled",
            "digest_weekday",
        ]
        labels = {
            "milestone_every": "Then every … years",
            "remind_following": "Remind me about people I only follow",
            "digest_enabled": "Send me a weekly digest email",
            "digest_weekday": "Digest day",
        }
        help_texts = {
            "milestone_every": "After the last listed year; 0 for no further anniversaries.",
            "remind_following": (
                "Off by default: birthdays and job changes of people you don't know are noise."
            ),
            "digest_enabled": "Who to congratulate in the week ahead, sent in the morning.",
        }

    def clean_milestone_years(self) -> str:
        raw = self.cleaned_data["milestone_years"]
        parts = [p.strip() for p in raw.replace(";", ",").replace(" ", ",").split(",")]
        years: set[int] = set()
        for part in filter(None, parts):
            if not part.isdecimal() or not 1 <= int(part) <= MAX_MILESTONE:
                raise forms.ValidationError(
                    f"“{part}” is not a number of years from 1 to {MAX_MILESTONE}."
                )
            years.add(int(part))
        return ",".join(str(y) for y in sorted(years))

    def clean_milestone_every(self) -> int:
        every = self.cleaned_data["milestone_every"]
        if every is None or not 0 <= every <= MAX_MILESTONE:
            raise forms.ValidationError(f"Enter a number of years from 0 to {MAX_MILESTONE}.")
        return every

    def clean(self) -> dict:
        super().clean()
        data = self.cleaned_data
        if data.get("milestone_years") == "" and data.get("milestone_every") == 0:
            raise forms.ValidationError(
                "With no listed years and no “every”, no work anniversary would ever be "
                "celebrated. List at least one year, or set “every”."
            )
        return data


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
        form.save()
        # New milestones or opt-ins change what is due: recompute in the background.
        queued = queue_user_scan(request.user)
        messages.success(request, "Reminder settings saved.")
        if not queued:
            messages.warning(request, "Reminders are delayed: the task queue is unreachable.")
        return redirect("reminders:settings")
    context = {"form": form, "settings_section": "reminders", **_heartbeat(request)}
    return render(request, "reminders/settings.html", context)


@login_required
@require_POST
def run_scan_now(request: AuthenticatedHttpRequest) -> HttpResponse:
    if queue_user_scan(request.user, record=True):
        messages.success(
            request, "The scan is queued; new reminders appear on your dashboard in a moment."
        )
    else:
        messages.warning(
            request,
            "Reminders are delayed: the task queue is unreachable. Nothing is lost — the next "
            "daily scan recomputes everything.",
        )
    return redirect("reminders:settings")


urlpatterns = [
    path("settings/", reminder_settings, name="settings"),
    path("settings/scan/", run_scan_now, name="scan_now"),
]
