#!/usr/bin/env python
"""Django's command-line utility for administrative tasks."""

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "crm.settings")
    from django.core.management import execute_from_command_line

    from crm.env import ConfigurationError

    # Django applies --settings before it loads the settings, so load them only inside
    # execute_from_command_line (loading them here would ignore --settings=tests.settings).
    try:
        execute_from_command_line(sys.argv)
    except ConfigurationError as exc:
        # A wrong or missing setting is the operator's to fix: one line, no traceback.
        sys.exit(f"Rapport cannot start: {exc}")


if __name__ == "__main__":
    main()
