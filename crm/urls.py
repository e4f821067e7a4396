from django.contrib import admin
from django.urls import include, path

from crm.views import accounts, home, ops, preferences

urlpatterns = [
    *home.urlpatterns,
    *accounts.urlpatterns,
    *preferences.urlpatterns,
    *ops.urlpatterns,
    path("contacts/", include("contacts.urls")),
    path("reminders/", include("reminders.urls")),
    path("admin/", admin.site.urls),
]
