"""Wait until the database accepts connections (containers start in any order)."""

from django.core.management.base import BaseCommand, CommandError, CommandParser

from crm.deploy import DeployError, wait_for_database


class Command(BaseCommand):
    help = "Wait until the database answers, up to --timeout seconds."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--timeout", type=float, default=60.0)
        parser.add_argument("--interval", type=float, default=1.0)

    def handle(self, *args: object, timeout: float, interval: float, **options: object) -> None:
        try:
            attempts = wait_for_database(timeout=timeout, interval=interval)
        except DeployError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"Database is up (attempt {attempts}).")
