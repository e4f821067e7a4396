"""Rapport's version of allauth's log-in form (settings.ACCOUNT_FORMS)."""

import unicodedata
from typing import Any

from allauth.account.forms import LoginForm as AllauthLoginForm
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext


class LoginForm(AllauthLoginForm):
    """Log-in by username or email address.

    The login is read as Django's own form reads a username (NFKC), so a full-width
    spelling is the same account, and the same failure counter (crm/account_adapter.py).
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        self.fields["login"].label = gettext("Username or email")
        self.fields["login"].widget.attrs.pop("placeholder", None)
        self.fields["login"].widget.attrs["autocomplete"] = "username"
        self.fields["password"].help_text = ""
        self.fields["password"].widget.attrs.pop("placeholder", None)
        if "remember" in self.fields:
            self.fields["remember"].label = gettext("Keep me logged in on this device")

    def clean_login(self) -> str:
        return unicodedata.normalize("NFKC", str(self.cleaned_data["login"])).strip()

    def clean(self) -> dict[str, Any]:
        if not settings.PASSWORD_LOGIN:
            raise ValidationError(
                gettext("Log-in with a password is turned off on this server: use single sign-on."),
                code="password_login_off",
            )
        cleaned: dict[str, Any] = super().clean()
        return cleaned
