"""The checks behind tests/test_i18n_catalogs.py and tests/test_template_i18n.py.

Kept apart from the tests so tests/test_i18n_checks.py can prove each one fails on a bad
sample. docs/translating.md describes the rules for people.
"""

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

from django.template.base import Lexer, TokenType

# --- Catalogs (.po files) ------------------------------------------------------------


@dataclass
class Entry:
    msgid: str
    line: int
    context: str | None = None
    plural: str | None = None
    translations: list[str] = field(default_factory=list)
    flags: set[str] = field(default_factory=set)
    obsolete: bool = False

    @property
    def key(self) -> tuple[str | None, str, str | None]:
        return (self.context, self.msgid, self.plural)

    @property
    def label(self) -> str:
        where = f" (context {self.context!r})" if self.context else ""
        return f"line {self.line}: {self.msgid[:70]!r}{where}"


_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", '"': '"', "\\": "\\", "a": "\a", "b": "\b"}


def _unquote(text: str) -> str:
    text = text.strip()
    if len(text) < 2 or text[0] != '"' or text[-1] != '"':
        raise ValueError(f"not a quoted PO string: {text!r}")
    return re.sub(r"\\(.)", lambda m: _ESCAPES.get(m.group(1), m.group(1)), text[1:-1])


def read_po(text: str) -> list[Entry]:
    """The entries of a PO file, the header (msgid "") included, obsolete ones marked."""
    entries: list[Entry] = []
    current: Entry | None = None
    target = ("", 0)  # the field continuation lines extend
    flags: set[str] = set()

    def finish() -> None:
        nonlocal current
        if current is not None:
            entries.append(current)
        current = None

    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        obsolete = line.startswith("#~")
        if obsolete:
            line = line[2:].strip()
        if not line:
            finish()
            continue
        complete = current is not None and bool(current.translations)
        if line.startswith("#"):
            if complete:
                finish()
            if line.startswith("#,"):
                flags |= {flag.strip() for flag in line[2:].split(",") if flag.strip()}
            continue
        if line.startswith('"'):
            if current is None or not target[0]:
                raise ValueError(f"line {number}: a string continues nothing")
            name, index = target
            if name == "msgstr":
                current.translations[index] += _unquote(line)
            else:
                setattr(current, name, (getattr(current, name) or "") + _unquote(line))
            continue
        keyword, _, rest = line.partition(" ")
        if keyword in {"msgctxt", "msgid"} and complete:
            finish()
        if current is None:
            current = Entry(msgid="", line=number, flags=flags, obsolete=obsolete)
            flags = set()
        if keyword == "msgctxt":
            current.context, target = _unquote(rest), ("context", 0)
        elif keyword == "msgid":
            current.msgid, current.line, target = _unquote(rest), number, ("msgid", 0)
        elif keyword == "msgid_plural":
            current.plural, target = _unquote(rest), ("plural", 0)
        elif keyword == "msgstr" or keyword.startswith("msgstr["):
            index = int(keyword[7:-1]) if keyword != "msgstr" else 0
            while len(current.translations) <= index:
                current.translations.append("")
            current.translations[index] = _unquote(rest)
            target = ("msgstr", index)
        else:
            raise ValueError(f"line {number}: unexpected {keyword!r}")
    finish()
    return entries


# Python's %(name)s / %s / %d, and the {name} fields of note templates and JavaScript.
PLACEHOLDER = re.compile(r"%\((\w+)\)[-#0 +]*\d*(?:\.\d+)?[sdifr]|%[sdifr]|\{(\w+)\}")


def placeholders(text: str) -> list[str]:
    return sorted(m.group(0) for m in PLACEHOLDER.finditer(text) if m.group(0))


def catalog_problems(text: str) -> list[str]:
    """Everything that keeps a catalog from being shipped: untranslated or fuzzy entries,
    a fuzzy header (its plural forms would be ignored), translations whose placeholders
    differ from the English."""
    problems: list[str] = []
    entries = [e for e in read_po(text) if not e.obsolete]
    header = next((e for e in entries if e.msgid == "" and e.context is None), None)
    if header is None:
        problems.append('no header entry (msgid "")')
    else:
        if "fuzzy" in header.flags:
            problems.append("the header is fuzzy: remove '#, fuzzy' once it is filled in")
        if "Plural-Forms:" not in "".join(header.translations):
            problems.append("the header has no Plural-Forms")
    for entry in entries:
        if entry is header:
            continue
        if "fuzzy" in entry.flags:
            problems.append(f"fuzzy: {entry.label}")
        if not entry.translations or not all(t.strip() for t in entry.translations):
            problems.append(f"untranslated: {entry.label}")
            continue
        problems += _placeholder_problems(entry)
    return problems


def _placeholder_problems(entry: Entry) -> list[str]:
    if entry.plural is None:
        expected = placeholders(entry.msgid)
        if placeholders(entry.translations[0]) != expected:
            return [f"placeholders differ ({', '.join(expected) or 'none'}): {entry.label}"]
        return []
    # A plural form may leave the count out ("eine Person"), never add a placeholder or
    # drop another one.
    allowed = set(placeholders(entry.msgid)) | set(placeholders(entry.plural))
    counted = {p for p in allowed if "counter" in p or "count" in p}
    problems = []
    for index, translation in enumerate(entry.translations):
        found = set(placeholders(translation))
        if not found <= allowed or not (allowed - counted) <= found:
            problems.append(f"placeholders differ in msgstr[{index}]: {entry.label}")
    return problems


def catalog_keys(text: str) -> set[tuple[str | None, str, str | None]]:
    return {e.key for e in read_po(text) if not e.obsolete and e.msgid}


# --- Templates ---------------------------------------------------------------------------

# Attributes a person reads or hears (screen readers); their text must be translated.
READ_ATTRIBUTES = {
    "alt",
    "title",
    "placeholder",
    "aria-label",
    "aria-description",
    "aria-roledescription",
    "aria-valuetext",
    "label",
}
# Input buttons show their value as their caption (a <button> shows its content).
BUTTON_INPUTS = {"submit", "button", "reset"}
# Elements whose content is code or data, not prose.
NOT_TEXT_ELEMENTS = {"script", "style", "code", "kbd", "samp"}
# Names that read the same in every language: a text that is only these is allowed.
NAMES = {
    "Rapport",
    "LinkedIn",
    "vCard",
    "vCards",
    "CardDAV",
    "CSV",
    "JSON",
    "iCal",
    "ICS",
    "API",
    "MCP",
    "TOTP",
    "OpenID",
    "OIDC",
    "ntfy",
    "Telegram",
    "Apprise",
    "Monica",
    "Swagger",
    "htmx",
    "URL",
    "Python",
    "Django",
    "PostgreSQL",
    "SQLite",
    "Redis",
    "Celery",
}
MARKER = "i18n: not text"
OUTPUT = "\x00"  # stands for {{ output }} and {% translate %}: never letters of its own
# {% include ... with label="Save" %}: arguments whose literal strings are shown.
SHOWN_ARGUMENT = re.compile(
    r"\b(\w*(?:label|title|text|heading|message|caption|legend|hint|help|one|many|noun)\w*)"
    r"""=(["'])(.*?)\2"""
)
# {{ x|default:"None yet" }}, {{ "Hello" }}; _("…") is translated and allowed.
SHOWN_LITERAL = re.compile(r"""(?:^|\|(?:default|default_if_none|yesno):)(["'])(.*?)\1""")
# {% block body_class %}auth{% endblock %}: class names and ids, not text.
MACHINE_BLOCK = re.compile(r"^block \w*(?:class|_id)\b")
ENGLISH_ONLY_FILTER = re.compile(r"\|\s*pluralize\b")
# |lower on a translated label breaks German nouns ("jobwechsel"): |mid_sentence knows.
LOWERED = re.compile(r"\|\s*lower\b")


def _is_text(text: str) -> bool:
    words = re.findall(r"[^\W\d_]+", text.replace(OUTPUT, " "))
    return any(word not in NAMES for word in words)


def _attribute_open(parts: list[str]) -> bool | None:
    """Inside a tag: whether the attribute being written is one people read; else None."""
    tail = "".join(parts[-8:])
    if tail.rfind("<") <= tail.rfind(">"):
        return None
    found = re.search(r"([\w-]+)=[\"'][^\"']*$", tail)
    return found is not None and found.group(1) in READ_ATTRIBUTES


@dataclass
class _Flattened:
    """A template with its tags replaced: what its HTML looks like to a reader."""

    html: str
    problems: list[tuple[int, str]]
    exempt: set[int]


def _flatten(source: str) -> _Flattened:
    parts: list[str] = []
    problems: list[tuple[int, str]] = []
    exempt: set[int] = set()
    closing: str | None = None  # the tag that ends a comment or blocktranslate
    for token in Lexer(source).tokenize():
        contents, lineno = token.contents, token.lineno or 0
        if closing is not None:
            if token.token_type == TokenType.BLOCK and contents.split()[0] in closing.split("|"):
                closing = None
            elif token.token_type == TokenType.TEXT:
                parts.append("\n" * contents.count("\n"))
            continue
        if token.token_type in (TokenType.VAR, TokenType.BLOCK) and LOWERED.search(contents):
            problems.append((lineno, "|lower on text: use |mid_sentence (crm.formats)"))
        if token.token_type == TokenType.TEXT:
            parts.append(contents)
        elif token.token_type == TokenType.COMMENT:
            if MARKER in contents:
                exempt.add(lineno + 1)
        elif token.token_type == TokenType.VAR:
            read_aloud = _attribute_open(parts)
            parts.append(OUTPUT)
            # In a tag, only the attributes people read show a literal (class names do not).
            literals = [] if read_aloud is False else SHOWN_LITERAL.finditer(contents)
            for match in literals:
                if _is_text(match.group(2)):
                    problems.append((lineno, f"literal text in {{{{ {contents} }}}}"))
            if ENGLISH_ONLY_FILTER.search(contents):
                problems.append((lineno, "|pluralize is English only: use plural forms"))
        else:
            name = contents.split()[0] if contents.split() else ""
            if name == "comment":
                closing = "endcomment"
            elif name == "block" and MACHINE_BLOCK.search(contents):
                closing = "endblock"
            elif name in {"blocktranslate", "blocktrans"}:
                closing = "endblocktranslate|endblocktrans"
                parts.append(OUTPUT)
            elif name in {"translate", "trans"} and " as " not in f" {contents} ":
                parts.append(OUTPUT)
            elif name in {"include", "with"}:
                for match in SHOWN_ARGUMENT.finditer(contents):
                    if _is_text(match.group(3)):
                        problems.append((lineno, f"literal text {match.group(0)!r}"))
    return _Flattened("".join(parts), problems, exempt)


class _TextFinder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.problems: list[tuple[int, str]] = []
        self.inside: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in NOT_TEXT_ELEMENTS:
            self.inside.append(tag)
        line = self.getpos()[0]
        raw = self.get_starttag_text() or ""
        values = dict(attrs)
        for name, value in attrs:
            shown = name in READ_ATTRIBUTES or (
                name == "value" and tag == "input" and values.get("type") in BUTTON_INPUTS
            )
            if shown and value and _is_text(value):
                at = raw.find(f"{name}=")
                self.problems.append(
                    (line + raw[: max(at, 0)].count("\n"), f'{name}="{value.strip()[:60]}"')
                )

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag in NOT_TEXT_ELEMENTS:
            self.inside.pop()

    def handle_endtag(self, tag: str) -> None:
        if self.inside and self.inside[-1] == tag:
            self.inside.pop()

    def handle_data(self, data: str) -> None:
        if self.inside or not _is_text(data):
            return
        first = next(i for i, ch in enumerate(data) if ch.isalpha())
        line = self.getpos()[0] + data[:first].count("\n")
        self.problems.append((line, " ".join(data.replace(OUTPUT, "…").split())[:70]))


def template_problems(source: str) -> list[tuple[int, str]]:
    """(line, what) for each piece of text a person would read that is not translated."""
    flat = _flatten(source)
    finder = _TextFinder()
    finder.feed(flat.html)
    finder.close()
    found = sorted(flat.problems + finder.problems)
    return [(line, what) for line, what in found if line not in flat.exempt]


def template_files(root: Path) -> list[Path]:
    return sorted(p for p in root.rglob("*") if p.suffix in {".html", ".txt"} and p.is_file())
