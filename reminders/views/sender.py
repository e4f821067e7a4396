"""Who notes come from: the display name and sign-off the note templates use."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from crm.http import AuthenticatedHttpRequest
from crm.languages import remember_language
from crm.models import UserSettings
from crm.services import user_settings_update
from reminders.forms import FirstVisitForm, SenderForm


def _safe_next(request: AuthenticatedHttpRequest) -> str | None:
    target = request.POST.get("next") or request.GET.get("next") or ""
    allowed = url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return target if target.startswith("/") and allowed else None


@login_required
@require_http_methods(["GET", "POST"])
def note_sender(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Settings → Your name on notes; the dashboard's first-visit question posts here too."""
    prefs = UserSettings.for_user(request.user)
    if request.method == "POST" and "skip" in request.POST:
        # Asked once: "Not now" is an answer; Settings keeps the question open.
        user_settings_update(settings=prefs, values={"sender_asked": True})
        return redirect(_safe_next(request) or "reminders:note_sender")
    # The dashboard's first-visit question also asks for the language.
    form_class = FirstVisitForm if "language" in request.POST else SenderForm
    form = form_class(request.POST or None, instance=prefs)
    if request.method == "POST" and form.is_valid():
        user_settings_update(settings=prefs, values={**form.cleaned_data, "sender_asked": True})
        if "language" in form.cleaned_data:
            remember_language(request, prefs.language)
        messages.success(
            request, _("Your notes now come from %(name)s.") % {"name": prefs.sender_name}
        )
        return redirect(_safe_next(request) or "reminders:note_sender")
    return render(
        request,
        "reminders/note_sender.html",
        {
            "form": form,
            "settings_section": "sender",
            "next": _safe_next(request) or "",
            "sender_name": prefs.sender_name,
        },
    )
