"""Send weekly digests now: `manage.py send_digest [--date] [--user]`.

Without options it sends every digest that is due, as the hourly beat check
does. With --user, that user's digest for the digest week containing --date (or
today), whatever the weekday. With only --date, the digests of every user whose
digest day that date is. A week's digest is never sent twice. Prints sent=N.
"""

from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandParser

from crm.models import UserSettings
from reminders.digest import digest_week_start, due_digests, send_digest
from reminders.management.commands._options import add_options, date_option, find_user


class Command(BaseCommand):
    help = "Send the weekly digest emails that are due; prints sent=N."

    def add_arguments(self, parser: CommandParser) -> None:
        add_options(parser)

    def handle(self, *args: Any, **options: Any) -> None:
        today, username = date_option(options["date"]), options["user"]
        sent = 0
        if username is None and today is None:
            due = due_digests()
            users = get_user_model().objects.in_bulk([pk for pk, _ in due])
            for pk, week_start in due:
                sent += send_digest(user=users[pk], week_start=week_start)
        else:
            recipients = (
                [find_user(username)]
                if username
                else get_user_model().objects.filter(is_active=True).exclude(email="")
            )
            for user in recipients:
                prefs = UserSettings.for_user(user)
                day = today or prefs.today()
                if username is None and day.weekday() != prefs.digest_weekday:
                    continue
                week_start = digest_week_start(prefs, day)
                sent += send_digest(user=user, week_start=week_start, today=day)
        self.stdout.write(f"sent={sent}")
