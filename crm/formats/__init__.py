"""Dates in each language's own way (FORMAT_MODULE_PATH = ["crm.formats"]).

Rapport's templates and code name a date's shape by its English pattern (`|date:"j M Y"`,
`formats.date_format(day, "D j M")`), and that pattern is also the format's name: Django's
`get_format` looks a name up in the active language's format module first, so each
language below maps the English pattern to its own. "7 Dec 2026" becomes "7. Dez. 2026",
"7 déc. 2026", "7 dic. 2026", "7 de dez. de 2026", "7 dec 2026", "7 dic 2026"; English
(and any pattern not listed) is used as written. Month and day names come from Django's own
translations. Go through `django.utils.formats.date_format` (or the `date` filter), never
`dateformat.format` or strftime, for anything a person reads: those skip this table.

A pattern new in the code needs a line here for every language (tests/crm/test_formats.py).
Numbers in sentences go through `number(n)` here, never number(n).
"""

import re
from collections.abc import Callable
from datetime import date

from django.utils import dateformat
from django.utils.formats import date_format, get_format, number_format
from django.utils.translation import get_language

# English pattern → {gettext locale name: that language's pattern}.
PATTERNS: dict[str, dict[str, str]] = {
    # 7 Dec 2026
    "j M Y": {
        "de": "j. N Y",
        "fr": "j N Y",
        "es": "j b. Y",
        "pt_BR": r"j \d\e b. \d\e Y",
        "nl": "j b Y",
        "it": "j b Y",
    },
    # 7 Dec 2026, 14:30
    "j M Y, H:i": {
        "de": "j. N Y, H:i",
        "fr": "j N Y à H:i",
        "es": "j b. Y, H:i",
        "pt_BR": r"j \d\e b. \d\e Y, H:i",
        "nl": "j b Y, H:i",
        "it": "j b Y, H:i",
    },
    # 7 Dec, 14:30
    "j M, H:i": {
        "de": "j. N, H:i",
        "fr": "j N à H:i",
        "es": "j b., H:i",
        "pt_BR": r"j \d\e b., H:i",
        "nl": "j b, H:i",
        "it": "j b, H:i",
    },
    # 7 Dec
    "j M": {
        "de": "j. N",
        "fr": "j N",
        "es": "j b.",
        "pt_BR": r"j \d\e b.",
        "nl": "j b",
        "it": "j b",
    },
    # Dec 2026
    "M Y": {
        "de": "N Y",
        "fr": "N Y",
        "es": "b. Y",
        "pt_BR": r"b. \d\e Y",
        "nl": "b Y",
        "it": "b Y",
    },
    # Dec '26, on a chart's axis
    "M \u2019y": {
        "de": "N \u2019y",
        "fr": "N \u2019y",
        "es": "b. \u2019y",
        "pt_BR": "b. \u2019y",
        "nl": "b \u2019y",
        "it": "b \u2019y",
    },
    # Mon 7 Dec
    "D j M": {
        "de": "D, j. N",
        "fr": "D j N",
        "es": "D j b.",
        "pt_BR": r"D, j \d\e b.",
        "nl": "D j b",
        "it": "D j b",
    },
    # Mon 7 Dec 2026
    "D j M Y": {
        "de": "D, j. N Y",
        "fr": "D j N Y",
        "es": "D j b. Y",
        "pt_BR": r"D, j \d\e b. \d\e Y",
        "nl": "D j b Y",
        "it": "D j b Y",
    },
    # 7 December
    "j F": {
        "de": "j. F",
        "fr": "j F",
        "es": r"j \d\e F",
        "pt_BR": r"j \d\e F",
        "nl": "j F",
        "it": "j F",
    },
    # 7 December 2026
    "j F Y": {
        "de": "j. F Y",
        "fr": "j F Y",
        "es": r"j \d\e F \d\e Y",
        "pt_BR": r"j \d\e F \d\e Y",
        "nl": "j F Y",
        "it": "j F Y",
    },
    # December 2026
    "F Y": {
        "de": "F Y",
        "fr": "F Y",
        "es": r"F \d\e Y",
        "pt_BR": r"F \d\e Y",
        "nl": "F Y",
        "it": "F Y",
    },
    # Monday 7 December
    "l j F": {
        "de": "l, j. F",
        "fr": "l j F",
        "es": r"l j \d\e F",
        "pt_BR": r"l, j \d\e F",
        "nl": "l j F",
        "it": "l j F",
    },
    # Monday 7 December 2026
    "l j F Y": {
        "de": "l, j. F Y",
        "fr": "l j F Y",
        "es": r"l j \d\e F \d\e Y",
        "pt_BR": r"l, j \d\e F \d\e Y",
        "nl": "l j F Y",
        "it": "l j F Y",
    },
    # 14:30 (a 24-hour clock in every shipped language)
    "H:i": {"de": "H:i", "fr": "H:i", "es": "H:i", "pt_BR": "H:i", "nl": "H:i", "it": "H:i"},
}


def many_dates(pattern: str) -> Callable[[date], str]:
    """`date_format(day, pattern)` for the many dates of a list page, month names looked up
    once per month instead of once per date. Patterns with only the day (j), month and year
    (Y) changing; any other falls back to date_format."""
    resolved = str(get_format(pattern))
    if re.search(r"(?<!\\)[dDlwSzWLtUucrIOTZeoaAfgGhHiPsuBy]", resolved):
        return lambda day: date_format(day, pattern)
    # The day and the year become marks; the month's names are looked up once.
    marked = re.sub(r"(?<!\\)Y", "\x02", re.sub(r"(?<!\\)j", "\x01", resolved))
    months = {m: dateformat.format(date(2000, m, 1), marked) for m in range(1, 13)}
    return lambda day: (
        months[day.month].replace("\x01", str(day.day)).replace("\x02", str(day.year))
    )


def grouped(value: int | float) -> str:
    """A number as the active language groups it: 12,345 / 12.345 / 12 345."""
    return number_format(value, force_grouping=True)


# Languages whose nouns keep their capital inside a sentence.
NOUNS_CAPITALISED = ("de",)


def mid_sentence(label: object) -> str:
    """A label ("Job change", "Acquaintance") as it reads inside a sentence of the active
    language: "job change" in English and the Romance languages, "Jobwechsel" in German
    (nouns keep their capital). Only the first letter changes, so "LinkedIn message" and
    acronyms stay as they are. Use it instead of `.lower()` or `|lower` on translated text."""
    text = str(label)
    if (get_language() or "").startswith(NOUNS_CAPITALISED) or not text:
        return text
    if len(text) > 1 and text[1].isupper():
        return text
    return text[0].lower() + text[1:]


def patterns_for(locale: str) -> dict[str, str]:
    """This language's patterns by their English names, for its formats module."""
    return {english: by_language[locale] for english, by_language in PATTERNS.items()}
