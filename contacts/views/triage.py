"""Sort: the triage queue that rates imported people one at a time, with Undo."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext
from django.views.decorators.http import require_GET, require_POST

from contacts import limits, network
from contacts.models import (
    Contact,
    TrustLevel,
)
from crm.htmx import render_page_or_partial, wants_partial
from crm.http import AuthenticatedHttpRequest as HtmxHttpRequest
from crm.ownership import get_owned_or_404

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
        context |= _undo_offer(request, after)
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
    level = contact.trust_label if contact.trust_level else gettext("“not rated yet”")
    messages.info(
        request, gettext("%(name)s is back to %(level)s.") % {"name": contact, "level": level}
    )
    return redirect(f"{reverse('contacts:triage')}?contact={contact.pk}")
