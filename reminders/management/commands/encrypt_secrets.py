"""`manage.py encrypt_secrets`: encrypt every stored channel address with the current key.

Run after changing FIELD_ENCRYPTION_KEY (or SECRET_KEY while that is unset) with the old
key kept in the fallbacks; once it has run, the old key can be removed.
"""

from typing import Any

from django.core.management.base import BaseCommand

from reminders.channels import channels_reencrypt


class Command(BaseCommand):
    help = "Encrypt every notification channel's address with the current key."

    def handle(self, *args: Any, **options: Any) -> None:
        done, unreadable = channels_reencrypt()
        self.stdout.write(f"Encrypted {done} channel address(es) with the current key.")
        if unreadable:
            self.stderr.write(
                f"{unreadable} could not be read with any key in force (their key was "
                "removed): their owners must enter those addresses again."
            )
