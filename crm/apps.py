from django.apps import AppConfig


class CrmConfig(AppConfig):
    name = "crm"
    verbose_name = "Rapport"

    def ready(self) -> None:
        from crm.ratelimit import connect_login_signals
        from crm.timezones import connect_time_zone_signal

        connect_login_signals()
        connect_time_zone_signal()
