"""The languages Rapport ships (crm/settings.py imports these; docs/translating.md).

English is the source language; the catalogs of the others are in crm/locale/ and are
compiled by the build (`make run`, `make test`, the Docker image), never committed.
"""

from pathlib import Path

from django.utils.translation import gettext_noop as _

LANGUAGE_CODE = "en-us"
# Named in English here (the admin shows these); people choose among them by the name each
# language gives itself (crm/languages.language_choices).
LANGUAGES = [
    ("en", _("English")),
    ("de", _("German")),
    ("fr", _("French")),
    ("es", _("Spanish")),
    ("pt-br", _("Brazilian Portuguese")),
    ("nl", _("Dutch")),
    ("it", _("Italian")),
]
LOCALE_PATHS = [Path(__file__).resolve().parent / "locale"]
USE_I18N = True
# Dates and numbers follow the active language (django.utils.formats); Rapport's own date
# patterns per language: crm/formats/.
FORMAT_MODULE_PATH = ["crm.formats"]
