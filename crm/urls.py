from allauth.account.decorators import secure_admin_login
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
    *home.urlpatterns,
    *accounts.urlpatterns,
    *preferences.urlpatterns,
    *security.urlpatterns,
    *ops.urlpatterns,
    *api_views.urlpatterns,
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
