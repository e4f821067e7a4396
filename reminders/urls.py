"""The reminders app's URLs: every route in one table, grouped by the module of views that
answers it."""

from django.urls import path

from reminders.views import calendar, dashboard, dates, notes, notifications, preferences, sender

app_name = "reminders"

urlpatterns = [
    # This week (views/dashboard.py)
    path("", dashboard.dashboard, name="dashboard"),
    path("<int:pk>/snooze/", dashboard.reminder_snooze, name="reminder_snooze"),
    path("<int:pk>/dismiss/", dashboard.reminder_dismiss, name="reminder_dismiss"),
    path("<int:pk>/done/", dashboard.reminder_done, name="reminder_done"),
    path("<int:pk>/reopen/", dashboard.reminder_reopen, name="reminder_reopen"),
    # Notes and note templates (views/notes.py)
    path("notes/new/", notes.note_start, name="note_start"),
    path("notes/<int:pk>/", notes.note_edit, name="note_edit"),
    path("notes/<int:pk>/sent/", notes.note_sent, name="note_sent"),
    path("notes/<int:pk>/unsend/", notes.note_unsend, name="note_unsend"),
    path("notes/<int:pk>/delete/", notes.note_delete, name="note_delete"),
    path("notes/templates/", notes.note_templates, name="note_templates"),
    # Who notes come from (views/sender.py)
    path("notes/you/", sender.note_sender, name="note_sender"),
    # The calendar feed (views/calendar.py)
    path("calendar/", calendar.calendar_settings, name="calendar_settings"),
    path("calendar/<str:token>.ics", calendar.calendar_feed, name="calendar_feed"),
    # Reminders & digest settings (views/preferences.py)
    path("settings/", preferences.reminder_settings, name="settings"),
    path("settings/scan/", preferences.run_scan_now, name="scan_now"),
    # Custom dates (views/dates.py)
    path("contacts/<int:contact_id>/dates/", dates.custom_dates, name="custom_dates"),
    path("contacts/<int:contact_id>/dates/add/", dates.custom_date_add, name="custom_date_add"),
    path("dates/<int:date_id>/edit/", dates.custom_date_edit, name="custom_date_edit"),
    path("dates/<int:date_id>/delete/", dates.custom_date_delete, name="custom_date_delete"),
    # Notification channels (views/notifications.py)
    path("notifications/", notifications.notifications, name="notifications"),
    path("notifications/<int:pk>/edit/", notifications.channel_edit, name="channel_edit"),
    path("notifications/<int:pk>/delete/", notifications.channel_delete, name="channel_delete"),
    path("notifications/<int:pk>/test/", notifications.channel_test, name="channel_test"),
    path("notifications/<int:pk>/resume/", notifications.channel_resume, name="channel_resume"),
]
