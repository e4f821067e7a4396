"""The general settings form: time zone, first day of the week, keep-in-touch cadences."""

from typing import Any
from zoneinfo import available_timezones

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from contacts.models import UNRATED_LABEL, TrustLevel
from crm.languages import language_choices
from crm.models import UserSettings, Weekday

# Labelled by the trust levels' own (translated) labels.
CADENCE_FIELDS = [
    ("cadence_close", TrustLevel.CLOSE.label),
    ("cadence_know_well", TrustLevel.KNOW_WELL.label),
    ("cadence_acquaintance", TrustLevel.ACQUAINTANCE.label),
    ("cadence_met", TrustLevel.MET.label),
    ("cadence_following", TrustLevel.FOLLOWING.label),
    ("cadence_unrated", UNRATED_LABEL),
]
MAX_CADENCE = 3650


def time_zone_names() -> list[str]:
    return sorted(z for z in available_timezones() if "/" in z or z == "UTC")


def time_zone_choices(current: str = "") -> list[tuple[str, Any]]:
    """The zones grouped by region ("Europe", "America", ...), each labelled by its city.

    A select with groups can be searched by typing on every platform, and nobody has to
    remember how the tz database spells their city. A zone saved before the list existed
    (e.g. "EST" from an old TIME_ZONE) stays offered so the form can be saved unchanged.
    """
    groups: dict[str, list[tuple[str, str]]] = {}
    # Region names are the tz database's (English) names; only the catch-all is ours.
    other = gettext("Other")
    names = time_zone_names()
    for name in names:
        region, _slash, city = name.partition("/")
        groups.setdefault(region if city else other, []).append(
            (name, city.replace("_", " ").replace("/", ", ") if city else name)
        )
    if current and current not in names:
        groups.setdefault(other, []).insert(0, (current, current))
    choices: list[tuple[str, Any]] = [("", gettext("Choose a time zone"))]
    choices += [(region, zones) for region, zones in sorted(groups.items())]
    return choices


class PreferencesForm(forms.ModelForm):
    class Meta:
        model = UserSettings
        fields = [
            "language",
            "time_zone",
            "week_start",
            *(name for name, _label in CADENCE_FIELDS),
            "introduction_min_trust",
        ]
        labels = {
            "time_zone": _("Time zone"),
            "language": _("Language"),
            "week_start": _("First day of the week"),
            "introduction_min_trust": _("Who can be introduced"),
        }
        help_texts = {
            "introduction_min_trust": _(
                "An introduction spends your credibility: Rapport "
                "only starts one between two people you know at least this well."
            ),
            "time_zone": _(
                "Dates such as “today”, when reminders fall and every time shown "
                "follow this zone. Type a city's first letters to jump to it."
            ),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        current = self.instance.time_zone if self.instance.pk else ""
        self.fields["time_zone"] = forms.ChoiceField(
            label=_("Time zone"),
            choices=time_zone_choices(current),
            help_text=self.fields["time_zone"].help_text,
            error_messages={"invalid_choice": _("“%(value)s” is not a known time zone.")},
        )
        self.fields["language"] = forms.ChoiceField(
            label=self.fields["language"].label,
            choices=[("", _("As your browser asks")), *language_choices()],
            required=False,
            help_text=_("Pages, emails, dates and note templates follow it."),
        )
        week_start = self.fields["week_start"]
        assert isinstance(week_start, forms.ChoiceField)
        week_start.choices = [("", _("As usual in your language")), *Weekday.choices]
        for name, label in CADENCE_FIELDS:
            field = self.fields[name]
            field.label = label
            field.required = False
            field.help_text = _("Days. Leave empty for no reminders.")
            field.widget.attrs.update({"min": 1, "max": MAX_CADENCE, "inputmode": "numeric"})
            field.error_messages["invalid"] = _("Enter a whole number of days, or leave it empty.")

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        for name, _label in CADENCE_FIELDS:
            value = cleaned.get(name)
            if value is None:
                continue
            if value < 1:
                self.add_error(
                    name, gettext("Use at least 1 day, or leave it empty for no reminders.")
                )
            elif value > MAX_CADENCE:
                self.add_error(
                    name,
                    gettext("Use at most %(days)d days (ten years).") % {"days": MAX_CADENCE},
                )
        return cleaned
