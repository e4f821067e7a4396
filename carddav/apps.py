from django.apps import AppConfig


class CarddavConfig(AppConfig):
    name = "carddav"
    verbose_name = "Phone & computer sync (CardDAV)"

    def ready(self) -> None:
        # Registers carddav.tasks.refresh_cards with Celery: sync requests queue it
        # through the outbox by name, and a web process imports carddav.tasks nowhere else.
        from carddav import tasks  # noqa: F401
        from carddav.refresh import mark_stale
        from contacts.changes import contacts_changed

        contacts_changed.connect(mark_stale, dispatch_uid="carddav-mark-stale")
