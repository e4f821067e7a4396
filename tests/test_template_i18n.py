"""Every text a person reads in templates/ goes through the translation tags (issue 22).

The scanner (tests/i18n_checks.template_problems) fails on a text node with letters outside
{% translate %}/{% blocktranslate %}, on literal words in alt, title, placeholder, aria-label,
aria-description (and a few more read aloud), in a button's value, in {{ x|default:"…" }} and
in {% include … with label="…" %}, and on |pluralize. Allowed: output ({{ … }}), the names
in i18n_checks.NAMES, code in <code>/<kbd>/<script>/<style>, class-name blocks, and a line
after {# i18n: not text #}. docs/translating.md.
"""

from pathlib import Path

import pytest

from tests.i18n_checks import template_files, template_problems

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"

# Templates (paths under templates/, or folder prefixes ending in "/") not converted yet.
# Whoever converts one removes it here in the same commit; at the end the list is empty.
PENDING: list[str] = []


def _pending(name: str) -> bool:
    return any(
        name == entry or (entry.endswith("/") and name.startswith(entry)) for entry in PENDING
    )


def _relative(path: Path) -> str:
    return path.relative_to(TEMPLATES).as_posix()


def test_every_converted_template_has_no_untranslated_text() -> None:
    found = [
        f"templates/{_relative(path)}:{line}: {what}"
        for path in template_files(TEMPLATES)
        if not _pending(_relative(path))
        for line, what in template_problems(path.read_text())
    ]
    assert not found, "Text outside the translation tags (docs/translating.md):\n" + "\n".join(
        found
    )


@pytest.mark.parametrize("entry", PENDING)
def test_every_pending_entry_still_names_a_template_with_text_to_convert(entry: str) -> None:
    names = [_relative(p) for p in template_files(TEMPLATES)]
    matching = [n for n in names if n == entry or (entry.endswith("/") and n.startswith(entry))]
    assert matching, f"PENDING names {entry!r}, which is not a template: remove it"
    assert any(template_problems((TEMPLATES / n).read_text()) for n in matching), (
        f"{entry} has no untranslated text left: remove it from PENDING"
    )
