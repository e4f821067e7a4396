#!/usr/bin/env python
"""Django's command-line utility for administrative tasks."""

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "crm.settings")
    from django.conf import settings
    from django.core.management import execute_from_command_line

    from crm.env import ConfigurationError

    try:
        settings.INSTALLED_APPS  # noqa: B018 (loads the settings module)
    except ConfigurationError as exc:
        # A wrong or missing setting is the operator's to fix: one line, no traceback.
        sys.exit(f"Rapport cannot start: {exc}")

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
