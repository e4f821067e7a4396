"""Introductions, following, the triage queue and the connection requests inbox."""

import csv
from datetime import date
from typing import Any
from urllib.parse import urlencode

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Page, Paginator
from django.core.validators import FileExtensionValidator
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.defaultfilters import pluralize
from django.urls import path, reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from contacts import connection_requests, limits, network
from contacts.detail_sections import detail_section
from contacts.models import (
    ConnectionRequest,
    Contact,
    InteractionKind,
    RequestDirection,
    RequestStatus,
    TrustLevel,
)
from contacts.relationships import interactions_of
from contacts.search import search_filter
from crm.htmx import render_page_or_partial, wants_partial
from crm.http import AuthenticatedHttpRequest as HtmxHttpRequest
from crm.links import mailto_url
from crm.ownership import get_owned_or_404

PAGE_SIZE = 20
# Introduction results are tall cards (job, how we met, last talk, why it matched):
# ten closest-first is a screenful to choose from, and the cheapest page to render.
CARDS_PER_PAGE = 10
KNOWN_CHOICES = [(level.value, level.label) for level in network.KNOWN_LEVELS]


def _page(request: HttpRequest, queryset: Any, size: int = PAGE_SIZE) -> Page:
    return Paginator(queryset, size).get_page(request.GET.get("page"))


def _apply_errors(form: forms.Form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for name, errors in error.message_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, error.messages)


# --- Who could I introduce? ---------------------------------------------------


class IntroductionSearchForm(forms.Form):
    q = forms.CharField(
        label="Search",
        required=False,
        max_length=200,
        help_text="Current company, title, tags, notes or how you met, e.g. “partner venture”.",
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}),
    )
    min_trust = forms.ChoiceField(
        label="Know them at least",
        choices=KNOWN_CHOICES,
        initial=TrustLevel.KNOW_WELL,
        required=False,
        help_text="Introduce only people you can vouch for.",
    )
    include_following = forms.BooleanField(label="Include people I only follow", required=False)

    def search(self, owner: Any) -> tuple[Any, str]:
        # A nonsense filter falls back to its default; the valid fields still apply.
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        query = data.get("q", "")
        results = network.introduction_search(
            owner=owner,
            query=query,
            min_trust=data.get("min_trust") or TrustLevel.KNOW_WELL,
            include_following=data.get("include_following", False),
        )
        return results, query


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
    page = _page(request, results, size=CARDS_PER_PAGE)
    rows = [(contact, network.why_matched(contact, query)) for contact in page.object_list]
    params = request.GET.copy()
    params.pop("page", None)
    return {"form": form, "page": page, "rows": rows, "query": query, "params": params.urlencode()}


@login_required
@require_GET
def introductions(request: HtmxHttpRequest) -> HttpResponse:
    context = {"nav_section": "introductions", **_search_context(request)}
    return render_page_or_partial(
        request,
        "contacts/introductions.html",
        context,
        partial="contacts/introductions.html#results",
    )


class IntroductionForm(forms.Form):
    other = forms.IntegerField(widget=forms.HiddenInput)
    occurred_on = forms.DateField(
        label="Date", initial=date.today, widget=forms.DateInput(attrs={"type": "date"})
    )
    note = forms.CharField(
        label="Note",
        required=False,
        max_length=limits.SHORT_NOTE_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Why you think they should meet; it goes on both timelines.",
    )
    introduced_me = forms.BooleanField(
        label="They introduced me to this person",
        required=False,
        help_text="Records the introducer in the other person's “how we met”.",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["occurred_on"].widget.attrs.update(limits.date_input_attrs(past=True))

    def clean_occurred_on(self) -> date:
        value: date = self.cleaned_data["occurred_on"]
        # It is logged as an interaction (and may fill in "met on"), so the same rules apply.
        limits.validate_past_date(value, slack=limits.TIME_ZONE_SLACK)
        return value


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
            form.add_error(None, "Choose someone from your own contacts to introduce them to.")
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
                _apply_errors(form, error)
            else:
                messages.success(
                    request, f"Introduction of {contact} and {other} logged on both timelines."
                )
                return redirect(contact)
    context: dict[str, Any] = {
        "nav_section": "introductions",
        "contact": contact,
        "other": other,
        "record_form": form,
    }
    if other is None:
        context.update(_search_context(request, exclude=contact))
        if wants_partial(request) and request.method == "GET":
            return render(request, "contacts/introductions_introduce.html#results", context)
    else:
        subject, draft = network.introduction_draft(
            owner=request.user, contact=contact, other=other
        )
        context.update(draft=draft, draft_subject=subject)
        email = contact.emails.first()
        if email:
            context["mailto"] = mailto_url(email.email, subject, draft)
    return render(request, "contacts/introductions_introduce.html", context)


@detail_section("contacts/introductions_section.html", column="side", order=60)
def introductions_section(request: HttpRequest, contact: Contact) -> dict[str, Any]:
    recent = (
        interactions_of(contact)
        .filter(kind=InteractionKind.INTRODUCTION)
        .prefetch_related("contacts")
        .order_by("-occurred_on", "-id")[:5]
    )
    return {"introductions": list(recent)}


# --- Following ----------------------------------------------------------------------


@login_required
@require_GET
def following(request: HtmxHttpRequest) -> HttpResponse:
    query = request.GET.get("q", "").strip()[:200]
    people = search_filter(network.following_contacts(request.user), query)
    context = {"nav_section": "following", "page": _page(request, people), "query": query}
    context["params"] = urlencode({"q": query}) if query else ""
    return render_page_or_partial(
        request, "contacts/following.html", context, partial="contacts/following.html#results"
    )


class KnowNowForm(forms.Form):
    trust_level = forms.ChoiceField(
        label="How well do you know them now?", choices=KNOWN_CHOICES, initial=TrustLevel.MET
    )
    how_we_met = forms.CharField(
        label="How we met",
        max_length=limits.HOW_WE_MET_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Required: knowing someone starts with a story, e.g. “Sat together at PyCon”.",
    )
    met_on = forms.DateField(
        label="Met on", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    met_at = forms.CharField(label="Place or event", required=False, max_length=200)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["met_on"].widget.attrs.update(limits.date_input_attrs(past=True))

    def clean_met_on(self) -> date | None:
        met_on = self.cleaned_data["met_on"]
        # As on the contact form: a meeting has happened (a far-future typo would also
        # push every keep-in-touch date past the end of the calendar).
        limits.validate_past_date(met_on)
        return met_on


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
            _apply_errors(form, error)
        else:
            messages.success(request, f"{contact} is now {contact.trust_label.lower()}.")
            return redirect(contact)
    return render(
        request,
        "contacts/following_know.html",
        {"nav_section": "following", "contact": contact, "form": form},
    )


# --- Triage --------------------------------------------------------------------------

TRIAGE_BUTTONS = [
    (key, level, TrustLevel(level).label)
    for key, level in network.TRIAGE_KEYS.items()
    if key.isdigit()
]


def _triage_context(
    request: HtmxHttpRequest, after: int | None, contact: Contact | None = None, **extra: Any
) -> dict[str, Any]:
    progress = network.triage_progress(request.user)
    if contact is None:
        contact = network.triage_next(request.user, after)
    return {
        "nav_section": "triage",
        "contact": contact,
        "progress": progress,
        "buttons": TRIAGE_BUTTONS,
        **extra,
    }


def _int_or_none(value: str | None) -> int | None:
    return int(value) if value and value.isdecimal() else None


# The session key holding the state before the last triage step, for Undo.
TRIAGE_UNDO = "triage_undo"


def _undo_offer(request: HtmxHttpRequest, after: int | None) -> dict[str, Any]:
    """Without JavaScript, the page after a rating offers Undo as the htmx answer does."""
    snapshot = request.session.get(TRIAGE_UNDO)
    if after is None or not snapshot or snapshot.get("pk") != after:
        return {}
    rated = Contact.objects.owned_by(request.user).filter(pk=after).first()
    return {"rated": rated, "rated_label": rated.trust_label} if rated else {}


@login_required
@require_GET
def triage(request: HtmxHttpRequest) -> HttpResponse:
    after, pk = _int_or_none(request.GET.get("after")), _int_or_none(request.GET.get("contact"))
    context = _triage_context(
        request, after, contact=network.triage_next(request.user, after, pk=pk) if pk else None
    )
    if not wants_partial(request):
        context.update(_undo_offer(request, after))
    return render_page_or_partial(
        request, "contacts/triage.html", context, partial="contacts/triage.html#triage"
    )


@login_required
@require_POST
def triage_rate(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    contact = get_owned_or_404(Contact, request.user, pk=pk)
    level = request.POST.get("trust_level", "")
    how_we_met = request.POST.get("how_we_met", "")[: limits.HOW_WE_MET_MAX]
    before = network.triage_snapshot(contact)
    try:
        network.triage_rate(contact=contact, trust_level=level, how_we_met=how_we_met)
    except ValidationError as error:
        context = _triage_context(request, None, contact=contact, error=" ".join(error.messages))
        return render(request, "contacts/triage.html#triage", context, status=400)
    request.session[TRIAGE_UNDO] = before
    done: dict[str, Any] = {"rated": contact, "rated_label": contact.trust_label}
    if wants_partial(request):
        return render(request, "contacts/triage.html#triage", _triage_context(request, pk, **done))
    # The next page says it once, next to its Undo button (see _undo_offer).
    return redirect(f"{reverse('contacts:triage')}?after={contact.pk}")


@login_required
@require_POST
def triage_undo(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    contact = get_owned_or_404(Contact, request.user, pk=pk)
    snapshot = request.session.get(TRIAGE_UNDO)
    if snapshot and snapshot.get("pk") == contact.pk:
        del request.session[TRIAGE_UNDO]
    network.triage_undo(contact=contact, snapshot=snapshot)
    if wants_partial(request):
        context = _triage_context(request, None, contact=network.triage_next(request.user, pk=pk))
        return render(request, "contacts/triage.html#triage", context)
    level = contact.trust_label if contact.trust_level else "“not rated yet”"
    messages.info(request, f"{contact} is back to {level}.")
    return redirect(f"{reverse('contacts:triage')}?contact={contact.pk}")


# --- Connection requests ------------------------------------------------------------


class RequestForm(forms.Form):
    name = forms.CharField(label="Name", max_length=200)
    linkedin_url = forms.CharField(
        label="LinkedIn profile",
        required=False,
        max_length=300,
        help_text="Optional, e.g. https://www.linkedin.com/in/name",
    )
    direction = forms.ChoiceField(
        label="Who asked", choices=RequestDirection.choices, initial=RequestDirection.INCOMING
    )
    message = forms.CharField(
        label="Message",
        required=False,
        max_length=limits.SHORT_NOTE_MAX,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class InvitationsUploadForm(forms.Form):
    file = forms.FileField(
        label="LinkedIn Invitations.csv",
        help_text="From LinkedIn's data export (Settings, Data privacy, Get a copy of your data).",
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,text/csv"}),
        validators=[
            FileExtensionValidator(
                ["csv", "txt"],
                message="“%(extension)s” is not a CSV file; upload Invitations.csv.",
            )
        ],
    )


class DecisionForm(forms.Form):
    action = forms.ChoiceField(
        choices=[("know", "I know them"), ("follow", "Follow"), ("ignore", "Ignore")]
    )
    trust_level = forms.ChoiceField(
        label="How well", choices=KNOWN_CHOICES, initial=TrustLevel.MET, required=False
    )
    how_we_met = forms.CharField(
        label="How we met",
        max_length=limits.HOW_WE_MET_MAX,
        required=False,
        help_text="Required for “I know them”.",
    )


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
    page = _page(request, queryset.order_by("-sent_at", "-id"))
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
            req.existing = existing.get(req.linkedin_url) if req.linkedin_url else None
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
                _apply_errors(form, error)
            else:
                messages.success(request, f"Request from {form.cleaned_data['name']} added.")
                return redirect("contacts:requests")
        return render(request, "contacts/requests.html", _requests_context(request, add_form=form))
    return render(request, "contacts/requests.html", _requests_context(request))


def _decode(raw: bytes) -> tuple[str, bool]:
    try:
        return raw.decode("utf-8-sig"), False
    except UnicodeDecodeError:
        return raw.decode("cp1252", errors="replace"), True


def _invitations_summary(created: int, already: int, skipped: int) -> str:
    """ "Imported 3 new requests." plus what was left out, in plain words."""
    parts = [f"Imported {created} new request{pluralize(created)}."]
    if already:
        parts.append(f"{already} {'was' if already == 1 else 'were'} already here.")
    if skipped:
        parts.append(f"{skipped} row{pluralize(skipped)} skipped.")
    return " ".join(parts)


@login_required
@require_POST
def requests_import(request: HtmxHttpRequest) -> HttpResponse:
    form = InvitationsUploadForm(request.POST, request.FILES)
    status = 400
    if form.is_valid():
        upload = form.cleaned_data["file"]
        if upload.size > settings.IMPORT_MAX_BYTES:
            limit = settings.IMPORT_MAX_BYTES // (1024 * 1024) or 1
            form.add_error("file", f"This file is too large (the limit is {limit} MB).")
            status = 413
        else:
            text, guessed = _decode(upload.read())
            try:
                if "\x00" in text:
                    # Binary, or UTF-16 without a BOM; PostgreSQL could not store it anyway.
                    raise connection_requests.InvitationsFormatError(
                        "This file looks binary, not text. Is it Invitations.csv?"
                    )
                report = connection_requests.invitations_import(owner=request.user, text=text)
            except connection_requests.InvitationsFormatError as error:
                form.add_error("file", str(error))
            except csv.Error as error:
                form.add_error("file", f"This file could not be read as CSV: {error}")
            else:
                summary = _invitations_summary(
                    report.created, report.already_imported, report.skipped
                )
                if guessed:
                    summary += " The file was not UTF-8, so it was read as Windows-1252."
                messages.success(request, summary)
                for problem in report.problems[:10]:
                    messages.warning(request, problem)
                return redirect("contacts:requests")
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
            _apply_errors(form, error)
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
    messages.success(request, f"{req.name}: {req.get_status_display()}.")
    return redirect("contacts:requests")


urlpatterns = [
    path("introductions/", introductions, name="introductions"),
    path("<int:pk>/introduce/", introduce, name="introduce"),
    path("following/", following, name="following"),
    path("<int:pk>/know/", know_now, name="know_now"),
    path("triage/", triage, name="triage"),
    path("triage/<int:pk>/", triage_rate, name="triage_rate"),
    path("triage/<int:pk>/undo/", triage_undo, name="triage_undo"),
    path("requests/", requests_inbox, name="requests"),
    path("requests/import/", requests_import, name="requests_import"),
    path("requests/<int:pk>/", request_decide, name="request_decide"),
]
