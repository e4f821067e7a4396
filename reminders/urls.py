"""The reminders app's URLs, one module of views per area."""

from reminders.views import calendar, dashboard, dates, notes, notifications, preferences, sender

app_name = "reminders"

urlpatterns = [
    *dashboard.urlpatterns,
    *notes.urlpatterns,
    *sender.urlpatterns,
    *calendar.urlpatterns,
    *preferences.urlpatterns,
    *dates.urlpatterns,
    *notifications.urlpatterns,
]
