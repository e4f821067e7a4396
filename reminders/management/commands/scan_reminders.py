"""Run the reminder scan now, synchronously: `manage.py scan_reminders [--date] [--user]`."""

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from reminders.management.commands._options import add_options, date_option, find_user
from reminders.models import ScanTrigger
from reminders.scan import scan_all, scan_one


class Command(BaseCommand):
    help = "Turn the occasions of the next 14 days into reminders; prints created=N."

    def add_arguments(self, parser: CommandParser) -> None:
        add_options(parser)

    def handle(self, *args: Any, **options: Any) -> None:
        today = date_option(options["date"])
        if options["user"]:
            user = find_user(options["user"])
            run = scan_one(user=user, today=today, trigger=ScanTrigger.COMMAND)
        else:
            run = scan_all(today=today, trigger=ScanTrigger.COMMAND)
        self.stdout.write(f"created={run.reminders_created}")
        if options["verbosity"] > 1:
            self.stdout.write(f"users={run.users_scanned}")
