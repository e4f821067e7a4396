from allauth.account.decorators import secure_admin_login
from django.contrib import admin
from django.urls import include, path

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
    # The REST API (/api/v1/…), its OpenAPI schema and docs (/api/docs).
    path("api/", api.urls),
    path("contacts/", include("contacts.urls")),
    path("reminders/", include("reminders.urls")),
    path("", include("carddav.urls")),
    path("admin/", admin.site.urls),
]
