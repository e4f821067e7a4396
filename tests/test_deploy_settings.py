"""Production settings: `check --deploy` is clean when configured as documented, and
every variable crm/settings.py reads is documented in .env.example and docs/configuration.md."""

import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def documented_env() -> dict[str, str]:
    """.env.example as compose reads it (KEY=VALUE, the rest of the line is the value),
    with the blanks a user must fill in filled and the variables compose itself sets."""
    env = {}
    for line in (ROOT / ".env.example").read_text().splitlines():
        if line.strip() and not line.lstrip().startswith("#"):
            key, _, value = line.partition("=")
            env[key.strip()] = value
    env |= {
        "SECRET_KEY": secrets.token_urlsafe(50),
        "POSTGRES_PASSWORD": "filled-in",
        "DATABASE_URL": "postgres://rapport:filled-in@db:5432/rapport",
        "REDIS_URL": "redis://redis:6379/0",
        "STATIC_MANIFEST": "true",
    }
    return env


def run_check(env: dict[str, str], tmp_path: Path) -> subprocess.CompletedProcess[str]:
    base = {k: os.environ[k] for k in ("PATH", "HOME", "LANG") if k in os.environ}
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env={
            **base,
            **env,
            "DJANGO_SETTINGS_MODULE": "crm.settings",
            "RAPPORT_VAR_DIR": str(tmp_path),
            "STATIC_ROOT": str(tmp_path / "static"),
        },
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_the_documented_production_configuration_passes_check_deploy(tmp_path: Path) -> None:
    result = run_check(documented_env(), tmp_path)
    assert result.returncode == 0, result.stderr
    assert "System check identified no issues" in result.stdout


@pytest.mark.parametrize(
    ("variable", "value", "warning"),
    [
        ("SECURE_HSTS_SECONDS", "0", "security.W004"),
        ("SECURE_SSL_REDIRECT", "false", "security.W008"),
        ("BASE_URL", "http://crm.example.com", "security.W012"),
    ],
)
def test_check_deploy_catches_a_weakened_configuration(
    variable: str, value: str, warning: str, tmp_path: Path
) -> None:
    result = run_check({**documented_env(), variable: value}, tmp_path)
    assert result.returncode != 0
    assert warning in result.stderr


def settings_variables() -> set[str]:
    source = (ROOT / "crm" / "settings.py").read_text()
    return set(re.findall(r'env(?:str|bool|int|list|secret)\(\s*"([A-Z0-9_]+)"', source))


def test_every_secret_setting_has_a_documented_file_twin() -> None:
    source = (ROOT / "crm" / "settings.py").read_text()
    secrets = set(re.findall(r'envsecret\(\s*"([A-Z0-9_]+)"', source))
    assert {"SECRET_KEY", "POSTGRES_PASSWORD", "EMAIL_HOST_PASSWORD", "DATABASE_URL"} <= secrets
    docs = (ROOT / "docs" / "configuration.md").read_text()
    missing = sorted(f"{v}_FILE" for v in secrets if f"`{v}_FILE`" not in docs)
    assert not missing, f"add to docs/configuration.md: {missing}"


def test_every_setting_variable_is_in_the_example_and_the_docs() -> None:
    variables = settings_variables()
    assert {"SECRET_KEY", "DATABASE_URL", "REDIS_URL", "BASE_URL"} <= variables
    example = (ROOT / ".env.example").read_text()
    docs = (ROOT / "docs" / "configuration.md").read_text()
    missing_example = sorted(v for v in variables if not re.search(rf"^#? ?{v}=", example, re.M))
    missing_docs = sorted(v for v in variables if f"`{v}`" not in docs)
    assert not missing_example, f"add to .env.example: {missing_example}"
    assert not missing_docs, f"add to docs/configuration.md: {missing_docs}"


def test_the_container_variables_are_documented_too() -> None:
    docs = (ROOT / "docs" / "configuration.md").read_text()
    for variable in (
        "RAPPORT_ADMIN_EMAIL",
        "RAPPORT_ADMIN_PASSWORD",
        "POSTGRES_PASSWORD",
        "WEB_CONCURRENCY",
        "CELERY_CONCURRENCY",
        "DB_WAIT_TIMEOUT",
    ):
        assert f"`{variable}`" in docs, variable
