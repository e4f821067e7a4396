"""Forms of the double opt-in introduction flow."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from contacts import limits
from contacts.interaction_forms import MAX_ID
from contacts.introduction_flow import STEPS


class IntroductionStartForm(forms.Form):
    first = forms.IntegerField(widget=forms.HiddenInput, min_value=1, max_value=MAX_ID)
    second = forms.IntegerField(widget=forms.HiddenInput, min_value=1, max_value=MAX_ID)
    reason = forms.CharField(
        label=_("Why should they meet?"),
        max_length=limits.SHORT_NOTE_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("In your words: it goes into the message you send each of them."),
        error_messages={"required": _("Say why they should meet, in your words.")},
    )


class IntroductionStepForm(forms.Form):
    action = forms.ChoiceField(choices=[(name, step.label) for name, step in STEPS.items()])


class DraftCheckForm(forms.Form):
    """An edited draft sent back for the personal-touch check."""

    draft = forms.IntegerField(min_value=0, max_value=5, required=False)
    body = forms.CharField(
        label=_("Message"), max_length=limits.NOTES_MAX, required=False, widget=forms.Textarea
    )

    def index(self) -> int:
        value: Any = self.cleaned_data.get("draft")
        return int(value or 0)
