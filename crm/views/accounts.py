"""Accounts: log in and out, change or reset a password, and sign up when allowed.

Password reset emails build their links from settings.BASE_URL, never from the
request's Host header, so a forged Host cannot send users to someone else's site.
"""

from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import (
    PasswordResetForm,
)
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse_lazy
from django.views.decorators.http import require_http_methods

from crm.account_forms import ChangeForm, LoginForm, NewPasswordForm, ResetForm, SignupForm
from crm.ratelimit import allow_password_reset


class BaseUrlPasswordResetView(auth_views.PasswordResetView):
    """Reset links point at BASE_URL whatever Host the request came with."""

    email_template_name = "registration/password_reset_email.txt"
    subject_template_name = "registration/password_reset_subject.txt"
    form_class = ResetForm

    def form_valid(self, form: PasswordResetForm) -> HttpResponse:
        if not allow_password_reset(self.request, form.cleaned_data["email"]):
            # The same answer as a sent email: nothing to learn, nothing sent.
            return redirect(self.get_success_url())
        base = urlsplit(settings.BASE_URL)
        self.extra_email_context = {"base_url": settings.BASE_URL, "site_name": "Rapport"}
        form.save(
            domain_override=base.netloc,
            use_https=base.scheme == "https",
            token_generator=self.token_generator,
            from_email=self.from_email,
            email_template_name=self.email_template_name,
            subject_template_name=self.subject_template_name,
            request=self.request,
            html_email_template_name=self.html_email_template_name,
            extra_email_context=self.extra_email_context,
        )
        return redirect(self.get_success_url())


class SettingsPasswordChangeView(auth_views.PasswordChangeView):
    """The password page sits among the settings pages, with their sub-navigation."""

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(settings_section="password", **kwargs)


class LogoutWithNotice(auth_views.LogoutView):
    """Log out and say so on the log-in page it lands on (messages outlive the session)."""

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        was_logged_in = request.user.is_authenticated
        response = super().post(request, *args, **kwargs)
        if was_logged_in:
            messages.info(request, "You are logged out.")
        return response


@require_http_methods(["GET", "POST"])
def signup(request: HttpRequest) -> HttpResponse:
    # Checked per request (not at import) so the setting can change without a code path.
    if not settings.ALLOW_SIGNUP:
        raise Http404("Sign-up is turned off on this server.")
    if request.user.is_authenticated:
        return redirect("home")
    form = SignupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = form.save()
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        messages.success(request, f"Welcome to Rapport, {user.get_username()}!")
        return redirect("home")
    return render(request, "registration/signup.html", {"form": form})


urlpatterns = [
    path(
        "accounts/login/",
        auth_views.LoginView.as_view(
            redirect_authenticated_user=True, authentication_form=LoginForm
        ),
        name="login",
    ),
    path("accounts/logout/", LogoutWithNotice.as_view(), name="logout"),
    path(
        "accounts/password/change/",
        SettingsPasswordChangeView.as_view(
            form_class=ChangeForm, success_url=reverse_lazy("password_change_done")
        ),
        name="password_change",
    ),
    path(
        "accounts/password/change/done/",
        auth_views.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
    path("accounts/password/reset/", BaseUrlPasswordResetView.as_view(), name="password_reset"),
    path(
        "accounts/password/reset/sent/",
        auth_views.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "accounts/password/reset/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(form_class=NewPasswordForm),
        name="password_reset_confirm",
    ),
    path(
        "accounts/password/reset/complete/",
        auth_views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
    path("accounts/signup/", signup, name="signup"),
]
