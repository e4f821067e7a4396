"""Following is not knowing: the people you follow, and "I know them now"."""

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext
from django.views.decorators.http import require_GET, require_http_methods

from contacts import network
from contacts.models import (
    Contact,
)
from contacts.network_forms import (
    KnowNowForm,
)
from contacts.search import search_filter
from crm.formats import mid_sentence
from crm.forms import apply_service_errors
from crm.htmx import render_page_or_partial
from crm.http import AuthenticatedHttpRequest as HtmxHttpRequest
from crm.ownership import get_owned_or_404

PAGE_SIZE = 20


@login_required
@require_GET
def following(request: HtmxHttpRequest) -> HttpResponse:
    query = request.GET.get("q", "").strip()[:200]
    people = search_filter(network.following_contacts(request.user), query)
    context = {
        "nav_section": "following",
        "page": Paginator(people, PAGE_SIZE).get_page(request.GET.get("page")),
        "query": query,
    }
    context["params"] = urlencode({"q": query}) if query else ""
    return render_page_or_partial(
        request, "contacts/following.html", context, partial="contacts/following.html#results"
    )


@login_required
@require_http_methods(["GET", "POST"])
def know_now(request: HttpRequest, pk: int) -> HttpResponse:
    contact = get_owned_or_404(Contact, request.user, pk=pk)
    initial = {"how_we_met": contact.how_we_met, "met_on": contact.met_on, "met_at": contact.met_at}
    if contact.trust_level in network.KNOWN_LEVELS:
        initial["trust_level"] = contact.trust_level
    form = KnowNowForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            network.contact_now_known(contact=contact, **form.cleaned_data)
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            level = mid_sentence(contact.trust_label)
            messages.success(
                request, gettext("%(name)s is now %(level)s.") % {"name": contact, "level": level}
            )
            return redirect(contact)
    return render(
        request,
        "contacts/following_know.html",
        {"nav_section": "following", "contact": contact, "form": form},
    )
