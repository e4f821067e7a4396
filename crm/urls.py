from allauth.account.decorators import secure_admin_login
from allauth.socialaccount.providers.openid_connect import urls as oidc_urls
from django.contrib import admin
from django.urls import include, path
from django.views.decorators.cache import cache_control
from django.views.i18n import JavaScriptCatalog

from api import views as api_views
from api.main import api
from crm.views import accounts, home, ops, preferences, security

# The admin logs in through Rapport's log-in page: its limits, two-factor and single sign-on.
admin.site.login = secure_admin_login(admin.site.login)  # type: ignore[method-assign]

urlpatterns = [
    # Home (crm/views/home.py)
    path("", home.home, name="home"),
    # Accounts on django-allauth (crm/views/accounts.py)
    path("accounts/login/", accounts.RapportLoginView.as_view(), name="account_login"),
    path("accounts/", include("allauth.account.urls")),
    path("accounts/2fa/", include("allauth.mfa.urls")),
    path("accounts/3rdparty/", include("allauth.socialaccount.urls")),
    path("accounts/", include(oidc_urls.urlpatterns)),
    path("accounts/sessions/", include("allauth.usersessions.urls")),
    # Settings (crm/views/preferences.py)
    path("settings/", preferences.settings_view, name="settings"),
    # Security (crm/views/security.py)
    path("settings/security/", security.security, name="security"),
    path(
        "settings/security/sessions/end-others/",
        security.end_other_sessions,
        name="security_end_sessions",
    ),
    # Health and System status (crm/views/ops.py)
    path("healthz", ops.healthz, name="healthz"),
    path("status/", ops.status, name="status"),
    # Access tokens (api/views.py)
    path("settings/tokens/", api_views.access_tokens, name="access_tokens"),
    path(
        "settings/tokens/<int:pk>/revoke/",
        api_views.access_token_revoke_view,
        name="access_token_revoke",
    ),
    # The translations static/js asks for with gettext(), in the page's language; base.html
    # loads it as a script (the URL names the language, so a browser caches each one apart).
    path(
        "jsi18n/",
        cache_control(max_age=3600)(JavaScriptCatalog.as_view(packages=["crm"])),
        name="javascript-catalog",
    ),
    # The REST API (/api/v1/…), its OpenAPI schema and docs (/api/docs).
    path("api/", api.urls),
    path("contacts/", include("contacts.urls")),
    path("reminders/", include("reminders.urls")),
    path("", include("carddav.urls")),
    path("admin/", admin.site.urls),
]
