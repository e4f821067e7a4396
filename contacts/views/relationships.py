"""The Relationships overview: trust levels against Dunbar's layers (contacts.dunbar)."""

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import path
from django.views.decorators.http import require_GET

from contacts.dunbar import LAYERS, chart_rows, relationships_overview
from contacts.timeline_sections import user_settings
from crm.http import AuthenticatedHttpRequest


@login_required
@require_GET
def relationships(request: AuthenticatedHttpRequest) -> HttpResponse:
    prefs = user_settings(request)
    overview = relationships_overview(owner=request.user, prefs=prefs, today=prefs.today())
    context = {
        "overview": overview,
        "chart": chart_rows(overview.rows),
        "layers": LAYERS,
        "nav_section": "losing_touch",
    }
    return render(request, "contacts/relationships.html", context)


urlpatterns = [path("relationships/", relationships, name="relationships")]
