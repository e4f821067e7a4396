"""Custom dates on a contact ("wedding anniversary", "kid's birthday"), edited in place."""

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from contacts.detail_sections import detail_section
from contacts.models import Contact
from crm.htmx import wants_partial
from crm.http import AuthenticatedHttpRequest
from crm.ownership import get_owned_or_404
from reminders import services
from reminders.custom_date_forms import CustomDateForm
from reminders.models import CustomDate
from reminders.rescan import rescan_and_answer

SECTION = "reminders/_custom_dates.html"
PAGE = "reminders/_custom_dates_page.html"


def dates_context(contact: Contact, **extra: Any) -> dict[str, Any]:
    return {
        "contact": contact,
        "custom_dates": list(contact.custom_dates.all()),
        "back_url": contact_page(contact),
        **extra,
    }


@detail_section(SECTION, column="side", order=60)
def custom_dates_section(request: AuthenticatedHttpRequest, contact: Contact) -> dict[str, Any]:
    return dates_context(contact)


def contact_page(contact: Contact) -> str:
    return f"{contact.get_absolute_url()}#custom-dates"


def _render(request: AuthenticatedHttpRequest, contact: Contact, **extra: Any) -> HttpResponse:
    template = f"{SECTION}#custom-dates" if wants_partial(request) else PAGE
    return render(request, template, dates_context(contact, **extra))


def _done(request: AuthenticatedHttpRequest, contact: Contact, status: str) -> HttpResponse:
    def section(**extra: Any) -> HttpResponse:
        return _render(request, contact, **extra)

    return rescan_and_answer(
        request, status=status, page_url=contact_page(contact), section=section
    )


@login_required
def custom_dates(request: AuthenticatedHttpRequest, contact_id: int) -> HttpResponse:
    contact = get_owned_or_404(Contact, request.user, pk=contact_id)
    return _render(request, contact)


@login_required
@require_http_methods(["GET", "POST"])
def custom_date_add(request: AuthenticatedHttpRequest, contact_id: int) -> HttpResponse:
    contact = get_owned_or_404(Contact, request.user, pk=contact_id)
    form = CustomDateForm(request.POST or None, initial={"yearly": True})
    if request.method == "POST" and form.is_valid():
        item = services.custom_date_create(contact=contact, **form.cleaned_data)
        return _done(request, contact, _("Added “%(label)s”.") % {"label": item.label})
    return _render(request, contact, form=form, mode="add")


@login_required
@require_http_methods(["GET", "POST"])
def custom_date_edit(request: AuthenticatedHttpRequest, date_id: int) -> HttpResponse:
    item = get_owned_or_404(CustomDate.objects.select_related("contact"), request.user, pk=date_id)
    form = CustomDateForm(request.POST or None, instance=item)
    if request.method == "POST" and form.is_valid():
        services.custom_date_update(custom_date=item, **form.cleaned_data)
        return _done(request, item.contact, _("Saved “%(label)s”.") % {"label": item.label})
    return _render(request, item.contact, form=form, mode="edit", editing=item)


@login_required
@require_http_methods(["GET", "POST"])
def custom_date_delete(request: AuthenticatedHttpRequest, date_id: int) -> HttpResponse:
    item = get_owned_or_404(CustomDate.objects.select_related("contact"), request.user, pk=date_id)
    if request.method == "POST":
        label = item.label
        services.custom_date_delete(custom_date=item)
        return _done(request, item.contact, _("Deleted “%(label)s”.") % {"label": label})
    return _render(request, item.contact, mode="delete", editing=item)
