"""Forms of Settings → Phone & computer sync."""

from typing import Any

from django import forms
from django.contrib.auth.models import User
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from carddav.models import LEVEL_CHOICES
from contacts.interaction_forms import OwnContactsField
from contacts.models import Tag


class AppPasswordForm(forms.Form):
    name = forms.CharField(
        label=_("Device name"),
        max_length=100,
        help_text=_("Which phone or computer will use it, e.g. “Maya's iPhone”."),
    )

    def clean_name(self) -> str:
        name = self.cleaned_data["name"].strip()
        if "\x00" in name:
            raise forms.ValidationError(gettext("Use letters, digits and spaces."))
        return name


class WhoSyncsForm(forms.Form):
    levels = forms.MultipleChoiceField(
        label=_("People at these levels"),
        choices=LEVEL_CHOICES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "Everyone you have met is the default; people you only follow stay off your phone."
        ),
    )
    tags = OwnContactsField(
        label=_("And anyone with these tags"),
        queryset=Tag.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Optional. People with one of these tags sync whatever their level."),
    )

    def __init__(self, *args: Any, owner: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["tags"]
        assert isinstance(field, forms.ModelMultipleChoiceField)
        field.queryset = Tag.objects.filter(owner=owner)
