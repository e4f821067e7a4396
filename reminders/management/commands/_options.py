"""Options shared by the reminder commands: --date and --user."""

from datetime import date

from django.contrib.auth import get_user_model
from django.contrib.auth.models import User
from django.core.management.base import CommandError, CommandParser


def add_options(parser: CommandParser) -> None:
    parser.add_argument(
        "--date",
        type=parse_date,
        default=None,
        help="Act as if today were this date (YYYY-MM-DD). Default: today in each user's zone.",
    )
    parser.add_argument("--user", default=None, help="Only this username. Default: every user.")


def parse_date(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"--date must look like 2026-12-31 (got {value!r}).") from None


def find_user(username: str) -> User:
    User = get_user_model()
    user = User.objects.filter(**{User.USERNAME_FIELD: username}).first()
    if user is None:
        raise CommandError(f"No user named {username!r}.")
    return user


def date_option(value: date | str | None) -> date | None:
    """call_command(date="...") skips argparse's type conversion, so convert here too."""
    return parse_date(value) if isinstance(value, str) else value
