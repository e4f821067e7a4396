"""Messages and form errors people read go through gettext (issue 22; docs/translating.md).

A small companion of the template scanner: in the apps' Python, `messages.success(request,
…)` (and error, info, warning), `ValidationError(…)`, form and model fields' `label=`,
`help_text=`, `verbose_name=`, `error_messages=` and widget `attrs` people read (placeholder,
title, aria-label), and TextChoices labels must not be given literal English (a string or an
f-string); wrap it in gettext/ngettext/gettext_lazy with named placeholders.
"""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
APPS = ("api", "carddav", "contacts", "crm", "reminders")
LEVELS = {"success", "error", "info", "warning", "debug"}
# Modules not converted yet; whoever converts one removes it in the same commit.
PENDING: list[str] = []


def _literal(node: ast.AST) -> bool:
    if isinstance(node, ast.JoinedStr):
        return True
    return (
        isinstance(node, ast.Constant) and isinstance(node.value, str) and node.value.strip() != ""
    )


def untranslated_messages(source: str) -> list[tuple[int, str]]:
    found = []
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
        owner = getattr(getattr(func, "value", None), "id", "")
        if owner == "messages" and name in LEVELS and len(node.args) >= 2:
            if _literal(node.args[1]):
                found.append((node.lineno, f"messages.{name} with literal text"))
        elif name == "ValidationError" and node.args and _literal(node.args[0]):
            found.append((node.lineno, "ValidationError with literal text"))
        found.extend(_field_texts(node))
    found.extend(_choice_labels(source))
    return found


# Form and model fields' texts people read: label=, help_text=, verbose_name=…,
# error_messages={...}, and a widget's attrs={"placeholder": …, "title": …, "aria-label": …}.
FIELD_TEXTS = {"label", "help_text", "verbose_name", "verbose_name_plural", "empty_label"}
READ_ATTRS = {"placeholder", "title", "aria-label"}


def _example(node: ast.AST) -> bool:
    """A placeholder that shows the shape of data ("linkedin.com/in/…"), not words."""
    value = getattr(node, "value", None)
    return isinstance(value, str) and any(mark in value for mark in "/@{")


def _field_texts(call: ast.Call) -> list[tuple[int, str]]:
    found = []
    for keyword in call.keywords:
        if keyword.arg in FIELD_TEXTS and _literal(keyword.value):
            found.append((call.lineno, f"{keyword.arg}= with literal text"))
        elif keyword.arg in {"error_messages", "attrs"} and isinstance(keyword.value, ast.Dict):
            for key, value in zip(keyword.value.keys, keyword.value.values, strict=True):
                read = keyword.arg == "error_messages" or getattr(key, "value", "") in READ_ATTRS
                if read and _literal(value) and not _example(value):
                    found.append((call.lineno, f"{keyword.arg} with literal text"))
    return found


def _choice_labels(source: str) -> list[tuple[int, str]]:
    """`JOB_CHANGE = "job_change", "Job change"` in a TextChoices/IntegerChoices class."""
    found = []
    for node in ast.walk(ast.parse(source)):
        bases = {getattr(b, "attr", getattr(b, "id", "")) for b in getattr(node, "bases", [])}
        if not isinstance(node, ast.ClassDef) or not bases & {"TextChoices", "IntegerChoices"}:
            continue
        for statement in node.body:
            value = getattr(statement, "value", None)
            if isinstance(value, ast.Tuple) and len(value.elts) == 2 and _literal(value.elts[1]):
                found.append((statement.lineno, "a choice label with literal text"))
    return found


def _modules() -> list[Path]:
    return [
        path
        for app in APPS
        for path in sorted((ROOT / app).rglob("*.py"))
        if "migrations" not in path.parts and "management" not in path.parts
    ]


def test_messages_and_form_errors_are_translated() -> None:
    found = [
        f"{path.relative_to(ROOT)}:{line}: {what}"
        for path in _modules()
        if str(path.relative_to(ROOT)) not in PENDING
        for line, what in untranslated_messages(path.read_text())
    ]
    assert not found, "Wrap these in gettext (docs/translating.md):\n" + "\n".join(found)


@pytest.mark.parametrize("module", PENDING)
def test_every_pending_module_still_has_text_to_convert(module: str) -> None:
    assert untranslated_messages((ROOT / module).read_text()), f"remove {module} from PENDING"


@pytest.mark.parametrize(
    "source",
    [
        'messages.success(request, "Saved.")',
        'messages.error(request, f"Could not import {name}.")',
        'raise ValidationError("Too long.")',
        'raise forms.ValidationError(f"Keep it under {n} characters.")',
        'name = forms.CharField(label="Name", help_text=_("Their name."))',
        'who = forms.ModelChoiceField(error_messages={"invalid_choice": "Choose one."})',
        'q = forms.CharField(widget=forms.TextInput(attrs={"placeholder": "Search"}))',
        'class Move(models.TextChoices):\n    JOB = "job", "Job change"',
    ],
)
def test_literal_english_fails(source: str) -> None:
    assert untranslated_messages(source)


@pytest.mark.parametrize(
    "source",
    [
        'messages.success(request, gettext("Saved."))',
        'messages.info(request, ngettext("%(n)s contact", "%(n)s contacts", n) % {"n": n})',
        'raise ValidationError(_("Too long."))',
        "raise ValidationError(errors)",
        'name = forms.CharField(label=_("Name"), help_text=_("Their name."))',
        'url = forms.URLField(widget=forms.TextInput(attrs={"placeholder": "linkedin.com/in/…"}))',
        'class Move(models.TextChoices):\n    JOB = "job", _("Job change")',
    ],
)
def test_translated_text_passes(source: str) -> None:
    assert not untranslated_messages(source)
