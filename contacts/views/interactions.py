"""Interactions: log, edit and delete them; the timeline; keeping in touch.

Every page works without JavaScript; with htmx the same URLs answer with the
named partial that replaces the element the user acted on.
"""

from datetime import date
from typing import TYPE_CHECKING, Any, TypedDict
from urllib.parse import urlsplit

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, QuerySet, Window
from django.http import HttpResponse, HttpResponseBadRequest, QueryDict
from django.shortcuts import redirect, render
from django.urls import Resolver404, resolve, reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from contacts import reach_out
from contacts.identity import with_identity
from contacts.interaction_forms import (
    INTERACTION_FIELDS,
    InteractionForm,
    interaction_values,
    is_row_id,
)
from contacts.models import Contact, Interaction, InteractionKind
from contacts.promise_forms import PromiseForm
from contacts.promises import interaction_log
from contacts.relationships import interaction_delete, interaction_update
from contacts.search import search_filter
from contacts.timeline import contact_timeline_page
from contacts.timeline_sections import timeline_context
from contacts.touch_words import touch_words
from crm.forms import apply_service_errors
from crm.htmx import wants_partial
from crm.http import AuthenticatedHttpRequest
from crm.models import UserSettings
from crm.ownership import get_owned_or_404
from reminders.keep_in_touch import SNOOZE_CHOICES, due_contacts, keep_in_touch_status
from reminders.services import keep_in_touch_snooze

if TYPE_CHECKING:
    from django_stubs_ext import WithAnnotations

PICKER_RESULTS = 8
LOSING_TOUCH_PER_PAGE = 25
MAX_PAGE = 1_000_000


def _safe_next(request: AuthenticatedHttpRequest) -> str | None:
    target = request.POST.get("next") or request.GET.get("next")
    # Only a path: a bare word would be taken for a URL name by redirect().
    if (
        target
        and target.startswith("/")
        and url_has_allowed_host_and_scheme(
            target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        )
    ):
        return target
    return None


def _page_contact_id(next_url: str | None) -> int | None:
    """The contact whose page an inline timeline item sits on, from its `next` URL."""
    if not next_url:
        return None
    try:
        match = resolve(urlsplit(next_url).path)
    except Resolver404:
        return None
    if match.view_name != "contacts:detail":
        return None
    return int(match.kwargs["pk"])


def _timeline_item_context(
    request: AuthenticatedHttpRequest, interaction: Interaction
) -> dict[str, Any]:
    next_url = _safe_next(request)
    return {
        "interaction": interaction,
        "next": next_url or "",
        "page_contact_id": _page_contact_id(next_url),
    }


def _owned_contacts(request: AuthenticatedHttpRequest, ids: list[int]) -> list[Contact]:
    """The user's own contacts among these ids, in the order given; others are dropped."""
    found = with_identity(Contact.objects.owned_by(request.user)).in_bulk(ids) if ids else {}
    return [found[i] for i in dict.fromkeys(ids) if i in found]


def _ids(values: list[str]) -> list[int]:
    return [int(v) for v in values if is_row_id(v)][:100]


def _picker_results(
    request: AuthenticatedHttpRequest, query: str, exclude: list[int]
) -> list[Contact]:
    if not query.strip():
        return []
    found = search_filter(with_identity(Contact.objects.owned_by(request.user)), query)
    found = found.exclude(pk__in=exclude)
    return list(found[:PICKER_RESULTS])


def _form_page(
    request: AuthenticatedHttpRequest,
    form: InteractionForm,
    *,
    selected: list[Contact],
    interaction: Interaction | None = None,
    query: str = "",
    inline: bool = False,
    promise_form: PromiseForm | None = None,
) -> HttpResponse:
    """The interaction form: a whole page, or (inline) the timeline item being edited."""
    selected_ids = [c.pk for c in selected]
    if promise_form is None and interaction is None:
        promise_form = PromiseForm(today=form.today)
    context = {
        "form": form,
        "promise_form": promise_form,
        "interaction": interaction,
        "selected": selected,
        "query": query,
        "results": _picker_results(request, query, selected_ids),
        "searched": bool(query.strip()),
        "next": _safe_next(request) or "",
        "picker_id": f"picker-{interaction.pk}" if inline and interaction else "picker",
        "nav_section": "log",
    }
    if inline:
        return render(request, "contacts/interaction_form.html#inline_form", context)
    if request.method == "GET" and not selected and interaction is None:
        # A new account has nobody to pick: say so instead of a form that cannot succeed.
        context["no_contacts"] = not Contact.objects.owned_by(request.user).exists()
    return render(request, "contacts/interaction_form.html", context)


def _search_only(
    request: AuthenticatedHttpRequest,
    today: date,
    interaction: Interaction | None = None,
    inline: bool = False,
) -> HttpResponse:
    """The form posted with *Search* (no JavaScript): show matches, keep input, save nothing."""
    form = InteractionForm(
        initial=_initial_from_query(request.POST, today), owner=request.user, today=today
    )
    selected = _owned_contacts(request, _ids(request.POST.getlist("contact")))
    query = request.POST.get("q", "")[:100]
    promise_form = (
        None if interaction else PromiseForm(initial=_promise_initial(request), today=today)
    )
    return _form_page(
        request,
        form,
        selected=selected,
        interaction=interaction,
        query=query,
        inline=inline,
        promise_form=promise_form,
    )


def _promise_initial(request: AuthenticatedHttpRequest) -> dict[str, str]:
    """The promise typed so far, kept across a no-JS contact search."""
    names = ("text", "made_by", "due_on")
    return {name: request.POST.get(f"promise-{name}", "") for name in names}


def _initial_from_query(params: QueryDict, today: date) -> dict[str, Any]:
    """Values kept across a no-JS contact search (a GET of the form itself)."""
    initial: dict[str, Any] = {"occurred_on": today, "kind": InteractionKind.MEETING}
    for name in INTERACTION_FIELDS:
        if params.get(name):
            initial[name] = params[name]
    return initial


def _log(
    request: AuthenticatedHttpRequest, form: InteractionForm, promise_form: PromiseForm
) -> Interaction | None:
    """Log the posted interaction and its promise, which goes to the first person chosen;
    None when the forms or the service refuse it (the reasons are on the form)."""
    if not (form.is_valid() and promise_form.is_valid()):
        return None
    try:
        return interaction_log(
            owner=request.user,
            today=form.today,
            promises=promise_form.specs(),
            promise_to=form.first_chosen(),
            **form.service_fields(),
        )
    except ValidationError as error:
        apply_service_errors(form, error)
        return None


@login_required
@require_http_methods(["GET", "POST"])
def interaction_new(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The global *Log interaction* page, with a picker for one or more people."""
    prefs = UserSettings.for_user(request.user)
    today = prefs.today()
    if request.method == "POST":
        if "search" in request.POST:
            return _search_only(request, today)
        form = InteractionForm(request.POST, owner=request.user, today=today)
        promise_form = PromiseForm(request.POST, today=today)
        interaction = _log(request, form, promise_form)
        if interaction is not None:
            people = ", ".join(c.full_name for c in form.cleaned_data["contact"])
            messages.success(
                request,
                gettext("Logged “%(summary)s” with %(people)s.")
                % {"summary": interaction.summary, "people": people},
            )
            return redirect(
                _safe_next(request) or form.cleaned_data["contact"][0].get_absolute_url()
            )
        selected = _owned_contacts(request, form.selected_ids())
        return _form_page(request, form, selected=selected, promise_form=promise_form)

    selected = _owned_contacts(request, _ids(request.GET.getlist("contact")))
    query = request.GET.get("q", "")[:100]
    if wants_partial(request) and "picker" in request.GET:
        results = _picker_results(request, query, [c.pk for c in selected])
        context = {"results": results, "searched": bool(query.strip()), "query": query}
        return render(request, "contacts/interaction_picker.html#picker_results", context)
    form = InteractionForm(
        initial=_initial_from_query(request.GET, today), owner=request.user, today=today
    )
    return _form_page(request, form, selected=selected)


@login_required
@require_http_methods(["GET", "POST"])
def contact_interaction_create(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Log an interaction from a contact's page; htmx gets the refreshed timeline back."""
    contact = get_owned_or_404(Contact, request.user, pk=pk)
    if request.method == "GET":
        return redirect(f"{reverse('contacts:interaction_new')}?contact={contact.pk}")
    prefs = UserSettings.for_user(request.user)
    if "search" in request.POST:
        return _search_only(request, prefs.today())
    data = request.POST.copy()
    data.setlist("contact", list(dict.fromkeys([str(contact.pk), *data.getlist("contact")])))
    today = prefs.today()
    form = InteractionForm(data, owner=request.user, today=today, auto_id=f"id_log_{contact.pk}_%s")
    promise_form = PromiseForm(data, today=today, auto_id=f"id_log_{contact.pk}_%s")
    saved = _log(request, form, promise_form)
    if not wants_partial(request):
        if saved is None:
            selected = _owned_contacts(request, form.selected_ids())
            return _form_page(request, form, selected=selected, promise_form=promise_form)
        messages.success(request, gettext("Logged “%(summary)s”.") % {"summary": saved.summary})
        return redirect(f"{contact.get_absolute_url()}#timeline")
    contact.refresh_from_db()
    context = timeline_context(
        request,
        contact,
        prefs=prefs,
        form=None if saved else form,
        promise_form=None if saved else promise_form,
    )
    context |= {"oob": True, "just_logged": saved}
    return render(request, "contacts/_timeline_response.html", context)


def _interaction_for(request: AuthenticatedHttpRequest, pk: int) -> Interaction:
    return get_owned_or_404(Interaction.objects.prefetch_related("contacts"), request.user, pk=pk)


@login_required
@require_GET
def interaction_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    interaction = _interaction_for(request, pk)
    context = _timeline_item_context(request, interaction)
    if wants_partial(request):
        return render(request, "contacts/_timeline_interaction.html", context)
    return render(request, "contacts/interaction_detail.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def interaction_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    interaction = _interaction_for(request, pk)
    prefs = UserSettings.for_user(request.user)
    today = prefs.today()
    inline = wants_partial(request)
    if request.method == "GET":
        initial = interaction_values(interaction)
        form = InteractionForm(initial=initial, owner=request.user, today=today)
        selected = list(with_identity(interaction.contacts.all()))
        return _form_page(request, form, selected=selected, interaction=interaction, inline=inline)
    if "search" in request.POST:
        return _search_only(request, today, interaction, inline=inline)
    form = InteractionForm(request.POST, owner=request.user, today=today)
    if form.is_valid():
        fields = form.service_fields()
        try:
            interaction_update(interaction=interaction, contacts=fields.pop("contacts"), **fields)
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            if inline:
                fresh = _interaction_for(request, pk)
                context = _timeline_item_context(request, fresh)
                return render(request, "contacts/_timeline_interaction.html", context)
            messages.success(
                request, gettext("Saved “%(summary)s”.") % {"summary": interaction.summary}
            )
            first = interaction.contacts.first()
            fallback = first.get_absolute_url() if first else reverse("contacts:list")
            return redirect(_safe_next(request) or fallback)
    selected = _owned_contacts(request, form.selected_ids())
    return _form_page(request, form, selected=selected, interaction=interaction, inline=inline)


@login_required
@require_http_methods(["GET", "POST"])
def interaction_delete_view(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    interaction = _interaction_for(request, pk)
    if request.method == "POST":
        first = interaction.contacts.first()
        summary = interaction.summary
        interaction_delete(interaction=interaction)
        if wants_partial(request):
            # The timeline item is replaced by nothing.
            return HttpResponse("")
        messages.success(request, gettext("Deleted “%(summary)s”.") % {"summary": summary})
        fallback = first.get_absolute_url() if first else reverse("contacts:list")
        return redirect(_safe_next(request) or fallback)
    context = {"interaction": interaction, "next": _safe_next(request) or ""}
    if wants_partial(request):
        return render(request, "contacts/interaction_confirm_delete.html#confirm", context)
    return render(request, "contacts/interaction_confirm_delete.html", context)


@login_required
@require_GET
def contact_timeline(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """The whole timeline of a contact, one page at a time (the *Show more* link)."""
    contact = get_owned_or_404(Contact, request.user, pk=pk)
    try:
        number = int(request.GET.get("page", "1"))
    except ValueError:
        number = 1
    page = contact_timeline_page(contact, number)
    context = {"contact": contact, "page": page}
    if wants_partial(request):
        return render(request, "contacts/_timeline.html#timeline_page", context)
    return render(request, "contacts/interaction_timeline.html", context)


class _TotalDue(TypedDict):
    total_due: int


def _due_page(
    request: AuthenticatedHttpRequest,
    due: QuerySet[Contact],
    number: int,
    sort: str,
    prefs: UserSettings,
) -> tuple[list[Contact], int]:
    """One page of due contacts and their total: by the queryset's order in one scan (each
    row carries the total), or sorted by who reaches out (contacts.reach_out)."""
    start, today = (number - 1) * LOSING_TOUCH_PER_PAGE, prefs.today()
    if sort != "overdue":
        return reach_out.page_by_reach_out(
            due,
            owner=request.user,
            prefs=prefs,
            sort=sort,
            today=today,
            start=start,
            size=LOSING_TOUCH_PER_PAGE,
        )
    counted: list[WithAnnotations[Contact, _TotalDue]] = list(
        due.annotate(total_due=Window(Count("id")))[start : start + LOSING_TOUCH_PER_PAGE]
    )
    return list(counted), counted[0].total_due if counted else 0


@login_required
@require_GET
def losing_touch(request: AuthenticatedHttpRequest) -> HttpResponse:
    prefs = UserSettings.for_user(request.user)
    today = prefs.today()
    sort = request.GET.get("sort", "overdue")
    sort = sort if sort in reach_out.SORTS else "overdue"
    due = due_contacts(request.user, prefs, today)
    try:
        number = max(1, int(request.GET.get("page", "1")))
    except ValueError:
        number = 1
    # Past any real page (and short of an offset the database cannot take).
    number = min(number, MAX_PAGE)
    found, total = _due_page(request, due, number, sort, prefs)
    if not found and number > 1:
        # Past the end (someone was snoozed or logged): show the last page instead.
        number = max(1, -(-due.count() // LOSING_TOUCH_PER_PAGE))
        found, total = _due_page(request, due, number, sort, prefs)
    page = Paginator(range(total), LOSING_TOUCH_PER_PAGE).get_page(number)
    rows = []
    for contact in found:
        touch = keep_in_touch_status(contact, prefs, today)
        rows.append((contact, touch, touch_words(contact, touch)))
    context = {
        "page": page,
        "rows": rows,
        "prefs": prefs,
        "snooze_choices": SNOOZE_CHOICES,
        "nav_section": "losing_touch",
        "sort": sort,
        "sorts": reach_out.SORTS,
    }
    return render(request, "contacts/losing_touch.html", context)


@login_required
@require_POST
def snooze(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    contact = get_owned_or_404(Contact, request.user, pk=pk)
    prefs = UserSettings.for_user(request.user)
    try:
        days = int(request.POST.get("days", "14"))
        keep_in_touch_snooze(contact=contact, today=prefs.today(), days=days)
    except (ValueError, ValidationError) as error:
        text = (
            error.messages[0]
            if isinstance(error, ValidationError)
            else gettext("Choose a duration.")
        )
        if wants_partial(request):
            return HttpResponseBadRequest(text)
        messages.error(request, text)
        return redirect(_safe_next(request) or reverse("contacts:losing_touch"))
    label = SNOOZE_CHOICES[days]
    if wants_partial(request):
        return render(
            request,
            "contacts/losing_touch.html#snoozed_row",
            {"contact": contact, "label": label},
        )
    messages.success(
        request, gettext("Snoozed %(name)s for %(time)s.") % {"name": contact, "time": label}
    )
    return redirect(_safe_next(request) or reverse("contacts:losing_touch"))
