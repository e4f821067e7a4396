"""Accounts on django-allauth: log in and out, passwords, sign-up when allowed, two-factor,
passkeys, single sign-on and the list of sessions (docs/authentication.md).

Rapport keeps allauth's views and URLs; crm/account_adapter.py and crm/account_forms.py
hold what Rapport decides, templates/allauth/ and templates/account/ its look.
"""

from typing import Any

from allauth.account.views import LoginView
from django.conf import settings
from django.forms import Form
from django.http import HttpResponse


class RapportLoginView(LoginView):
    """allauth's log-in page; a locked-out log-in answers 429 with Retry-After."""

    def form_invalid(self, form: Form) -> HttpResponse:
        response: HttpResponse = super().form_invalid(form)
        codes = {error.code for error in form.non_field_errors().as_data()}
        if "too_many_login_attempts" in codes:
            response.status_code = 429
            response["Retry-After"] = str(settings.LOGIN_LOCKOUT_SECONDS)
        return response

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(password_login=settings.PASSWORD_LOGIN, **kwargs)
