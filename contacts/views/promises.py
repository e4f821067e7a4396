"""Promises on a contact's page and This week: add, keep (which logs it), remove."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext
from django.views.decorators.http import require_POST

from contacts.detail_sections import detail_section
from contacts.models import Contact, Promise
from contacts.promise_forms import PromiseForm
from contacts.promises import promise_create, promise_delete, promise_keep
from contacts.timeline_sections import promises_card_context, timeline_context, user_settings
from crm.htmx import wants_partial
from crm.http import AuthenticatedHttpRequest
from crm.ownership import get_owned_or_404


def _card_context(
    request: AuthenticatedHttpRequest, contact: Contact, form: PromiseForm | None = None
) -> dict[str, Any]:
    today = user_settings(request).today()
    return {"contact": contact, **promises_card_context(contact, today, form)}


# First on the page: an overdue promise of mine is flagged before anything else.
@detail_section("contacts/_promises.html", column="top", order=10)
def promises_section(request: AuthenticatedHttpRequest, contact: Contact) -> dict[str, Any]:
    return _card_context(request, contact)


def _back(request: AuthenticatedHttpRequest, contact: Contact) -> HttpResponse:
    if request.POST.get("where") == "week":
        return redirect(reverse("reminders:dashboard"))
    return redirect(f"{contact.get_absolute_url()}#promises")


def _card_response(request: AuthenticatedHttpRequest, contact: Contact) -> HttpResponse:
    """The card, and (something was logged) the timeline and keep-in-touch out of band."""
    context = {**timeline_context(request, contact), **_card_context(request, contact)}
    return render(request, "contacts/_promises_response.html", context)


@login_required
@require_POST
def promise_add(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    contact = get_owned_or_404(Contact, request.user, pk=pk)
    today = user_settings(request).today()
    form = PromiseForm(request.POST, today=today, required=True, prefix=f"add-{contact.pk}")
    if form.is_valid():
        spec = form.specs()[0]
        try:
            promise_create(
                owner=request.user,
                contact=contact,
                made_by=spec.made_by,
                text=spec.text,
                due_on=spec.due_on,
                today=today,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            if wants_partial(request):
                return render(request, "contacts/_promises.html", _card_context(request, contact))
            messages.success(request, gettext("Noted the promise: %(text)s.") % {"text": spec.text})
            return _back(request, contact)
    # Errors: the card again with the form open (200, so htmx swaps it in).
    return render(
        request,
        "contacts/_promises.html" if wants_partial(request) else "contacts/promise_form.html",
        _card_context(request, contact, form),
    )


@login_required
@require_POST
def promise_keep_view(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    promise = get_owned_or_404(Promise.objects.select_related("contact"), request.user, pk=pk)
    contact = promise.contact
    try:
        promise_keep(promise=promise, today=user_settings(request).today())
    except ValidationError as error:
        if not wants_partial(request):
            messages.info(request, error.messages[0])
            return _back(request, contact)
    if wants_partial(request):
        if request.POST.get("where") == "week":
            return render(request, "contacts/_promise_kept.html", {"promise": promise})
        return _card_response(request, contact)
    messages.success(
        request,
        gettext("Kept: %(text)s. It is on %(name)s's timeline.")
        % {"text": promise.text, "name": contact.full_name},
    )
    return _back(request, contact)


@login_required
@require_POST
def promise_delete_view(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    promise = get_owned_or_404(Promise.objects.select_related("contact"), request.user, pk=pk)
    contact, text = promise.contact, promise.text
    promise_delete(promise=promise)
    if wants_partial(request):
        return render(request, "contacts/_promises.html", _card_context(request, contact))
    messages.success(request, gettext("Removed the promise: %(text)s.") % {"text": text})
    return _back(request, contact)
