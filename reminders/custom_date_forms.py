"""The form of a custom date on a contact (reminders/views/dates.py)."""

from datetime import date
from typing import Any

from django import forms
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from contacts import limits
from crm.forms import DateInput
from reminders.models import CustomDate


class CustomDateForm(forms.ModelForm):
    class Meta:
        model = CustomDate
        fields = ["label", "date", "yearly"]
        widgets = {"date": DateInput()}
        labels = {
            "label": pgettext_lazy("what the date is", "What"),
            "date": pgettext_lazy("calendar day", "Date"),
            "yearly": _("Every year"),
        }
        help_texts = {
            "label": _("For example “Wedding anniversary” or “Kid's birthday”."),
            "yearly": _("Untick for a one-off date, such as a launch or a move."),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["date"].widget.attrs.update(limits.date_input_attrs())

    def clean_label(self) -> str:
        label = self.cleaned_data["label"].strip()
        if not label:
            raise forms.ValidationError(gettext("Say what the date is."))
        return label

    def clean_date(self) -> date:
        # A yearly date is remembered from its first year on (a wedding in 1975); a
        # one-off one may be a few years ahead (a move, a launch). Years like 0001 or
        # 9999 are typos, and their anniversaries would fall off the calendar.
        value: date = self.cleaned_data["date"]
        limits.validate_date(value)
        return value
