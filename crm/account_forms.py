"""Forms of the account pages (crm/views/accounts.py): Django's, with Rapport's labels."""

from typing import Any

from django.contrib.auth.forms import (
    AuthenticationForm,
    PasswordChangeForm,
    PasswordResetForm,
    SetPasswordForm,
    UserCreationForm,
)
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.forms import EmailField

from crm.ratelimit import clear_password_change_failures, record_password_change_failure


class NoColonLabels:
    """Labels read "Username", not "Username:", like every other form in Rapport."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)


class LoginForm(NoColonLabels, AuthenticationForm):
    pass


class ResetForm(NoColonLabels, PasswordResetForm):
    pass


class ChangeForm(NoColonLabels, PasswordChangeForm):
    def clean_old_password(self) -> str:
        # Counted like failed log-ins (crm/ratelimit.py), so a stolen session cannot guess.
        try:
            old_password: str = super().clean_old_password()
        except ValidationError:
            record_password_change_failure(self.user.pk)
            raise
        clear_password_change_failures(self.user.pk)
        return old_password


class NewPasswordForm(NoColonLabels, SetPasswordForm):
    pass


class SignupForm(NoColonLabels, UserCreationForm):
    email = EmailField(
        label="Email",
        required=True,
        help_text="Used only to reset your password and to send your weekly digest.",
    )

    class Meta(UserCreationForm.Meta):
        model = User
        fields = ("username", "email")
