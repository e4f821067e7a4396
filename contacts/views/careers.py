"""Career history on the contact page: positions edited in place, and job changes.

Every form works in place with HTMX (the `positions` partial of
contacts/_positions.html is swapped) and as a plain page without JavaScript.
"""

from datetime import date
from typing import Any

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext
from django.views.decorators.http import require_http_methods

from contacts import careers
from contacts.career_forms import JobChangeForm, PositionForm
from contacts.detail_sections import detail_section
from contacts.models import CareerMove, Contact, Position
from crm.htmx import wants_partial
from crm.http import AuthenticatedHttpRequest
from crm.models import UserSettings
from crm.ownership import get_owned_or_404
from reminders.rescan import rescan_and_answer

SECTION = "contacts/_positions.html"
PAGE = "contacts/_positions_page.html"


def positions_context(contact: Contact, **extra: Any) -> dict[str, Any]:
    positions = sorted(
        contact.positions.all(),
        key=lambda p: (p.end_date is not None, -(p.began_on or date.min).toordinal(), -p.pk),
    )
    return {
        "contact": contact,
        "positions": positions,
        "career_moves": {CareerMove.JOB_CHANGE, CareerMove.PROMOTION},
        "back_url": contact_page(contact),
        **extra,
    }


@detail_section(SECTION, column="main", order=20)
def positions_section(request: AuthenticatedHttpRequest, contact: Contact) -> dict[str, Any]:
    return positions_context(contact)


def contact_page(contact: Contact) -> str:
    """The contact page at the career section."""
    return f"{contact.get_absolute_url()}#positions"


def _changed(request: AuthenticatedHttpRequest, contact: Contact, status: str) -> HttpResponse:
    """Reminders recomputed; the refreshed section for HTMX, else back to the contact page."""

    def section(**extra: Any) -> HttpResponse:
        return render(request, f"{SECTION}#positions", positions_context(contact, **extra))

    return rescan_and_answer(
        request, status=status, page_url=contact_page(contact), section=section
    )


def _form_response(
    request: AuthenticatedHttpRequest,
    contact: Contact,
    form: forms.BaseForm,
    mode: str,
    **extra: Any,
) -> HttpResponse:
    """A form in place (HTMX) or on its own page; errors come back as 200."""
    context = positions_context(contact, form=form, mode=mode, **extra)
    template = f"{SECTION}#positions" if wants_partial(request) else PAGE
    return render(request, template, context)


def _owned_position(request: AuthenticatedHttpRequest, position_id: int) -> Position:
    return get_owned_or_404(
        Position.objects.select_related("contact"), request.user, pk=position_id
    )


@login_required
def positions_page(request: AuthenticatedHttpRequest, contact_id: int) -> HttpResponse:
    contact = get_owned_or_404(Contact, request.user, pk=contact_id)
    if wants_partial(request):
        return render(request, f"{SECTION}#positions", positions_context(contact))
    return render(request, PAGE, positions_context(contact, mode="list"))


@login_required
@require_http_methods(["GET", "POST"])
def position_add(request: AuthenticatedHttpRequest, contact_id: int) -> HttpResponse:
    contact = get_owned_or_404(Contact, request.user, pk=contact_id)
    form = PositionForm(request.POST or None, contact=contact)
    if request.method == "POST" and form.is_valid():
        position = careers.position_create(contact=contact, **form.cleaned_data)
        return _changed(request, contact, gettext("Added “%(job)s”.") % {"job": position})
    return _form_response(request, contact, form, "add")


@login_required
@require_http_methods(["GET", "POST"])
def position_edit(request: AuthenticatedHttpRequest, position_id: int) -> HttpResponse:
    position = _owned_position(request, position_id)
    contact = position.contact
    form = PositionForm(request.POST or None, instance=position, contact=contact)
    if request.method == "POST" and form.is_valid():
        careers.position_update(position=position, **form.cleaned_data)
        return _changed(request, contact, gettext("Saved “%(job)s”.") % {"job": position})
    return _form_response(request, contact, form, "edit", editing=position)


@login_required
@require_http_methods(["GET", "POST"])
def position_delete(request: AuthenticatedHttpRequest, position_id: int) -> HttpResponse:
    position = _owned_position(request, position_id)
    contact = position.contact
    if request.method == "POST":
        label = str(position)
        careers.position_delete(position=position)
        return _changed(request, contact, gettext("Deleted “%(job)s”.") % {"job": label})
    return _form_response(request, contact, forms.Form(), "delete", editing=position)


@login_required
@require_http_methods(["GET", "POST"])
def job_change(request: AuthenticatedHttpRequest, contact_id: int) -> HttpResponse:
    contact = get_owned_or_404(Contact, request.user, pk=contact_id)
    today = UserSettings.for_user(request.user).today()
    form = JobChangeForm(request.POST or None, initial={"start_date": today})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        position, move = careers.record_job_change(
            contact=contact,
            company=data["company"],
            title=data["title"],
            start_date=data["start_date"],
        )
        if position is None:
            form.add_error(None, gettext("That is already their current job: nothing changed."))
        else:
            done = {
                CareerMove.PROMOTION: gettext("Promotion recorded: %(job)s."),
                CareerMove.JOB_CHANGE: gettext("Job change recorded: %(job)s."),
            }.get(move, gettext("New job recorded: %(job)s."))
            return _changed(request, contact, done % {"job": position})
    return _form_response(request, contact, form, "job_change")
