"""The reminders settings forms: who notes come from, and when to be reminded.

`ReminderSettingsForm` also checks the settings a JSON backup restores (crm/backup.py).
"""

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from crm.languages import language_choices
from crm.models import UserSettings

SIGNATURE_MAX_LINES = 6


class SenderForm(forms.ModelForm):
    """Who notes come from: asked on the first visit, and in Settings → Your name on notes."""

    class Meta:
        model = UserSettings
        fields = ["display_name", "signature"]
        labels = {"display_name": _("Your name"), "signature": _("Sign-off")}
        help_texts = {
            "display_name": _(
                "How you sign your notes, e.g. “Sam” or “Sam Rivera”. "
                "Templates use it as {my_name}."
            ),
            "signature": _(
                "The lines your notes end with ({signature}), e.g. “Warmly,” and your "
                "name. Leave empty for “All the best,” and your name."
            ),
        }
        widgets = {"signature": forms.Textarea(attrs={"rows": 3})}

    def clean_display_name(self) -> str:
        return " ".join(self.cleaned_data["display_name"].split())

    def clean_signature(self) -> str:
        text = self.cleaned_data["signature"].replace("\r\n", "\n").strip()
        if text.count("\n") >= SIGNATURE_MAX_LINES:
            raise forms.ValidationError(
                gettext("Keep the sign-off to %(lines)d lines or fewer.")
                % {"lines": SIGNATURE_MAX_LINES}
            )
        return text


class FirstVisitForm(SenderForm):
    """The dashboard's first-visit question: who notes come from, and in which language.

    The language is suggested from the browser's Accept-Language (the view's initial).
    """

    language = forms.ChoiceField(label=_("Language"), choices=language_choices)

    class Meta(SenderForm.Meta):
        fields = ["display_name", "signature", "language"]


MAX_MILESTONE = 80


class ReminderSettingsForm(forms.ModelForm):
    milestone_years = forms.CharField(
        label=_("Milestone work anniversaries"),
        max_length=100,
        required=False,
        help_text=_("Years in a job worth congratulating, separated by commas, e.g. 1, 5, 10."),
    )

    class Meta:
        model = UserSettings
        fields = [
            "milestone_years",
            "milestone_every",
            "remind_following",
            "digest_enabled",
            "digest_weekday",
        ]
        labels = {
            "milestone_every": _("Then every … years"),
            "remind_following": _("Remind me about people I only follow"),
            "digest_enabled": _("Send me a weekly digest email"),
            "digest_weekday": _("Digest day"),
        }
        help_texts = {
            "milestone_every": _("After the last listed year; 0 for no further anniversaries."),
            "remind_following": _(
                "Off by default: birthdays and job changes of people you don't know are noise."
            ),
            "digest_enabled": _("Who to congratulate in the week ahead, sent in the morning."),
        }

    def clean_milestone_years(self) -> str:
        raw = self.cleaned_data["milestone_years"]
        parts = [p.strip() for p in raw.replace(";", ",").replace(" ", ",").split(",")]
        years: set[int] = set()
        for part in filter(None, parts):
            if not part.isdecimal() or not 1 <= int(part) <= MAX_MILESTONE:
                raise forms.ValidationError(
                    gettext("“%(value)s” is not a number of years from 1 to %(max)d.")
                    % {"value": part, "max": MAX_MILESTONE}
                )
            years.add(int(part))
        return ",".join(str(y) for y in sorted(years))

    def clean_milestone_every(self) -> int:
        every = self.cleaned_data["milestone_every"]
        if every is None or not 0 <= every <= MAX_MILESTONE:
            raise forms.ValidationError(
                gettext("Enter a number of years from 0 to %(max)d.") % {"max": MAX_MILESTONE}
            )
        return every

    def clean(self) -> dict:
        super().clean()
        data = self.cleaned_data
        if data.get("milestone_years") == "" and data.get("milestone_every") == 0:
            raise forms.ValidationError(
                gettext(
                    "With no listed years and no “every”, no work anniversary would ever be "
                    "celebrated. List at least one year, or set “every”."
                )
            )
        return data
