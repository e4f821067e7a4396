import os
import sys

from django.core.wsgi import get_wsgi_application

from crm.env import ConfigurationError

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "crm.settings")

try:
    application = get_wsgi_application()
except ConfigurationError as exc:
    # As manage.py: a wrong setting is one line in the log, not a traceback per worker.
    sys.exit(f"Rapport cannot start: {exc}")
