from django.apps import AppConfig


class CrmConfig(AppConfig):
    name = "crm"
    verbose_name = "Rapport"

    def ready(self) -> None:
        # Connects the log-in signal that remembers the person's time zone in the session.
        from crm import timezones  # noqa: F401
