"""Who could I introduce? The finder, recording an introduction, and the contact page's list."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext
from django.views.decorators.http import require_GET, require_http_methods

from contacts import network
from contacts.detail_sections import detail_section
from contacts.introduction_flow import OPEN, introduction_refusal, visible_on
from contacts.introduction_forms import IntroductionStartForm
from contacts.models import (
    Contact,
    InteractionKind,
    Introduction,
    TrustLevel,
)
from contacts.network_forms import (
    KNOWN_CHOICES,
    IntroductionForm,
    IntroductionSearchForm,
)
from contacts.relationships import interactions_of
from crm.forms import apply_service_errors
from crm.htmx import render_page_or_partial, wants_partial
from crm.http import AuthenticatedHttpRequest as HtmxHttpRequest
from crm.links import mailto_url
from crm.ownership import get_owned_or_404

# Introduction results are tall cards (job, how we met, last talk, why it matched):
# ten closest-first is a screenful to choose from, and the cheapest page to render.
CARDS_PER_PAGE = 10


def _search_context(request: HttpRequest, exclude: Contact | None = None) -> dict[str, Any]:
    data = request.GET.copy() if request.GET else None
    if data is not None and data.get("min_trust") not in dict(KNOWN_CHOICES):
        # A search from a link that names no level (or a nonsense one) shows the level it
        # really uses, not the select's first option.
        data["min_trust"] = TrustLevel.KNOW_WELL
    form = IntroductionSearchForm(data)
    results, query = form.search(request.user)
    if exclude is not None:
        results = results.exclude(pk=exclude.pk)
    page = Paginator(results, CARDS_PER_PAGE).get_page(request.GET.get("page"))
    rows = [(contact, network.why_matched(contact, query)) for contact in page.object_list]
    params = request.GET.copy()
    params.pop("page", None)
    return {"form": form, "page": page, "rows": rows, "query": query, "params": params.urlencode()}


@login_required
@require_GET
def introductions(request: HtmxHttpRequest) -> HttpResponse:
    context = {
        "nav_section": "introductions",
        "in_progress": Introduction.objects.owned_by(request.user).filter(status__in=OPEN).count(),
        **_search_context(request),
    }
    return render_page_or_partial(
        request,
        "contacts/introductions.html",
        context,
        partial="contacts/introductions.html#results",
    )


@login_required
@require_http_methods(["GET", "POST"])
def introduce(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    contact = get_owned_or_404(Contact, request.user, pk=pk)
    other_id = request.POST.get("other") or request.GET.get("other")
    other = None
    if other_id and str(other_id).isdecimal():
        other = Contact.objects.owned_by(request.user).filter(pk=int(other_id)).first()
    form = IntroductionForm(request.POST or None, initial={"other": other.pk if other else None})
    if request.method == "POST" and form.is_valid():
        if other is None:
            form.add_error(
                None, gettext("Choose someone from your own contacts to introduce them to.")
            )
        else:
            try:
                network.introduction_record(
                    owner=request.user,
                    contact=contact,
                    other=other,
                    occurred_on=form.cleaned_data["occurred_on"],
                    note=form.cleaned_data["note"],
                    introduced_me=form.cleaned_data["introduced_me"],
                )
            except ValidationError as error:
                apply_service_errors(form, error)
            else:
                messages.success(
                    request,
                    gettext("Introduction of %(first)s and %(second)s logged on both timelines.")
                    % {"first": contact, "second": other},
                )
                return redirect(contact)
    context: dict[str, Any] = {
        "nav_section": "introductions",
        "contact": contact,
        "other": other,
        "record_form": form,
    }
    if other is None:
        context |= _search_context(request, exclude=contact)
        if wants_partial(request) and request.method == "GET":
            return render(request, "contacts/introductions_introduce.html#results", context)
    else:
        subject, draft = network.introduction_draft(
            owner=request.user, contact=contact, other=other
        )
        context |= {"draft": draft, "draft_subject": subject}
        context["start_form"] = IntroductionStartForm(
            initial={"first": contact.pk, "second": other.pk}
        )
        context["refusal"] = introduction_refusal(owner=request.user, first=contact, second=other)
        email = contact.emails.first()
        if email:
            context["mailto"] = mailto_url(email.email, subject, draft)
    return render(request, "contacts/introductions_introduce.html", context)


@detail_section("contacts/introductions_section.html", column="side", order=60)
def introductions_section(request: HttpRequest, contact: Contact) -> dict[str, Any]:
    people = Contact.objects.only("id", "first_name", "last_name")
    recent = (
        interactions_of(contact)
        .filter(kind=InteractionKind.INTRODUCTION)
        .prefetch_related(Prefetch("contacts", queryset=people))
        .order_by("-occurred_on", "-id")[:5]
    )
    # Only what the list shows: the two people's whole rows cost more to select than
    # the rest of the section.
    names = ("first__first_name", "first__last_name", "second__first_name", "second__last_name")
    tracked = (
        visible_on(contact)
        .only("first_id", "second_id", "status", "outcome", *names)
        .order_by("-created_at", "-id")[:5]
    )
    return {"introductions": list(recent), "tracked": list(tracked)}
