"""The general settings page: time zone, week start, keep-in-touch cadences."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext
from django.views.decorators.http import require_http_methods

from crm.http import AuthenticatedHttpRequest
from crm.languages import remember_language
from crm.models import UserSettings
from crm.preference_forms import CADENCE_FIELDS, PreferencesForm
from crm.services import user_settings_update
from crm.timezones import remember_time_zone


@login_required
@require_http_methods(["GET", "POST"])
def settings_view(request: AuthenticatedHttpRequest) -> HttpResponse:
    prefs = UserSettings.for_user(request.user)
    form = PreferencesForm(request.POST or None, instance=prefs)
    if request.method == "POST" and form.is_valid():
        user_settings_update(settings=prefs, values=form.cleaned_data)
        remember_time_zone(request, prefs.time_zone)
        remember_language(request, prefs.language)
        messages.success(request, gettext("Settings saved."))
        return redirect("settings")
    context = {
        "form": form,
        "cadence_fields": [form[name] for name, _ in CADENCE_FIELDS],
        "settings_section": "general",
    }
    return render(request, "crm/settings.html", context)
