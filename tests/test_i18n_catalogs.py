"""The translation catalogs can be shipped (issue 22; docs/translating.md).

For every language folder under crm/locale/: each catalog has no untranslated or fuzzy
entry, its placeholders match the English, GNU msgfmt compiles it with its checks, and it
is up to date with the code (makemessages run on a copy of the sources finds nothing new
and nothing gone). The build compiles the catalogs and never commits the .mo files.
"""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.utils.translation import to_locale

from tests.i18n_checks import catalog_keys, catalog_problems

ROOT = Path(__file__).resolve().parent.parent
LOCALE = ROOT / "crm" / "locale"
LANGUAGE_DIRS = sorted(p.name for p in LOCALE.iterdir() if p.is_dir()) if LOCALE.is_dir() else []
DOMAINS = ("django", "djangojs")
# What makemessages reads: the apps, the templates and the JavaScript.
SOURCES = ("api", "carddav", "contacts", "crm", "reminders", "templates", "static/js")

needs_gettext = pytest.mark.skipif(
    shutil.which("msgfmt") is None, reason="GNU gettext (msgfmt) is not installed"
)


def _catalogs(language: str) -> list[Path]:
    return [
        LOCALE / language / "LC_MESSAGES" / f"{domain}.po"
        for domain in DOMAINS
        if (LOCALE / language / "LC_MESSAGES" / f"{domain}.po").exists()
    ]


def test_every_catalog_folder_is_a_shipped_language() -> None:
    shipped = {to_locale(code) for code, _ in settings.LANGUAGES}
    assert set(LANGUAGE_DIRS) <= shipped, "crm/locale has a folder for a language not shipped"


@pytest.mark.parametrize("language", LANGUAGE_DIRS)
def test_the_catalog_is_complete_and_its_placeholders_match(language: str) -> None:
    assert (LOCALE / language / "LC_MESSAGES" / "django.po").exists()
    problems = [
        f"{path.relative_to(ROOT)}: {problem}"
        for path in _catalogs(language)
        for problem in catalog_problems(path.read_text())
    ]
    assert not problems, "\n".join(problems)


@needs_gettext
@pytest.mark.parametrize("language", LANGUAGE_DIRS)
def test_gnu_msgfmt_compiles_the_catalog_with_its_checks(language: str) -> None:
    for path in _catalogs(language):
        result = subprocess.run(
            ["msgfmt", "--check", "-o", "/dev/null", str(path)], capture_output=True, text=True
        )
        assert result.returncode == 0, result.stderr


def _source_files() -> list[str]:
    listed = subprocess.run(
        ["git", "ls-files", "-co", "--exclude-standard", "-z", "manage.py", *SOURCES],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return [f for f in listed.split("\0") if f and not f.startswith("crm/locale/")]


@pytest.fixture(scope="module")
def fresh_keys(tmp_path_factory: pytest.TempPathFactory) -> dict[str, set]:
    """The entries makemessages makes today, on a copy of the sources (domain → keys)."""
    copy = tmp_path_factory.mktemp("sources")
    for name in _source_files():
        if (ROOT / name).exists():
            (copy / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(ROOT / name, copy / name)
    environment = {
        "PATH": "/usr/local/bin:/usr/bin:/bin",
        "HOME": str(copy),
        "DEBUG": "true",
        "RAPPORT_VAR_DIR": str(copy / "var"),
        "STATIC_ROOT": str(copy / "staticfiles"),
    }
    keys = {}
    for domain in DOMAINS:
        result = subprocess.run(
            [sys.executable, "manage.py", "makemessages", "-l", "de", "-d", domain],
            cwd=copy,
            env=environment,
            capture_output=True,
            text=True,
        )
        assert result.returncode == 0, result.stderr
        made = copy / "crm" / "locale" / "de" / "LC_MESSAGES" / f"{domain}.po"
        keys[domain] = catalog_keys(made.read_text()) if made.exists() else set()
    return keys


def _describe(keys: set) -> str:
    return "\n".join(
        f"  {msgid[:70]!r}" + (f" (context {context!r})" if context else "")
        for context, msgid, _ in sorted(keys, key=lambda k: (k[1], k[0] or ""))[:30]
    )


@needs_gettext
@pytest.mark.parametrize("language", LANGUAGE_DIRS)
def test_the_catalog_is_up_to_date_with_the_code(language: str, fresh_keys: dict) -> None:
    for domain in DOMAINS:
        path = LOCALE / language / "LC_MESSAGES" / f"{domain}.po"
        current = catalog_keys(path.read_text()) if path.exists() else set()
        new, gone = fresh_keys[domain] - current, current - fresh_keys[domain]
        assert not new, f"{domain}.po lacks strings the code has (run `make messages`):\n" + (
            _describe(new)
        )
        assert not gone, f"{domain}.po has strings the code no longer has (`make messages`):\n" + (
            _describe(gone)
        )


def test_the_build_compiles_the_catalogs_and_never_commits_them() -> None:
    makefile = (ROOT / "Makefile").read_text()
    assert "run: install compilemessages" in makefile
    assert "test: lint node_modules/.installed compilemessages" in makefile
    locales = makefile.split("LOCALES := ", 1)[1].split("\n", 1)[0].split()
    assert sorted(locales) == sorted(to_locale(c) for c, _ in settings.LANGUAGES if c != "en")
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert "compile_messages.sh" in dockerfile and "gettext" in dockerfile
    assert "COPY --from=builder /build/crm/locale /app/crm/locale" in dockerfile
    assert "need_apt+=(gettext)" in (ROOT / ".ci" / "run").read_text()
    assert "*.mo" in (ROOT / ".gitignore").read_text().split()
    tracked = subprocess.run(
        ["git", "ls-files", "*.mo"], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout
    assert not tracked, f"compiled catalogs are committed: {tracked}"
