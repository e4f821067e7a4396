from django.apps import AppConfig


class CrmConfig(AppConfig):
    name = "crm"
    verbose_name = "Rapport"

    def ready(self) -> None:
        from crm.account_policy import connect_session_tracking
        from crm.data_version import connect_data_version_signals
        from crm.languages import connect_language_signal
        from crm.timezones import connect_time_zone_signal

        connect_session_tracking()
        connect_time_zone_signal()
        connect_language_signal()
        # Every owned model's writes move its owner's data version (cache keys).
        connect_data_version_signals()
