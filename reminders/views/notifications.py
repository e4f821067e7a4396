"""Settings → Notifications: channels (Apprise URLs), their tests, pauses and failures."""

from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import User
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext, ngettext
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods, require_POST

from crm.formats.names import DAY_NAMES
from crm.htmx import wants_partial
from crm.http import AuthenticatedHttpRequest
from crm.models import UserSettings
from crm.ownership import get_owned_or_404
from reminders import channels as services
from reminders.models import DeliveryStatus, NotificationChannel, NotificationDelivery
from reminders.notification_forms import ChannelForm

PAGE = "reminders/notifications.html"
EDIT_PAGE = "reminders/notification_edit.html"
# While a test is on its way the list asks again this often (htmx; a refresh without JS).
POLL_SECONDS = 2


@dataclass(frozen=True)
class ChannelRow:
    channel: NotificationChannel
    test: NotificationDelivery | None
    test_state: str

    @property
    def failing(self) -> bool:
        """The last send failed (the error is newer than the last success)."""
        channel = self.channel
        return channel.last_error_at is not None and (
            channel.last_success_at is None or channel.last_error_at > channel.last_success_at
        )


def _rows(user: User) -> list[ChannelRow]:
    channels = list(NotificationChannel.objects.owned_by(user).order_by("created_at", "id"))
    tests = services.latest_tests(channels)
    rows = []
    for channel in channels:
        test = tests.get(channel.pk)
        rows.append(ChannelRow(channel, test, services.delivery_state(test) if test else ""))
    return rows


def _context(request: AuthenticatedHttpRequest, **extra: Any) -> dict[str, Any]:
    rows = _rows(request.user)
    waiting = {DeliveryStatus.QUEUED.value, DeliveryStatus.SENDING.value}
    prefs = UserSettings.for_user(request.user)
    return {
        "settings_section": "notifications",
        "rows": rows,
        "polling": any(row.test_state in waiting for row in rows),
        "poll_seconds": POLL_SECONDS,
        # The day as it reads inside a sentence ("le lundi"), not as Settings lists it.
        "digest_day": gettext(DAY_NAMES[prefs.digest_weekday]),
        "time_zone": prefs.time_zone,
        "max_channels": services.MAX_CHANNELS,
        **extra,
    }


def _list(request: AuthenticatedHttpRequest, **extra: Any) -> HttpResponse:
    template = f"{PAGE}#channels" if wants_partial(request) else PAGE
    return render(request, template, _context(request, **extra))


def _done(
    request: AuthenticatedHttpRequest, channel: NotificationChannel, status: str, news: str
) -> HttpResponse:
    """Over htmx the list with the short `status` line; else the page, with the longer `news`.

    Both name the channel as %(name)s.
    """
    name = {"name": channel.name}
    if wants_partial(request):
        return _list(request, status=status % name)
    messages.success(request, news % name)
    return redirect("reminders:notifications")


@sensitive_post_parameters("url")
@login_required
@require_http_methods(["GET", "POST"])
def notifications(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The channels, and the form to add one."""
    form = ChannelForm(request.POST or None)
    if request.method == "POST":
        count = NotificationChannel.objects.owned_by(request.user).count()
        if count >= services.MAX_CHANNELS:
            form.add_error(
                None,
                ngettext(
                    "You have %(count)d channel, the most Rapport keeps; remove one.",
                    "You have %(count)d channels, the most Rapport keeps; remove one.",
                    count,
                )
                % {"count": count},
            )
        if form.is_valid():
            channel = services.channel_create(owner=request.user, **form.service_arguments())
            messages.success(
                request,
                gettext("Added “%(name)s”. Send a test to check that it arrives.")
                % {"name": channel.name},
            )
            return redirect("reminders:notifications")
        return render(request, PAGE, _context(request, form=form))
    if wants_partial(request):
        return _list(request)
    return render(request, PAGE, _context(request, form=form))


@sensitive_post_parameters("url")
@login_required
@require_http_methods(["GET", "POST"])
def channel_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    channel = get_owned_or_404(NotificationChannel, request.user, pk=pk)
    form = ChannelForm(request.POST or None, instance=channel)
    if request.method == "POST" and form.is_valid():
        services.channel_update(channel=channel, **form.service_arguments())
        messages.success(request, gettext("Saved “%(name)s”.") % {"name": channel.name})
        return redirect("reminders:notifications")
    context = {"settings_section": "notifications", "channel": channel, "form": form}
    return render(request, EDIT_PAGE, context)


@login_required
@require_POST
def channel_delete(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    channel = get_owned_or_404(NotificationChannel, request.user, pk=pk)
    name = channel.name
    services.channel_delete(channel=channel)
    messages.success(
        request, gettext("Removed “%(name)s”; nothing more is sent there.") % {"name": name}
    )
    return redirect("reminders:notifications")


@login_required
@require_POST
def channel_test(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Queue a test; the row shows it on its way, then what happened."""
    channel = get_owned_or_404(NotificationChannel, request.user, pk=pk)
    try:
        services.channel_test(channel=channel)
    except services.TooManyTests as exc:
        if wants_partial(request):
            return _list(request, refused=str(exc))
        messages.error(request, str(exc))
        return redirect("reminders:notifications")
    return _done(
        request,
        channel,
        gettext("Test to “%(name)s” queued."),
        gettext("Test to “%(name)s” queued; its result shows on the row."),
    )


@login_required
@require_POST
def channel_resume(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    channel = get_owned_or_404(NotificationChannel, request.user, pk=pk)
    services.channel_resume(channel=channel)
    return _done(
        request,
        channel,
        gettext("“%(name)s” resumed."),
        gettext("“%(name)s” resumed: reminders are sent there again."),
    )
