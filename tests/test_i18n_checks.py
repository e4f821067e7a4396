"""The i18n checks can fail: each is shown a bad sample (tests/i18n_checks.py)."""

import shutil
import subprocess
from pathlib import Path

import pytest

from tests.i18n_checks import catalog_keys, catalog_problems, read_po, template_problems

ROOT = Path(__file__).resolve().parent.parent

HEADER = r"""msgid ""
msgstr ""
"Content-Type: text/plain; charset=UTF-8\n"
"Plural-Forms: nplurals=2; plural=(n != 1);\n"
"""

GOOD = (
    HEADER
    + r"""
#: templates/base.html:3
msgid "Save"
msgstr "Speichern"

msgctxt "trust level"
msgid "Close"
msgstr "Eng"

#, python-format
msgid "Congratulate %(name)s"
msgstr "%(name)s gratulieren"

msgid "%(counter)s person"
msgid_plural "%(counter)s people"
msgstr[0] "eine Person"
msgstr[1] "%(counter)s Personen"

msgid ""
"A long "
"text"
msgstr "Ein langer Text"

#~ msgid "Gone"
#~ msgstr "Weg"
"""
)


def test_it_reads_entries_with_contexts_plurals_continuations_and_obsolete_ones() -> None:
    entries = {e.key: e for e in read_po(GOOD)}
    assert entries[("trust level", "Close", None)].translations == ["Eng"]
    assert entries[(None, "%(counter)s person", "%(counter)s people")].translations[1] == (
        "%(counter)s Personen"
    )
    assert entries[(None, "A long text", None)].translations == ["Ein langer Text"]
    assert entries[(None, "Gone", None)].obsolete
    assert (None, "Gone", None) not in catalog_keys(GOOD)


def test_a_complete_catalog_passes() -> None:
    assert catalog_problems(GOOD) == []


@pytest.mark.parametrize(
    ("entry", "problem"),
    [
        ('msgid "Save"\nmsgstr ""\n', "untranslated"),
        ('#, fuzzy\nmsgid "Save"\nmsgstr "Sichern"\n', "fuzzy"),
        ('msgid "Hi %(name)s"\nmsgstr "Hallo %(nom)s"\n', "placeholders differ"),
        ('msgid "Hi {first_name}"\nmsgstr "Hallo"\n', "placeholders differ"),
        ('msgid "a"\nmsgid_plural "%(n)s b"\nmsgstr[0] "x"\nmsgstr[1] ""\n', "untranslated"),
        (
            'msgid "%(count)s by %(name)s"\nmsgid_plural "%(count)s by %(name)s"\n'
            'msgstr[0] "eins"\nmsgstr[1] "%(count)s"\n',
            "placeholders differ",
        ),
    ],
)
def test_a_bad_entry_fails(entry: str, problem: str) -> None:
    problems = catalog_problems(HEADER + "\n" + entry)
    assert any(p.startswith(problem) for p in problems), problems


def test_a_fuzzy_header_fails() -> None:
    assert "fuzzy" in catalog_problems("#, fuzzy\n" + GOOD)[0]


@pytest.mark.skipif(shutil.which("msgfmt") is None, reason="GNU gettext is not installed")
def test_the_build_refuses_a_translation_with_other_placeholders(tmp_path: Path) -> None:
    folder = tmp_path / "de" / "LC_MESSAGES"
    folder.mkdir(parents=True)
    (folder / "django.po").write_text(
        HEADER + '\n#, python-format\nmsgid "Hi %(name)s"\nmsgstr "Hallo %(nom)s"\n'
    )
    script = ROOT / "docker" / "compile_messages.sh"
    result = subprocess.run(["sh", str(script), str(tmp_path)], capture_output=True, text=True)
    assert result.returncode != 0
    (folder / "django.po").write_text(GOOD)
    subprocess.run(["sh", str(script), str(tmp_path)], check=True)
    assert (folder / "django.mo").exists()


def test_translated_templates_pass() -> None:
    source = """{% extends "base.html" %}{% load i18n %}
{% block body_class %}page--wide{% endblock %}
{% block title %}{% translate "Settings" %}{% endblock %}
<h1>{% translate "This week" %}</h1>
<p>{% blocktranslate trimmed with name=contact.name %}
  Congratulate {{ name }}
{% endblocktranslate %}</p>
<button aria-label="{% translate 'Close' context 'dialog' %}" title="{{ hint }}">&times;</button>
<p>{{ contact.display_name }} · Rapport · 3 → <code>make run</code></p>
{# i18n: not text #}
<span>LinkedIn Sales Navigator</span>
{% comment %}Nobody reads this.{% endcomment %}
{% include "x.html" with where="week" label=_("Add") %}
<input type="hidden" name="next" value="here">
<span class="trust trust--{{ contact.trust_level|default:'unrated' }}">{{ label }}</span>
<button type="submit" name="action" value="follow">{% translate "Follow" %}</button>
<p>Python {{ v }} · Django {{ d }}</p>
"""
    assert template_problems(source) == []


@pytest.mark.parametrize(
    ("source", "line", "shows"),
    [
        ("{% load i18n %}\n<h1>Hello</h1>", 2, "Hello"),
        ("<p>\n\n  {{ name }} was added</p>", 3, "was added"),
        ('<img src="x.png"\n     alt="A photo">', 2, 'alt="A photo"'),
        ('<input placeholder="Search contacts">', 1, "placeholder"),
        ('<a aria-label="Main" href="/">x</a>', 1, "aria-label"),
        ('<button title="Remove">x</button>', 1, "title"),
        ('<input type="submit" value="Save">', 1, 'value="Save"'),
        ('<p>{{ x|default:"Nobody yet" }}</p>', 1, "literal text"),
        ("<p>{{ n }} contact{{ n|pluralize }}</p>", 1, "pluralize"),
        ("<p>{{ reminder.get_kind_display|lower }}</p>", 1, "|lower"),
        ("{% blocktranslate with k=kind|lower %}A {{ k }}{% endblocktranslate %}", 1, "|lower"),
        ('{% include "f.html" with submit_label="Add" %}', 1, "submit_label"),
        ("{% block title %}Settings{% endblock %}", 1, "Settings"),
        ("{# i18n: not text #}\n\n<p>Too far from its marker</p>", 3, "Too far"),
        ("<option>Choose one</option>", 1, "Choose one"),
        ("<a title=\"{{ who|default:'Nobody' }}\">x</a>", 1, "literal text"),
        ("Hello {{ name }},\n\nHere is your week.", 1, "Hello"),
    ],
)
def test_untranslated_text_fails_with_its_line(source: str, line: int, shows: str) -> None:
    problems = template_problems(source)
    assert any(at == line and shows in what for at, what in problems), problems
