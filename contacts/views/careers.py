"""Career history on the contact page: positions edited in place, and job changes.

Every form works in place with HTMX (the `positions` partial of
contacts/_positions.html is swapped) and as a plain page without JavaScript.
"""

from datetime import date
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.views.decorators.http import require_http_methods

from contacts import limits
from contacts.careers import record_job_change
from contacts.detail_sections import detail_section
from contacts.models import CareerMove, Contact, Position, PositionSource
from contacts.search import reindex_contacts
from crm.htmx import wants_partial
from crm.http import AuthenticatedHttpRequest
from crm.models import UserSettings
from crm.ownership import get_owned_or_404
from reminders.tasks import queue_user_scan

SECTION = "contacts/_positions.html"
PAGE = "contacts/_positions_page.html"
DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class PositionForm(forms.ModelForm):
    class Meta:
        model = Position
        fields = ["company", "title", "start_date", "end_date"]
        widgets = {"start_date": DATE_INPUT, "end_date": DATE_INPUT}
        help_texts = {"end_date": "Leave empty if this is their current job."}

    def __init__(self, *args: Any, contact: Contact, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.contact = contact
        for name in ("start_date", "end_date"):
            self.fields[name].widget.attrs.update(limits.date_input_attrs())

    def clean_start_date(self) -> date | None:
        limits.validate_date(self.cleaned_data["start_date"])
        return self.cleaned_data["start_date"]

    def clean_end_date(self) -> date | None:
        limits.validate_date(self.cleaned_data["end_date"])
        return self.cleaned_data["end_date"]

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        if not (data.get("company") or "").strip() and not (data.get("title") or "").strip():
            raise forms.ValidationError("Give at least a company or a title.")
        start, end = data.get("start_date"), data.get("end_date")
        if start and end and end < start:
            self.add_error("end_date", "The end date is before the start date.")
        if end is None and "end_date" not in self.errors:
            others = Position.objects.filter(contact=self.contact, end_date__isnull=True)
            if self.instance.pk:
                others = others.exclude(pk=self.instance.pk)
            current = others.first()
            if current is not None:
                self.add_error(
                    "end_date",
                    f"“{current}” is still their current job. Give this one an end date, "
                    "or use “Record a job change”.",
                )
        return data


class JobChangeForm(forms.Form):
    company = forms.CharField(max_length=200, required=False)
    title = forms.CharField(max_length=200, required=False)
    start_date = forms.DateField(
        widget=DATE_INPUT,
        help_text="Their current job, if any, ends the day before.",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["start_date"].widget.attrs.update(limits.date_input_attrs())

    def clean_start_date(self) -> date | None:
        limits.validate_date(self.cleaned_data["start_date"])
        return self.cleaned_data["start_date"]

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        data["company"] = (data.get("company") or "").strip()
        data["title"] = (data.get("title") or "").strip()
        if not data["company"] and not data["title"]:
            raise forms.ValidationError("Give at least the new company or title.")
        return data


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


def _respond(
    request: AuthenticatedHttpRequest, contact: Contact, *, status: str = "", **extra: Any
) -> HttpResponse:
    """The refreshed section for HTMX, or back to the contact page without it."""
    if wants_partial(request):
        context = positions_context(contact, status=status, **extra)
        return render(request, f"{SECTION}#positions", context)
    if status:
        messages.success(request, status)
    return redirect(contact_page(contact))


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


def _after_change(request: AuthenticatedHttpRequest, contact: Contact) -> bool:
    reindex_contacts([contact])
    delayed = not queue_user_scan(request.user)
    if delayed:
        messages.warning(request, "Reminders are delayed: the task queue is unreachable.")
    return delayed


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
        with transaction.atomic():
            position = form.save(commit=False)
            position.contact = contact
            position.source = PositionSource.ENTERED
            position.save()
        delayed = _after_change(request, contact)
        return _respond(request, contact, status=f"Added “{position}”.", delayed=delayed)
    return _form_response(request, contact, form, "add")


@login_required
@require_http_methods(["GET", "POST"])
def position_edit(request: AuthenticatedHttpRequest, position_id: int) -> HttpResponse:
    position = get_owned_or_404(
        Position.objects.select_related("contact"), request.user, pk=position_id
    )
    contact = position.contact
    form = PositionForm(request.POST or None, instance=position, contact=contact)
    if request.method == "POST" and form.is_valid():
        form.save()
        delayed = _after_change(request, contact)
        return _respond(request, contact, status=f"Saved “{position}”.", delayed=delayed)
    return _form_response(request, contact, form, "edit", editing=position)


@login_required
@require_http_methods(["GET", "POST"])
def position_delete(request: AuthenticatedHttpRequest, position_id: int) -> HttpResponse:
    position = get_owned_or_404(
        Position.objects.select_related("contact"), request.user, pk=position_id
    )
    contact = position.contact
    if request.method == "POST":
        label = str(position)
        # Its reminders (anniversaries, the job change) go with it.
        position.delete()
        delayed = _after_change(request, contact)
        return _respond(request, contact, status=f"Deleted “{label}”.", delayed=delayed)
    return _form_response(request, contact, forms.Form(), "delete", editing=position)


@login_required
@require_http_methods(["GET", "POST"])
def job_change(request: AuthenticatedHttpRequest, contact_id: int) -> HttpResponse:
    contact = get_owned_or_404(Contact, request.user, pk=contact_id)
    today = UserSettings.for_user(request.user).today()
    form = JobChangeForm(request.POST or None, initial={"start_date": today})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        position, move = record_job_change(
            contact=contact,
            company=data["company"],
            title=data["title"],
            start_date=data["start_date"],
        )
        if position is None:
            form.add_error(None, "That is already their current job: nothing changed.")
        else:
            delayed = _after_change(request, contact)
            noun = {
                CareerMove.PROMOTION: "Promotion",
                CareerMove.JOB_CHANGE: "Job change",
            }.get(move, "New job")
            return _respond(
                request, contact, status=f"{noun} recorded: {position}.", delayed=delayed
            )
    return _form_response(request, contact, form, "job_change")


urlpatterns = [
    path("<int:contact_id>/career/", positions_page, name="positions"),
    path("<int:contact_id>/career/add/", position_add, name="position_add"),
    path("<int:contact_id>/career/job-change/", job_change, name="job_change"),
    path("positions/<int:position_id>/edit/", position_edit, name="position_edit"),
    path("positions/<int:position_id>/delete/", position_delete, name="position_delete"),
]
