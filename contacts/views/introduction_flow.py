"""Double opt-in introductions: start one, walk it step by step, check the drafts, and
the list of every introduction made (with outcomes)."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from contacts.introduction_drafts import step_drafts
from contacts.introduction_flow import (
    STEPS,
    actions_from,
    introduction_start,
    introduction_step,
    with_people,
)
from contacts.introduction_forms import DraftCheckForm, IntroductionStartForm, IntroductionStepForm
from contacts.models import Contact, Introduction
from contacts.relation_models import IntroStatus
from contacts.timeline_sections import user_settings
from crm.htmx import wants_partial
from crm.http import AuthenticatedHttpRequest
from crm.ownership import get_owned_or_404

PER_PAGE = 25


def _owned(request: AuthenticatedHttpRequest, pk: object) -> Contact | None:
    if not isinstance(pk, int):
        return None
    return Contact.objects.owned_by(request.user).filter(pk=pk).first()


@login_required
@require_http_methods(["GET", "POST"])
def introduction_new(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Start one: the two people (from the finder or a contact's page) and why."""
    form = IntroductionStartForm(request.POST or None, initial=request.GET.dict())
    first = second = None
    if form.is_valid():
        first, second = (
            _owned(request, form.cleaned_data["first"]),
            _owned(request, form.cleaned_data["second"]),
        )
        if first is None or second is None:
            form.add_error(None, gettext("Choose two people from your own contacts."))
        else:
            try:
                intro = introduction_start(
                    owner=request.user,
                    first=first,
                    second=second,
                    reason=form.cleaned_data["reason"],
                    today=user_settings(request).today(),
                )
            except ValidationError as error:
                form.add_error(None if not hasattr(error, "error_dict") else "reason", error)
            else:
                messages.success(
                    request, gettext("Started: first, ask %(name)s.") % {"name": first.full_name}
                )
                return redirect("contacts:introduction_detail", pk=intro.pk)
    context = {"form": form, "first": first, "second": second, "nav_section": "introductions"}
    return render(request, "contacts/introduction_new.html", context)


def action_label(action: str, intro: Introduction) -> str:
    """The button for `action`, with the names in it."""
    first, second = intro.first.full_name, intro.second.full_name
    asked, said_yes = gettext("I've asked %(name)s"), gettext("%(name)s said yes")
    declined = gettext("%(name)s declined")
    labels = {
        "asked_first": asked % {"name": first},
        "first_yes": said_yes % {"name": first},
        "first_no": declined % {"name": first},
        "asked_second": asked % {"name": second},
        "second_yes": said_yes % {"name": second},
        "second_no": declined % {"name": second},
        "sent": gettext("I've introduced them"),
        "withdraw": gettext("Close it: I'm withdrawing"),
    }
    return labels.get(action) or str(STEPS[action].label)


def _detail_context(
    request: AuthenticatedHttpRequest, intro: Introduction, edited: dict[int, str] | None = None
) -> dict[str, Any]:
    """The page: the steps so far, the drafts of this step (each with its check), actions."""
    edited = edited or {}
    drafts = []
    for index, draft in enumerate(step_drafts(request.user, intro)):
        body = edited.get(index)
        touch = draft.touch if body is None else draft.check(body)
        drafts.append((index, draft, draft.body if body is None else body, touch))
    return {
        "intro": intro,
        "drafts": drafts,
        "actions": [(name, action_label(name, intro)) for name in actions_from(intro.status)],
        "nav_section": "introductions",
    }


def _intro(request: AuthenticatedHttpRequest, pk: int) -> Introduction:
    return get_owned_or_404(with_people(Introduction.objects.all()), request.user, pk=pk)


@login_required
@require_GET
def introduction_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    return render(
        request, "contacts/introduction_detail.html", _detail_context(request, _intro(request, pk))
    )


@login_required
@require_POST
def introduction_step_view(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    intro = _intro(request, pk)
    form = IntroductionStepForm(request.POST)
    error = ""
    if not form.is_valid():
        error = gettext("Choose one of the steps shown.")
    else:
        try:
            intro = introduction_step(
                introduction=intro,
                action=form.cleaned_data["action"],
                today=user_settings(request).today(),
            )
        except ValidationError as exc:
            error = exc.messages[0]
    if wants_partial(request):
        context = {**_detail_context(request, intro), "step_error": error}
        return render(request, "contacts/introduction_detail.html#introduction", context)
    if error:
        messages.error(request, error)
    return redirect("contacts:introduction_detail", pk=intro.pk)


@login_required
@require_POST
def introduction_check(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """The personal-touch check of an edited draft (the page again, or the check alone)."""
    intro = _intro(request, pk)
    form = DraftCheckForm(request.POST)
    edited = {form.index(): form.cleaned_data["body"]} if form.is_valid() else {}
    context = _detail_context(request, intro, edited)
    if wants_partial(request) and edited:
        index = next(iter(edited))
        found = [item for item in context["drafts"] if item[0] == index]
        if found:
            _, draft, _body, touch = found[0]
            return render(
                request,
                "contacts/introduction_detail.html#touch",
                {"index": index, "touch": touch, "draft": draft},
            )
    return render(request, "contacts/introduction_detail.html", context)


@login_required
@require_GET
def introductions_made(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Every introduction, newest first, with outcomes; and who introduced the user."""
    mine = Introduction.objects.owned_by(request.user)
    page = Paginator(with_people(mine).order_by("-created_at", "-id"), PER_PAGE).get_page(
        request.GET.get("page")
    )
    counts = mine.aggregate(
        total=Count("pk"),
        open=Count("pk", filter=~Q(status__in=[IntroStatus.DONE, IntroStatus.DECLINED])),
        met=Count("pk", filter=Q(outcome="met")),
        nothing=Count("pk", filter=Q(outcome="nothing")),
        declined=Count("pk", filter=Q(status=IntroStatus.DECLINED)),
    )
    # Who introduced the user to people: counted over the contacts that name an introducer.
    introducers = dict(
        Contact.objects.owned_by(request.user)
        .filter(introduced_by__isnull=False)
        .values_list("introduced_by")
        .annotate(n=Count("pk"))
        .order_by("-n")[:10]
    )
    helpers = sorted(
        Contact.objects.owned_by(request.user).filter(pk__in=list(introducers)),
        key=lambda person: (-introducers[person.pk], person.full_name),
    )
    for person in helpers:
        person.helped = introducers[person.pk]  # type: ignore[attr-defined]
    context = {
        "page": page,
        "counts": counts,
        "helpers": helpers,
        "nav_section": "introductions",
    }
    return render(request, "contacts/introductions_made.html", context)
