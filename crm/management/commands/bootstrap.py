"""Everything a container does before it serves: the entrypoint's steps.

1. refuse to start in production without a real SECRET_KEY, ALLOWED_HOSTS and BASE_URL;
2. wait for the database;
3. under a lock shared by every replica: apply migrations, then create the first
   admin from RAPPORT_ADMIN_EMAIL / RAPPORT_ADMIN_PASSWORD if no user exists.

Safe to run any number of times, and from several processes at once.
"""

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser

from crm.deploy import (
    DeployError,
    ensure_first_admin,
    migration_lock,
    production_problems,
    wait_for_database,
)


class Command(BaseCommand):
    help = "Check the production configuration, wait for the database, migrate, create the admin."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--timeout", type=float, default=60.0, help="Seconds to wait for the database."
        )
        parser.add_argument(
            "--lock-timeout",
            type=float,
            default=600.0,
            help="Seconds to wait while another process migrates.",
        )
        parser.add_argument(
            "--check-only", action="store_true", help="Only check the configuration."
        )

    def handle(
        self,
        *args: object,
        timeout: float,
        lock_timeout: float,
        check_only: bool,
        verbosity: int = 1,
        **options: object,
    ) -> None:
        problems = production_problems()
        if problems:
            raise CommandError(
                "Refusing to start in production (DEBUG is off):\n"
                + "\n".join(f"  - {problem}" for problem in problems)
                + "\nSee docs/configuration.md."
            )
        if check_only:
            self.stdout.write("Configuration is ready for production.")
            return
        try:
            wait_for_database(timeout=timeout)
            with migration_lock(timeout=lock_timeout):
                call_command("migrate", interactive=False, verbosity=verbosity, stdout=self.stdout)
                ensure_first_admin(say=self.stdout.write)
        except DeployError as exc:
            raise CommandError(str(exc)) from exc
