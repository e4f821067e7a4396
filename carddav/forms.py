"""Forms of Settings → Phone & computer sync."""

from typing import Any

from django import forms
from django.contrib.auth.models import User

from carddav.models import LEVEL_CHOICES
from contacts.interaction_forms import OwnContactsField
from contacts.models import Tag


class AppPasswordForm(forms.Form):
    name = forms.CharField(
        label="Device name",
        max_length=100,
        help_text="Which phone or computer will use it, e.g. “Maya's iPhone”.",
    )

    def clean_name(self) -> str:
        name = self.cleaned_data["name"].strip()
        if "\x00" in name:
            raise forms.ValidationError("Use letters, digits and spaces.")
        return name


class WhoSyncsForm(forms.Form):
    levels = forms.MultipleChoiceField(
        label="People at these levels",
        choices=LEVEL_CHOICES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=(
            "Everyone you have met is the default; people you only follow stay off your phone."
        ),
    )
    tags = OwnContactsField(
        label="And anyone with these tags",
        queryset=Tag.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Optional. People with one of these tags sync whatever their level.",
    )

    def __init__(self, *args: Any, owner: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["tags"]
        assert isinstance(field, forms.ModelMultipleChoiceField)
        field.queryset = Tag.objects.filter(owner=owner)
