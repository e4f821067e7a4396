"""The general settings form: time zone, first day of the week, keep-in-touch cadences."""

from typing import Any
from zoneinfo import available_timezones

from django import forms

from crm.models import UserSettings

CADENCE_FIELDS = [
    ("cadence_close", "Close"),
    ("cadence_know_well", "Know well"),
    ("cadence_acquaintance", "Acquaintance"),
    ("cadence_met", "Met"),
    ("cadence_following", "Following"),
    ("cadence_unrated", "Not rated yet"),
]
MAX_CADENCE = 3650


def time_zone_names() -> list[str]:
    return sorted(z for z in available_timezones() if "/" in z or z == "UTC")


class PreferencesForm(forms.ModelForm):
    class Meta:
        model = UserSettings
        fields = ["time_zone", "week_start", *(name for name, _ in CADENCE_FIELDS)]
        labels = {"time_zone": "Time zone", "week_start": "First day of the week"}
        help_texts = {
            "time_zone": "Dates such as “today” and when reminders fall follow this zone, "
            "e.g. Europe/Berlin or America/New_York.",
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["time_zone"].widget.attrs.update(
            {"list": "time-zones", "autocomplete": "off", "spellcheck": "false"}
        )
        for name, label in CADENCE_FIELDS:
            field = self.fields[name]
            field.label = label
            field.required = False
            field.help_text = "Days. Leave empty for no reminders."
            field.widget.attrs.update({"min": 1, "max": MAX_CADENCE, "inputmode": "numeric"})
            field.error_messages["invalid"] = "Enter a whole number of days, or leave it empty."

    def clean_time_zone(self) -> str:
        return self.cleaned_data["time_zone"].strip()

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        for name, _ in CADENCE_FIELDS:
            value = cleaned.get(name)
            if value is None:
                continue
            if value < 1:
                self.add_error(name, "Use at least 1 day, or leave it empty for no reminders.")
            elif value > MAX_CADENCE:
                self.add_error(name, f"Use at most {MAX_CADENCE} days (ten years).")
        return cleaned
