"""The form that creates a personal access token."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from api.models import TokenScope


class AccessTokenForm(forms.Form):
    name = forms.CharField(
        label=_("Name"),
        max_length=100,
        help_text=_("What uses it, e.g. “Claude Desktop” or “backup script”."),
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    scope = forms.ChoiceField(
        label=_("Access"),
        choices=[
            (
                TokenScope.READ.value,
                _("Read only — look up contacts, interactions and reminders"),
            ),
            (
                TokenScope.WRITE.value,
                _("Read and write — also add and change contacts, log interactions, draft notes"),
            ),
        ],
        initial=TokenScope.READ,
        widget=forms.RadioSelect,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
