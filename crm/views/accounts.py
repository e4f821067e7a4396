"""Accounts on django-allauth: log in and out, passwords, sign-up when allowed, two-factor,
passkeys, single sign-on and the list of sessions (docs/authentication.md).

Rapport keeps allauth's views and URLs; crm/account_adapter.py and crm/account_forms.py
hold what Rapport decides, templates/allauth/ and templates/account/ its look.
"""

from typing import Any

from allauth.account.views import LoginView
from allauth.socialaccount.providers.openid_connect import urls as oidc_urls
from django.conf import settings
from django.forms import Form
from django.http import HttpResponse
from django.urls import URLPattern, URLResolver, include, path


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


urlpatterns: list[URLPattern | URLResolver] = [
    path("accounts/login/", RapportLoginView.as_view(), name="account_login"),
    path("accounts/", include("allauth.account.urls")),
    path("accounts/2fa/", include("allauth.mfa.urls")),
    path("accounts/3rdparty/", include("allauth.socialaccount.urls")),
    path("accounts/", include(oidc_urls.urlpatterns)),
    path("accounts/sessions/", include("allauth.usersessions.urls")),
]
