from django.apps import AppConfig


class ContactsConfig(AppConfig):
    name = "contacts"

    def ready(self) -> None:
        # Registers the import task in every process: contacts.importers.jobs queues it
        # through the outbox by name, and a web process imports contacts.tasks nowhere else.
        from contacts import tasks  # noqa: F401
