"""Reading a Rapport JSON backup file into a document, with a clear message for each way
a file can fail to be one (docs/export-format.md)."""

import json
import re
from typing import Any

from django.utils.translation import gettext

from contacts.exporters import FORMAT_NAME, FORMAT_VERSION
from contacts.importers.base import ImportFileError, decode_text
from crm.formats import grouped

NUL_ESCAPE = re.compile(r"(?<!\\)((?:\\\\)*)\\u0000")


# Longest whole number a backup may hold; ids and counts need a fraction of it. Python
# refuses to read numbers past 4,300 digits at all, with no position in its error.
NUMBER_DIGITS_MAX = 100


class _HugeNumber(ValueError):
    def __init__(self, digits: str) -> None:
        super().__init__(digits)
        self.digits = digits


def _whole_number(digits: str) -> int:
    if len(digits) > NUMBER_DIGITS_MAX:
        raise _HugeNumber(digits)
    return int(digits)


def load_json(data: bytes, *, what: str = "") -> Any:
    """The JSON value of an upload, or ImportFileError saying where it is not JSON."""
    content, _ = decode_text(data, what=gettext("JSON file"))
    what = what or gettext("Rapport backup")
    # "\u0000" escapes decode to NUL characters, which no text field can hold (PostgreSQL
    # refuses them): drop them, leaving an escaped backslash followed by "u0000" alone.
    content = NUL_ESCAPE.sub(r"\1", content)
    try:
        return json.loads(content, parse_int=_whole_number)
    except _HugeNumber as exc:
        at = content.find(exc.digits)
        line = content.count("\n", 0, at) + 1
        column = at - content.rfind("\n", 0, at)
        raise ImportFileError(
            gettext(
                "The JSON file holds a number %(digits)s digits long (line %(line)s, "
                "column %(column)s); no value in a %(what)s is near that long."
            )
            % {"digits": grouped(len(exc.digits)), "line": line, "column": column, "what": what}
        ) from None
    except json.JSONDecodeError as exc:
        raise ImportFileError(
            gettext("This is not valid JSON (line %(line)s, column %(column)s: %(error)s).")
            % {"line": exc.lineno, "column": exc.colno, "error": exc.msg}
        ) from None
    except RecursionError:
        raise ImportFileError(
            gettext("This JSON is nested too deeply to be a %(what)s.") % {"what": what}
        ) from None


def load_document(data: bytes) -> dict[str, Any]:
    document = load_json(data)
    if not isinstance(document, dict) or document.get("format") != FORMAT_NAME:
        raise ImportFileError(
            gettext('This JSON is not a Rapport backup (no "format": "rapport").')
        )
    version = document.get("version")
    if not isinstance(version, int) or isinstance(version, bool):
        raise ImportFileError(gettext('The backup has no format "version" number.'))
    if version > FORMAT_VERSION:
        raise ImportFileError(
            gettext(
                "This backup was made by a newer Rapport (format version %(version)s); this one "
                "reads version %(ours)s. Upgrade Rapport, then import it again."
            )
            % {"version": version, "ours": FORMAT_VERSION}
        )
    for key in ("contacts", "interactions", "reminders", "notes"):
        if not isinstance(document.get(key, []), list):
            raise ImportFileError(gettext('"%(key)s" must be a list.') % {"key": key})
    return document
