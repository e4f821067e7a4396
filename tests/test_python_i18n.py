"""Messages and form errors people read go through gettext (issue 22; docs/translating.md).

A small companion of the template scanner: in the apps' Python, `messages.success(request,
…)` (and error, info, warning) and `ValidationError(…)` must not be given literal English
(a string or an f-string); wrap it in gettext/ngettext with named placeholders.
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
    ],
)
def test_translated_text_passes(source: str) -> None:
    assert not untranslated_messages(source)
