"""Drafting personal notes: start, compose with autosave, mark as sent; note templates."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import connection
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from contacts.detail_sections import NOT_CACHEABLE, detail_section
from contacts.models import Contact
from contacts.promise_forms import PromiseForm
from crm.htmx import wants_partial
from crm.http import AuthenticatedHttpRequest
from crm.links import mailto_url
from crm.models import UserSettings
from crm.ownership import get_owned_or_404
from reminders import services
from reminders.context_lines import with_context
from reminders.models import NoteDraft, Reminder, ReminderKind
from reminders.note_forms import NoteDraftForm, NoteTemplateForm
from reminders.notes import (
    DEFAULT_TEMPLATES,
    KIND_LABELS,
    draft_for,
    load_history,
    note_context,
    personal_touch,
    templates_for,
    unfilled,
)
from reminders.views.dashboard import back_on_the_list


def _composer_context(
    request: AuthenticatedHttpRequest, draft: NoteDraft, form: NoteDraftForm
) -> dict:
    contact = draft.contact
    history = load_history(contact)
    reminder = draft.reminder
    kind = reminder.kind if reminder is not None else ReminderKind.KEEP_IN_TOUCH
    values = note_context(contact=contact, history=history, reminder=reminder, user=request.user)
    facts = history.facts()
    subject = form["subject"].value() or ""
    body = form["body"].value() or ""
    email = contact.emails.first()
    return {
        "nav_section": "dashboard",
        "draft": draft,
        "contact": contact,
        "form": form,
        "facts": facts,
        "touch": personal_touch(
            body, template=templates_for(request.user)[kind], context=values, facts=facts
        ),
        "unfilled": unfilled(subject + " " + body),
        "email": email.email if email else "",
        "mailto": mailto_url(email.email if email else "", subject, body),
        "kind_label": KIND_LABELS.get(kind, ""),
        # Marked with *Mark as sent* (issue 21); the bounds of its date need no exact today.
        "promise_form": PromiseForm(today=timezone.localdate()),
    }


def _owned_draft(request: AuthenticatedHttpRequest, pk: int) -> NoteDraft:
    drafts = NoteDraft.objects.select_related("contact", "reminder", "reminder__position")
    return get_owned_or_404(drafts, request.user, pk=pk)


@login_required
@require_POST
def note_start(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Reopen or start the draft for a reminder (`reminder`) or a person (`contact`)."""
    reminder: Reminder | None = None
    try:
        if request.POST.get("reminder"):
            reminder = get_owned_or_404(
                Reminder.objects.select_related("contact", "position"),
                request.user,
                pk=int(request.POST["reminder"]),
            )
            contact = reminder.contact
        else:
            contact = get_owned_or_404(
                Contact, request.user, pk=int(request.POST.get("contact", ""))
            )
    except ValueError:
        raise Http404("No such reminder or person.") from None
    subject, body = draft_for(user=request.user, contact=contact, reminder=reminder)
    draft = services.note_draft_start(
        owner=request.user, contact=contact, reminder=reminder, subject=subject, body=body
    )
    url = reverse("reminders:note_edit", args=[draft.pk])
    if wants_partial(request):
        response = HttpResponse(status=204)
        response["HX-Redirect"] = url
        return response
    return redirect(url)


@login_required
@require_http_methods(["GET", "POST"])
def note_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """The composer. POST saves (htmx autosave answers with the status and the advice)."""
    draft = _owned_draft(request, pk)
    if request.method == "GET" or draft.sent_at is not None:
        form = NoteDraftForm(instance=draft)
        return render(
            request, "reminders/note_compose.html", _composer_context(request, draft, form)
        )
    form = NoteDraftForm(request.POST, instance=draft)
    saved = False
    if form.is_valid():
        services.note_draft_update(
            draft=draft, subject=form.cleaned_data["subject"], body=form.cleaned_data["body"]
        )
        saved = True
    context = {**_composer_context(request, draft, form), "saved": saved}
    if wants_partial(request):
        return render(request, "reminders/note_compose.html#autosave", context)
    if saved:
        messages.success(request, _("Draft saved."))
        return redirect("reminders:note_edit", pk=draft.pk)
    return render(request, "reminders/note_compose.html", context)


@login_required
@require_POST
def note_sent(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Save the text as posted, then record it as sent."""
    draft = _owned_draft(request, pk)
    form = NoteDraftForm(request.POST or None, instance=draft)
    if draft.sent_at is not None:
        messages.info(request, _("This note was already marked as sent."))
        return redirect("reminders:note_edit", pk=draft.pk)
    today = UserSettings.for_user(request.user).today()
    promise_form = PromiseForm(request.POST or None, today=today)
    if request.POST and not (form.is_valid() and promise_form.is_valid()):
        context = {**_composer_context(request, draft, form), "promise_form": promise_form}
        return render(request, "reminders/note_compose.html", context)
    try:
        if request.POST:
            services.note_draft_update(
                draft=draft, subject=form.cleaned_data["subject"], body=form.cleaned_data["body"]
            )
        promises = promise_form.specs() if request.POST else []
        services.note_draft_mark_sent(draft=draft, sent_on=today, promises=promises)
    except ValidationError as error:
        form.add_error(None, error)
        draft.refresh_from_db()
        return render(
            request, "reminders/note_compose.html", _composer_context(request, draft, form)
        )
    messages.success(
        request,
        _("Marked your note to %(name)s as sent; it is on their timeline.")
        % {"name": draft.contact.full_name},
    )
    if draft.reminder_id is None:
        return redirect("reminders:dashboard")
    # Back to the list, where the entry now reads as sent, with Undo, in its place.
    url = reverse("reminders:dashboard") + f"?unsend={draft.pk}#reminder-{draft.reminder_id}"
    return redirect(url)


@login_required
@require_POST
def note_unsend(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Undo *Mark as sent* from the dashboard's confirmation: back to the open entry."""
    draft = _owned_draft(request, pk)
    try:
        services.note_draft_unsend(draft=draft)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("reminders:note_edit", pk=draft.pk)
    if draft.reminder is None:
        messages.success(
            request,
            _("Your note to %(name)s is a draft again.") % {"name": draft.contact.full_name},
        )
        return redirect("reminders:note_edit", pk=draft.pk)
    reminder = with_context(Reminder.objects.filter(pk=draft.reminder.pk)).get()
    return back_on_the_list(request, reminder)


@login_required
@require_POST
def note_delete(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    draft = _owned_draft(request, pk)
    name = draft.contact.full_name
    services.note_draft_delete(draft=draft)
    messages.success(request, _("Discarded the draft to %(name)s.") % {"name": name})
    return redirect("reminders:dashboard")


# --- Note templates settings -----------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def note_templates(request: AuthenticatedHttpRequest) -> HttpResponse:
    settings = UserSettings.for_user(request.user)
    current = templates_for(request.user)
    kinds = list(DEFAULT_TEMPLATES)
    reset = request.POST.get("reset")
    if request.method == "POST" and reset in DEFAULT_TEMPLATES:
        services.note_template_reset(owner=request.user, kind=reset)
        messages.success(
            request,
            _("%(kind)s template is back to the default.") % {"kind": KIND_LABELS[reset]},
        )
        return redirect("reminders:note_templates")
    data = request.POST if request.method == "POST" else None
    forms_by_kind = [
        NoteTemplateForm(
            data,
            kind=kind,
            initial={"subject": current[kind].subject, "body": current[kind].body},
        )
        for kind in kinds
    ]
    if data is not None and all(form.is_valid() for form in forms_by_kind):
        entered = {
            form.kind: (form.cleaned_data["subject"], form.cleaned_data["body"])
            for form in forms_by_kind
        }
        services.note_templates_save(owner=request.user, entered=entered)
        messages.success(request, _("Note templates saved."))
        return redirect("reminders:note_templates")
    edited = set(settings.note_templates or {})
    return render(
        request,
        "reminders/note_templates.html",
        {
            "settings_section": "notes",
            "entries": [
                (form, KIND_LABELS[form.kind], form.kind in edited) for form in forms_by_kind
            ],
        },
    )


# --- Contact page section ----------------------------------------------------------


@detail_section("reminders/_contact_drafts.html", column="side", order=40)
def contact_drafts(request: AuthenticatedHttpRequest, contact: Contact) -> dict[str, Any]:
    drafts = (
        NoteDraft.objects.owned_by(request.user)
        .filter(contact=contact)
        .only("id", "subject", "updated_at", "sent_at")
    )
    drafting = drafts.filter(sent_at__isnull=True)[:5]
    sent = drafts.filter(sent_at__isnull=False).order_by("-sent_at", "-id")[:3]
    if not connection.features.supports_slicing_ordering_in_compound:
        open_drafts = list(drafting)
        return {
            NOT_CACHEABLE: bool(open_drafts),
            "open_drafts": open_drafts,
            "sent_notes": list(sent),
        }
    # Both lists in one query (a UNION of the two, each limited), split here.
    rows = list(drafting.union(sent, all=True))
    return {
        # "edited 3 minutes ago" goes stale with the clock: no cached page meanwhile.
        NOT_CACHEABLE: any(d.sent_at is None for d in rows),
        "open_drafts": sorted(
            (d for d in rows if d.sent_at is None), key=lambda d: (d.updated_at, d.pk), reverse=True
        ),
        "sent_notes": sorted(
            (d for d in rows if d.sent_at is not None),
            key=lambda d: (d.sent_at, d.pk),
            reverse=True,
        ),
    }
