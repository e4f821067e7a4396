"""The connection requests inbox: added by hand, imported from Invitations.csv, decided."""

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext
from django.views.decorators.http import require_http_methods, require_POST

from contacts import connection_requests
from contacts.connection_requests import InvitationsReport
from contacts.models import (
    ConnectionRequest,
    Contact,
    RequestStatus,
)
from contacts.network_forms import (
    DecisionForm,
    InvitationsUploadForm,
    RequestForm,
)
from crm.forms import apply_service_errors
from crm.htmx import wants_partial
from crm.http import AuthenticatedHttpRequest as HtmxHttpRequest
from crm.ownership import get_owned_or_404

PAGE_SIZE = 20


def _request_counts(owner: Any) -> dict[str, int]:
    """The tabs' numbers, counted in one query."""
    owned = ConnectionRequest.objects.owned_by(owner)
    counts = dict(owned.values_list("status").annotate(n=Count("id")).order_by())
    return {
        "pending_count": counts.get(RequestStatus.PENDING, 0),
        "decided_count": sum(n for status, n in counts.items() if status != RequestStatus.PENDING),
    }


def _requests_context(request: HttpRequest, **extra: Any) -> dict[str, Any]:
    decided = request.GET.get("show") == "decided"
    owned = ConnectionRequest.objects.owned_by(request.user)
    queryset = (
        owned.exclude(status=RequestStatus.PENDING).select_related("contact")
        if decided
        else owned.filter(status=RequestStatus.PENDING)
    )
    counts = _request_counts(request.user)
    page = Paginator(queryset.order_by("-sent_at", "-id"), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    decisions = extra.pop("decisions", {})
    cards = [(req, decisions.get(req.pk) or DecisionForm(prefix=f"r{req.pk}")) for req in page]
    if not decided:
        # Requests from people already in the contacts say so (one query for the page).
        urls = {req.linkedin_url for req, _ in cards if req.linkedin_url}
        existing = {
            contact.linkedin_url: contact
            for contact in Contact.objects.owned_by(request.user).filter(linkedin_url__in=urls)
        }
        for req, _ in cards:
            # For the template only: the contact this request's sender already is.
            req.existing = existing.get(req.linkedin_url) if req.linkedin_url else None  # type: ignore[attr-defined]
    return {
        "nav_section": "requests",
        "decided": decided,
        "page": page,
        "cards": cards,
        **counts,
        "add_form": extra.pop("add_form", None) or RequestForm(),
        "upload_form": extra.pop("upload_form", None) or InvitationsUploadForm(),
        "params": "show=decided" if decided else "",
        **extra,
    }


@login_required
@require_http_methods(["GET", "POST"])
def requests_inbox(request: HtmxHttpRequest) -> HttpResponse:
    """The inbox; POST adds a request by hand."""
    if request.method == "POST":
        form = RequestForm(request.POST)
        if form.is_valid():
            try:
                connection_requests.connection_request_create(
                    owner=request.user, **form.cleaned_data
                )
            except ValidationError as error:
                apply_service_errors(form, error)
            else:
                name = form.cleaned_data["name"]
                messages.success(request, gettext("Request from %(name)s added.") % {"name": name})
                return redirect("contacts:requests")
        return render(request, "contacts/requests.html", _requests_context(request, add_form=form))
    return render(request, "contacts/requests.html", _requests_context(request))


def invitations_imported(
    request: HttpRequest, summary: str, report: InvitationsReport, *, guessed: bool
) -> HttpResponse:
    """Say what an Invitations.csv import did, then show the inbox (here and from Import)."""
    if guessed:
        summary += " " + gettext("The file was not UTF-8, so it was read as Windows-1252.")
    messages.success(request, summary)
    for problem in report.problems[:10]:
        messages.warning(request, problem)
    return redirect("contacts:requests")


@login_required
@require_POST
def requests_import(request: HtmxHttpRequest) -> HttpResponse:
    form = InvitationsUploadForm(request.POST, request.FILES)
    status = 400
    if form.is_valid():
        upload = form.cleaned_data["file"]
        if upload.size > settings.IMPORT_MAX_BYTES:
            limit = settings.IMPORT_MAX_BYTES // (1024 * 1024) or 1
            form.add_error(
                "file",
                gettext("This file is too large (the limit is %(size)s MB).") % {"size": limit},
            )
            status = 413
        else:
            try:
                report, guessed = connection_requests.invitations_import_file(
                    owner=request.user, data=upload.read()
                )
            except connection_requests.InvitationsFormatError as error:
                form.add_error("file", str(error))
            else:
                return invitations_imported(request, report.summary(), report, guessed=guessed)
    context = _requests_context(request, upload_form=form)
    return render(request, "contacts/requests.html", context, status=status)


@login_required
@require_POST
def request_decide(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    req = get_owned_or_404(ConnectionRequest, request.user, pk=pk)
    form = DecisionForm(request.POST, prefix=f"r{req.pk}")
    contact = None
    if form.is_valid():
        data = form.cleaned_data
        try:
            if data["action"] == "know":
                contact = connection_requests.request_know(
                    request=req, trust_level=data["trust_level"], how_we_met=data["how_we_met"]
                )
            elif data["action"] == "follow":
                contact = connection_requests.request_follow(request=req)
            else:
                connection_requests.request_ignore(request=req)
        except ValidationError as error:
            apply_service_errors(form, error)
    if form.errors:
        if wants_partial(request):
            return render(request, "contacts/requests.html#card", {"req": req, "form": form})
        context = _requests_context(request, decisions={req.pk: form})
        return render(request, "contacts/requests.html", context, status=400)
    req.refresh_from_db()
    if wants_partial(request):
        # The card becomes its decision, and the tabs' counts follow (out of band).
        context = {"req": req, "contact": contact, **_request_counts(request.user)}
        return render(request, "contacts/requests.html#decided_response", context)
    messages.success(
        request,
        gettext("%(name)s: %(status)s.") % {"name": req.name, "status": req.get_status_display()},
    )
    return redirect("contacts:requests")
