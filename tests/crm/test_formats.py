"""Dates and numbers in the person's language (crm/formats/)."""

import datetime as dt
import re
from pathlib import Path

import pytest
from django.template import Context, Template
from django.utils import translation
from django.utils.formats import date_format, number_format

from crm.formats import PATTERNS, grouped, many_dates

ROOT = Path(__file__).resolve().parents[2]
APPS = ("api", "carddav", "contacts", "crm", "reminders")
# Shapes for machines (forms' inputs, ISO timestamps, file names), the same in every language.
MACHINE = {"Y-m-d", "c", "Y", "Y-m-d H:i", "H:i:s", "U"}
LOCALES = {"de", "fr", "es", "pt_BR", "nl", "it"}
# Parsing what a file says, never shown: the LinkedIn export's English month names.
PARSERS = {"contacts/importers/linkedin.py", "contacts/connection_requests.py"}


def _python_files() -> list[Path]:
    return [
        p
        for app in APPS
        for p in (ROOT / app).rglob("*.py")
        if "migrations" not in p.parts and "management" not in p.parts
    ]


def _patterns_in_use() -> dict[str, str]:
    found: dict[str, str] = {}
    for path in (ROOT / "templates").rglob("*.html"):
        for match in re.finditer(r"""\|date:(["'])(.*?)\1""", path.read_text()):
            found.setdefault(match.group(2), str(path.relative_to(ROOT)))
    for path in _python_files():
        for match in re.finditer(r"""date_format\([^()]*?,\s*(["'])(.*?)\1""", path.read_text()):
            escaped = r"\\u([0-9a-f]{4})"
            pattern = re.sub(escaped, lambda m: chr(int(m.group(1), 16)), match.group(2))
            found.setdefault(pattern, str(path.relative_to(ROOT)))
    return found


def test_every_pattern_has_every_shipped_language() -> None:
    for english, by_language in PATTERNS.items():
        assert set(by_language) == LOCALES, english


def test_every_date_pattern_in_use_is_one_each_language_knows() -> None:
    unknown = {
        pattern: where
        for pattern, where in _patterns_in_use().items()
        if pattern not in PATTERNS and pattern not in MACHINE and not pattern.isupper()
    }
    assert not unknown, f"add these patterns to crm/formats/__init__.py: {unknown}"


def test_no_date_is_shown_through_strftime_or_dateformat() -> None:
    found = []
    for path in _python_files():
        name = str(path.relative_to(ROOT))
        text = path.read_text()
        if "django.utils.dateformat" in text:
            found.append(f"{name}: use django.utils.formats.date_format")
        if name not in PARSERS and re.search(r"%-?[aAbB]\b", text):
            found.append(f"{name}: English month or day names (%b, %B, %a, %A)")
    assert not found, "\n".join(found)


UNMARKED_NUMBERS: set[str] = set()


def test_numbers_in_sentences_are_grouped_the_languages_way() -> None:
    found = [
        str(path.relative_to(ROOT))
        for path in _python_files()
        if re.search(r":,\}", path.read_text())
        and str(path.relative_to(ROOT)) not in UNMARKED_NUMBERS
    ]
    assert not found, f'use crm.formats.grouped(n), not f"{{n:,}}": {found}'


@pytest.mark.parametrize(
    ("language", "short", "weekday", "long"),
    [
        ("en", "7 Dec 2026", "Mon 7 Dec", "Monday 7 December"),
        ("de", "7. Dez. 2026", "Mo, 7. Dez.", "Montag, 7. Dezember"),
        ("fr", "7 déc. 2026", "lun 7 déc.", "lundi 7 décembre"),
        ("es", "7 dic. 2026", "lun 7 dic.", "lunes 7 de diciembre"),
        ("pt-br", "7 de dez. de 2026", "seg, 7 de dez.", "Segunda-feira, 7 de Dezembro"),
        ("nl", "7 dec 2026", "ma 7 dec", "maandag 7 december"),
        ("it", "7 dic 2026", "lun 7 dic", "Lunedì 7 Dicembre"),
    ],
)
def test_dates_read_the_way_each_language_writes_them(
    language: str, short: str, weekday: str, long: str
) -> None:
    day = dt.date(2026, 12, 7)
    with translation.override(language):
        assert date_format(day, "j M Y") == short
        assert date_format(day, "D j M") == weekday
        # Day and month names are Django's, or the catalog's where it has the same word
        # (Settings' weekday choices): their capitals may differ.
        written = Template('{{ day|date:"l j F" }}').render(Context({"day": day}))
        assert written.lower() == long.lower()


@pytest.mark.parametrize(
    ("language", "shown"),
    [("en", "1,234.5"), ("de", "1.234,5"), ("fr", "1\xa0234,5"), ("pt-br", "1.234,5")],
)
def test_numbers_follow_the_language(language: str, shown: str) -> None:
    with translation.override(language):
        assert number_format(1234.5, force_grouping=True) == shown
        assert grouped(1234) == shown[:-2]


@pytest.mark.parametrize("language", ["en", "de", "fr", "es", "pt-br", "nl", "it"])
@pytest.mark.parametrize("pattern", ["j M Y", "j F", "M Y", "D j M"])
def test_many_dates_formats_as_date_format_does(language: str, pattern: str) -> None:
    days = [dt.date(2026, 1, 1), dt.date(2028, 12, 28), dt.date(1999, 5, 20)]
    with translation.override(language):
        formatter = many_dates(pattern)
        assert [formatter(day) for day in days] == [date_format(day, pattern) for day in days]
