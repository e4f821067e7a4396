"""Settings → Phone & computer sync: app passwords, who syncs, and what phones did."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext
from django.views.decorators.http import require_http_methods, require_POST

from carddav.forms import AppPasswordForm, WhoSyncsForm
from carddav.models import AppPassword, Card, SyncSettings, default_levels
from carddav.services import (
    app_password_delete,
    card_conflicts_clear,
    card_restore,
    sync_settings_update,
)
from crm.http import AuthenticatedHttpRequest
from crm.ownership import get_owned_or_404


def _page(
    request: AuthenticatedHttpRequest,
    *,
    password_form: AppPasswordForm | None = None,
    who_form: WhoSyncsForm | None = None,
    new_secret: str = "",
    status: int = 200,
) -> HttpResponse:
    if who_form is None:
        # Read, not made: a page view writes nothing (the first sync makes the row).
        state = SyncSettings.objects.filter(owner=request.user).first()
        levels = state.levels if state else default_levels()
        tags = list(state.tags.values_list("pk", flat=True)) if state else []
        who_form = WhoSyncsForm(owner=request.user, initial={"levels": levels, "tags": tags})
    cards = Card.objects.owned_by(request.user).select_related("contact")
    context = {
        "settings_section": "sync",
        "server_url": request.build_absolute_uri("/"),
        "dav_url": request.build_absolute_uri(reverse("carddav:root")),
        "username": request.user.get_username(),
        "passwords": AppPassword.objects.owned_by(request.user).order_by("-created_at"),
        "password_form": password_form or AppPasswordForm(),
        "who_form": who_form,
        "new_secret": new_secret,
        "deleted": cards.filter(deleted_on_phone_at__isnull=False, contact__isnull=False)[:50],
        "conflicted": cards.exclude(conflicts=[]).filter(contact__isnull=False)[:50],
    }
    return render(request, "carddav/settings.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def sync_settings(request: AuthenticatedHttpRequest) -> HttpResponse:
    if request.method != "POST":
        return _page(request)
    if request.POST.get("action") == "who":
        form = WhoSyncsForm(request.POST, owner=request.user)
        if not form.is_valid():
            return _page(request, who_form=form)
        sync_settings_update(
            owner=request.user,
            levels=form.cleaned_data["levels"],
            tag_ids=[tag.pk for tag in form.cleaned_data["tags"]],
        )
        messages.success(request, gettext("Saved. Phones pick up the change at their next sync."))
        return redirect("carddav:settings")
    password_form = AppPasswordForm(request.POST)
    if not password_form.is_valid():
        return _page(request, password_form=password_form)
    _, secret = AppPassword.issue(owner=request.user, name=password_form.cleaned_data["name"])
    # Shown once, on this response only: it is stored as a digest.
    return _page(request, new_secret=secret)


@login_required
@require_POST
def app_password_revoke(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    password = get_owned_or_404(AppPassword, request.user, pk=pk)
    app_password_delete(password=password)
    messages.success(request, gettext("“%(name)s” can no longer sync.") % {"name": password.name})
    return redirect("carddav:settings")


@login_required
@require_POST
def card_restore_view(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    card = get_owned_or_404(Card, request.user, pk=pk, contact__isnull=False)
    card_restore(card=card)
    messages.success(
        request,
        gettext("%(name)s goes back to your phones at their next sync.") % {"name": card.contact},
    )
    return redirect("carddav:settings")


@login_required
@require_POST
def card_conflicts_clear_view(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    card = get_owned_or_404(Card, request.user, pk=pk)
    card_conflicts_clear(card=card)
    messages.success(request, gettext("Marked as seen."))
    return redirect("carddav:settings")
