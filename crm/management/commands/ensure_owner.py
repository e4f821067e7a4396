"""Create the first account on a new installation, with a random password printed once."""

import secrets

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandParser


class Command(BaseCommand):
    help = "Create the owner account if no account exists yet, and say how to log in."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--username", default="owner")
        parser.add_argument("--email", default="")

    def handle(self, *args: object, username: str, email: str, **options: object) -> None:
        User = get_user_model()
        if User.objects.exists():
            names = ", ".join(User.objects.order_by("id").values_list("username", flat=True)[:3])
            self.stdout.write(
                f"Log in as your existing account ({names}). Forgot the password? "
                f"Run: python manage.py changepassword USERNAME"
            )
            return
        password = secrets.token_urlsafe(12)
        User.objects.create_superuser(username=username, email=email, password=password)
        self.stdout.write(
            self.style.SUCCESS("Created your account. This password is shown only once:")
        )
        self.stdout.write(f"  username: {username}\n  password: {password}")
        self.stdout.write("Change it after logging in (menu → Change password).")
