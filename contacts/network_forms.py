"""Forms of introductions, following and connection requests (contacts/views/<area>.py)."""

from datetime import date
from typing import Any

from django import forms
from django.core.validators import FileExtensionValidator
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from contacts import limits, network
from contacts.models import RequestDirection, TrustLevel
from crm.forms import DateInput

KNOWN_CHOICES = [(level.value, level.label) for level in network.KNOWN_LEVELS]


class IntroductionSearchForm(forms.Form):
    q = forms.CharField(
        label=_("Search"),
        required=False,
        max_length=200,
        help_text=_("Current company, title, tags, notes or how you met, e.g. “partner venture”."),
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}),
    )
    min_trust = forms.ChoiceField(
        label=_("Know them at least"),
        choices=KNOWN_CHOICES,
        initial=TrustLevel.KNOW_WELL,
        required=False,
        help_text=_("Introduce only people you can vouch for."),
    )
    include_following = forms.BooleanField(label=_("Include people I only follow"), required=False)

    def search(self, owner: Any) -> tuple[Any, str]:
        # A nonsense filter falls back to its default; the valid fields still apply.
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        query = data.get("q", "")
        results = network.introduction_search(
            owner=owner,
            query=query,
            min_trust=data.get("min_trust") or TrustLevel.KNOW_WELL,
            include_following=data.get("include_following", False),
        )
        return results, query


class IntroductionForm(forms.Form):
    other = forms.IntegerField(widget=forms.HiddenInput)
    occurred_on = forms.DateField(
        label=pgettext_lazy("when", "Date"),
        initial=date.today,
        widget=DateInput(),
    )
    note = forms.CharField(
        label=pgettext_lazy("noun", "Note"),
        required=False,
        max_length=limits.SHORT_NOTE_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Why you think they should meet; it goes on both timelines."),
    )
    introduced_me = forms.BooleanField(
        label=_("They introduced me to this person"),
        required=False,
        help_text=_("Records the introducer in the other person's “how we met”."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["occurred_on"].widget.attrs.update(limits.date_input_attrs(past=True))

    def clean_occurred_on(self) -> date:
        value: date = self.cleaned_data["occurred_on"]
        # It is logged as an interaction (and may fill in "met on"), so the same rules apply.
        limits.validate_past_date(value, slack=limits.TIME_ZONE_SLACK)
        return value


class KnowNowForm(forms.Form):
    trust_level = forms.ChoiceField(
        label=_("How well do you know them now?"), choices=KNOWN_CHOICES, initial=TrustLevel.MET
    )
    how_we_met = forms.CharField(
        label=_("How we met"),
        max_length=limits.HOW_WE_MET_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Required: knowing someone starts with a story, e.g. “Sat together at PyCon”."),
    )
    met_on = forms.DateField(label=_("Met on"), required=False, widget=DateInput())
    met_at = forms.CharField(label=_("Place or event"), required=False, max_length=200)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["met_on"].widget.attrs.update(limits.date_input_attrs(past=True))

    def clean_met_on(self) -> date | None:
        met_on = self.cleaned_data["met_on"]
        # As on the contact form: a meeting has happened (a far-future typo would also
        # push every keep-in-touch date past the end of the calendar).
        limits.validate_past_date(met_on)
        return met_on


class RequestForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    linkedin_url = forms.CharField(
        label=_("LinkedIn profile"),
        required=False,
        max_length=300,
        help_text=_("Optional, e.g. https://www.linkedin.com/in/name"),
    )
    direction = forms.ChoiceField(
        label=_("Who asked"), choices=RequestDirection.choices, initial=RequestDirection.INCOMING
    )
    message = forms.CharField(
        label=_("Message"),
        required=False,
        max_length=limits.SHORT_NOTE_MAX,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class InvitationsUploadForm(forms.Form):
    file = forms.FileField(
        label=_("LinkedIn Invitations.csv"),
        help_text=_(
            "From LinkedIn's data export (Settings, Data privacy, Get a copy of your data)."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,text/csv"}),
        validators=[
            FileExtensionValidator(
                ["csv", "txt"],
                message=_("“%(extension)s” is not a CSV file; upload Invitations.csv."),
            )
        ],
    )


class DecisionForm(forms.Form):
    action = forms.ChoiceField(
        choices=[
            ("know", _("I know them")),
            ("follow", pgettext_lazy("verb", "Follow")),
            ("ignore", _("Ignore")),
        ]
    )
    trust_level = forms.ChoiceField(
        label=_("How well"), choices=KNOWN_CHOICES, initial=TrustLevel.MET, required=False
    )
    how_we_met = forms.CharField(
        label=_("How we met"),
        max_length=limits.HOW_WE_MET_MAX,
        required=False,
        help_text=_("Required for “I know them”."),
    )
