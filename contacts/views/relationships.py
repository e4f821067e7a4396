"""The Relationships overview: trust levels against Dunbar's layers (contacts.dunbar)."""

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.views.decorators.http import require_GET

from contacts.dunbar import LAYERS, chart_rows, overview_cache_key, relationships_overview
from contacts.timeline_sections import user_settings
from crm.data_version import owner_data_cache
from crm.http import AuthenticatedHttpRequest
from reminders.charts import GLANCE_SECONDS


@login_required
@require_GET
def relationships(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The overview reads every contact, so it is rendered once and kept until anything of
    the owner's changes (the key moves on; contacts.dunbar.overview_cache_key)."""
    prefs = user_settings(request)
    today = prefs.today()
    key = overview_cache_key(request.user, prefs, today)
    content = owner_data_cache.get(key)
    if not isinstance(content, str):
        overview = relationships_overview(owner=request.user, prefs=prefs, today=today)
        context = {"overview": overview, "chart": chart_rows(overview.rows), "layers": LAYERS}
        content = render_to_string("contacts/relationships.html#overview", context, request)
        owner_data_cache.set(key, content, GLANCE_SECONDS)
    context = {"content": content, "nav_section": "losing_touch"}
    return render(request, "contacts/relationships.html", context)
