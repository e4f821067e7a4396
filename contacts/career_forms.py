"""Forms of the career section: a position edited by hand, and a job change."""

from datetime import date
from typing import Any

from django import forms
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from contacts import limits
from contacts.models import Contact, Position
from crm.forms import DateInput

DATE_INPUT = DateInput()


class PositionForm(forms.ModelForm):
    class Meta:
        model = Position
        fields = ["company", "title", "start_date", "end_date"]
        widgets = {"start_date": DATE_INPUT, "end_date": DATE_INPUT}
        labels = {
            "company": _("Company"),
            "title": pgettext_lazy("job title", "Title"),
            "start_date": _("Start date"),
            "end_date": _("End date"),
        }
        help_texts = {"end_date": _("Leave empty if this is their current job.")}

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
            raise forms.ValidationError(gettext("Give at least a company or a title."))
        start, end = data.get("start_date"), data.get("end_date")
        if start and end and end < start:
            self.add_error("end_date", gettext("The end date is before the start date."))
        if end is None and "end_date" not in self.errors:
            others = Position.objects.filter(contact=self.contact, end_date__isnull=True)
            if self.instance.pk:
                others = others.exclude(pk=self.instance.pk)
            current = others.first()
            if current is not None:
                self.add_error(
                    "end_date",
                    gettext(
                        "“%(job)s” is still their current job. Give this one an end date, "
                        "or use “Record a job change”."
                    )
                    % {"job": current},
                )
        return data


class JobChangeForm(forms.Form):
    company = forms.CharField(label=_("Company"), max_length=200, required=False)
    title = forms.CharField(
        label=pgettext_lazy("job title", "Title"), max_length=200, required=False
    )
    start_date = forms.DateField(
        label=_("Start date"),
        widget=DATE_INPUT,
        help_text=_("Their current job, if any, ends the day before."),
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
            raise forms.ValidationError(gettext("Give at least the new company or title."))
        return data
