"""The private calendar feed: its settings page and the feed itself."""

import re

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from crm.http import AuthenticatedHttpRequest
from crm.languages import in_language_of
from crm.models import UserSettings
from reminders.calendar_feed import FEED_DAYS, build_feed
from reminders.services import calendar_token_revoke, calendar_token_rotate

TOKEN_SHAPE = re.compile(r"[A-Za-z0-9_-]{1,64}")


def _feed_url(request: HttpRequest, token: str) -> str:
    return request.build_absolute_uri(reverse("reminders:calendar_feed", args=[token]))


@login_required
@require_http_methods(["GET", "POST"])
def calendar_settings(request: AuthenticatedHttpRequest) -> HttpResponse:
    if request.method == "POST":
        action = request.POST.get("action")
        if action in {"enable", "regenerate"}:
            calendar_token_rotate(owner=request.user)
            messages.success(
                request,
                _("Calendar feed turned on.")
                if action == "enable"
                else _("New feed address made; the old one no longer works."),
            )
        elif action == "revoke":
            calendar_token_revoke(owner=request.user)
            messages.success(request, _("Calendar feed turned off; its address no longer works."))
        else:
            messages.error(
                request, _("Choose to turn the feed on, make a new address, or turn it off.")
            )
        return redirect("reminders:calendar_settings")
    settings = UserSettings.for_user(request.user)
    feed_url = _feed_url(request, settings.calendar_token) if settings.calendar_token else ""
    return render(
        request,
        "reminders/calendar_settings.html",
        {
            "settings_section": "calendar",
            "feed_url": feed_url,
            "webcal_url": feed_url.replace("https://", "webcal://").replace("http://", "webcal://"),
            "feed_days": FEED_DAYS,
        },
    )


@require_GET
def calendar_feed(request: HttpRequest, token: str) -> HttpResponse:
    """Public by design (calendar apps cannot log in); the token is the only key."""
    # Tokens are token_urlsafe(); anything else (NUL bytes, which PostgreSQL refuses
    # in a query, or a 5,000-character guess) is no calendar without asking the database.
    found = (
        UserSettings.objects.select_related("user").filter(calendar_token=token).first()
        if TOKEN_SHAPE.fullmatch(token)
        else None
    )
    if found is None or not found.user.is_active:
        raise Http404("No such calendar.")

    def contact_url(contact_id: int) -> str:
        return request.build_absolute_uri(reverse("contacts:detail", args=[contact_id]))

    # The owner's language, whatever the calendar app asks for.
    with in_language_of(found):
        body = build_feed(user=found.user, start=found.today(), contact_url=contact_url)
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="rapport-occasions.ics"'
    # The address is a secret: keep it out of shared caches and referrers.
    response["Cache-Control"] = "private, max-age=3600"
    response["Referrer-Policy"] = "no-referrer"
    response["X-Robots-Tag"] = "noindex"
    return response
