"""Views stay thin: no forms defined in them, no writes done by them, one page-or-fragment rule.

docs/development.md: forms live in forms modules (`<app>/forms.py`, `<app>/<feature>_forms.py`),
writes go through services named `<noun>_<verb>` that run in a transaction. A view that saves a
model, deletes a row, updates a queryset or opens its own transaction is a write the services
(and their tests) do not see, so this test reads every view module and refuses them.

To merge into a dict in a view, write `context |= {...}`: `.update(` reads like a queryset's.
Whether to answer with a fragment is `crm.htmx.wants_partial(request)`'s to say, never
`request.htmx` alone (tests/test_htmx_history_sweep.py walks the pages; this reads the code).
"""

import ast
from pathlib import Path

from tests.source_tree import APPS, ROOT

WRITE_METHODS = {
    "save",
    "delete",
    "update",
    "create",
    "bulk_create",
    "bulk_update",
    "get_or_create",
    "update_or_create",
    "atomic",
}


def test_it_reads_every_app() -> None:
    assert {"crm", "contacts", "reminders"} <= set(APPS)


def _view_modules() -> list[Path]:
    found = [path for app in APPS for path in sorted((ROOT / app / "views").glob("*.py"))]
    return found + [ROOT / app / "views.py" for app in APPS if (ROOT / app / "views.py").exists()]


def _dotted(node: ast.expr) -> str:
    if isinstance(node, ast.Attribute):
        return f"{_dotted(node.value)}.{node.attr}"
    return node.id if isinstance(node, ast.Name) else "…"


def layering_problems(source: str) -> list[str]:
    """What a views module does that belongs in a forms module or a service, by line."""
    tree = ast.parse(source)
    parents = {child: node for node in ast.walk(tree) for child in ast.iter_child_nodes(node)}
    problems: list[tuple[int, str]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ClassDef):
            bases = [_dotted(base) for base in node.bases]
            if node.name.endswith("Form") or any(b.endswith(("Form", "FormSet")) for b in bases):
                problems.append((node.lineno, f"form class {node.name} (move it to forms)"))
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            if node.func.attr in WRITE_METHODS:
                problems.append((node.lineno, f"{_dotted(node.func)}() (a write: call a service)"))
        elif isinstance(node, ast.FunctionDef):
            for decorator in node.decorator_list:
                if _dotted(decorator).endswith("atomic"):
                    problems.append((decorator.lineno, f"@{_dotted(decorator)} on {node.name}"))
        elif (
            isinstance(node, ast.Attribute)
            and node.attr == "htmx"
            and not isinstance(parents.get(node), ast.Attribute)
        ):
            # `request.htmx.target` is a detail; `request.htmx` alone decides page or
            # fragment, and misses history restores and boosted requests.
            problems.append((node.lineno, f"{_dotted(node)} alone (ask crm.htmx.wants_partial)"))
    return [f"{line}: {text}" for line, text in sorted(problems)]


def test_no_view_module_defines_a_form_or_writes() -> None:
    modules = _view_modules()
    assert len(modules) >= 15, "the view modules moved: point _view_modules at them"
    problems = {
        str(path.relative_to(ROOT)): found
        for path in modules
        if (found := layering_problems(path.read_text()))
    }
    assert not problems, f"views that define forms or write: {problems}"


def test_it_finds_forms_and_every_kind_of_write() -> None:
    source = """
class NoteForm(forms.ModelForm): pass
class Answers(forms.Form): pass
Things = forms.formset_factory(Answers)
class Listing(View): pass

def view(request, pk):
    form.save()
    note.delete()
    Note.objects.filter(pk=pk).update(done=True)
    Note.objects.create(body="x")
    Note.objects.bulk_create([])
    Note.objects.get_or_create(pk=pk)
    with transaction.atomic():
        pass
    context |= {"saved": True}
    if request.htmx or wants_partial(request) and request.htmx.target == "list":
        pass
    return render(request, "x.html", context)

@transaction.atomic
def other_view(request):
    pass
"""
    assert layering_problems(source) == [
        "2: form class NoteForm (move it to forms)",
        "3: form class Answers (move it to forms)",
        "8: form.save() (a write: call a service)",
        "9: note.delete() (a write: call a service)",
        "10: ….update() (a write: call a service)",
        "11: Note.objects.create() (a write: call a service)",
        "12: Note.objects.bulk_create() (a write: call a service)",
        "13: Note.objects.get_or_create() (a write: call a service)",
        "14: transaction.atomic() (a write: call a service)",
        "17: request.htmx alone (ask crm.htmx.wants_partial)",
        "21: @transaction.atomic on other_view",
    ]
