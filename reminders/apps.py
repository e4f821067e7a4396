from django.apps import AppConfig


class RemindersConfig(AppConfig):
    name = "reminders"

    def ready(self) -> None:
        from reminders.charts import connect_glance_signals

        connect_glance_signals()
