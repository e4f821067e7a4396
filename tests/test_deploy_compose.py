"""The production stack, checked without a Docker engine: docker-compose.yml validates
and has the services, health checks and wiring docs/self-hosting.md promises; the
Dockerfile builds the image it describes.

`docker-compose` (Debian's package) is required in CI and skipped locally when missing.
"""

import json
import os
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[1]
APP_SERVICES = {"web", "worker", "beat"}


def _compose_binary() -> str:
    binary = shutil.which("docker-compose")
    if binary is None:
        if os.environ.get("CI"):
            pytest.fail("docker-compose is required in CI (apt-get install docker-compose)")
        pytest.skip("docker-compose is not installed")
    return binary


def _compose_config(tmp_path: Path, **env: str) -> subprocess.CompletedProcess[str]:
    """Run `docker-compose config` as a user would: next to a .env made from the example."""
    shutil.copy(ROOT / "docker-compose.yml", tmp_path / "docker-compose.yml")
    shutil.copy(ROOT / ".env.example", tmp_path / ".env")
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("POSTGRES_", "COMPOSE_"))}
    return subprocess.run(
        [_compose_binary(), "config"],
        cwd=tmp_path,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


@pytest.fixture(scope="module")
def compose(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    result = _compose_config(tmp_path_factory.mktemp("compose"), POSTGRES_PASSWORD="s3cret")
    assert result.returncode == 0, result.stderr
    # docker-compose is a Python program with PyYAML: its interpreter turns YAML into JSON.
    interpreter = Path(_compose_binary()).read_text(errors="replace").splitlines()[0][2:].strip()
    converted = subprocess.run(
        [
            *interpreter.split(),
            "-c",
            "import json, sys, yaml; json.dump(yaml.safe_load(sys.stdin), sys.stdout)",
        ],
        input=result.stdout,
        capture_output=True,
        text=True,
        timeout=30,
        check=True,
    )
    return json.loads(converted.stdout)


def test_it_validates_next_to_the_example_env(tmp_path: Path) -> None:
    assert _compose_config(tmp_path, POSTGRES_PASSWORD="s3cret").returncode == 0


def test_the_database_password_never_sits_in_a_url(compose: dict[str, Any]) -> None:
    """The app reads it from POSTGRES_PASSWORD (or its _FILE secret), as the db does."""
    for name in APP_SERVICES:
        env = compose["services"][name]["environment"]
        assert env["DATABASE_URL"] == "postgres://rapport@db:5432/rapport"
        assert env["POSTGRES_PASSWORD"] == "s3cret"
    assert compose["services"]["db"]["environment"]["POSTGRES_PASSWORD"] == "s3cret"


def test_the_secrets_override_hands_every_service_its_secret_files(tmp_path: Path) -> None:
    shutil.copy(ROOT / "docker-compose.secrets.yml", tmp_path)
    (tmp_path / "secrets").mkdir()
    for name in ("secret_key", "postgres_password"):
        (tmp_path / "secrets" / name).write_text("x\n")
    shutil.copy(ROOT / "docker-compose.yml", tmp_path)
    shutil.copy(ROOT / ".env.example", tmp_path / ".env")
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("POSTGRES_", "COMPOSE_"))}
    result = subprocess.run(
        [
            _compose_binary(),
            "-f",
            "docker-compose.yml",
            "-f",
            "docker-compose.secrets.yml",
            "config",
        ],
        cwd=tmp_path,
        env=clean,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    rendered = result.stdout
    assert rendered.count("POSTGRES_PASSWORD_FILE: /run/secrets/postgres_password") == 4
    assert rendered.count("SECRET_KEY_FILE: /run/secrets/secret_key") == 3


def test_it_has_exactly_the_five_services(compose: dict[str, Any]) -> None:
    assert set(compose["services"]) == APP_SERVICES | {"db", "redis"}


def test_only_web_publishes_a_port(compose: dict[str, Any]) -> None:
    published = {name for name, service in compose["services"].items() if service.get("ports")}
    assert published == {"web"}
    (port,) = compose["services"]["web"]["ports"]
    # Behind a reverse proxy by default: not reachable from other machines.
    assert str(port).startswith("127.0.0.1:8000:8000") or port.get("host_ip") == "127.0.0.1"


def test_every_service_restarts_and_app_services_share_one_image(compose: dict[str, Any]) -> None:
    for name, service in compose["services"].items():
        assert service.get("restart") == "unless-stopped", name
    images = {compose["services"][name]["image"] for name in APP_SERVICES}
    assert len(images) == 1
    commands = {name: compose["services"][name]["command"] for name in APP_SERVICES}
    assert commands == {"web": ["web"], "worker": ["worker"], "beat": ["beat"]}


def test_app_services_wait_for_healthy_db_and_redis(compose: dict[str, Any]) -> None:
    for name in APP_SERVICES:
        service = compose["services"][name]
        assert service["depends_on"] == {
            "db": {"condition": "service_healthy"},
            "redis": {"condition": "service_healthy"},
        }, name
        env = service["environment"]
        # docker-compose inlines env_file: the values of .env reach every app service.
        assert env["BASE_URL"] == "https://crm.example.com", name
        assert env["DATABASE_URL"] == "postgres://rapport@db:5432/rapport"
        assert env["REDIS_URL"].startswith("redis://redis:6379/")


def test_db_is_postgres_16_or_newer_on_a_named_volume(compose: dict[str, Any]) -> None:
    db = compose["services"]["db"]
    major = re.match(r"postgres:(\d+)", db["image"])
    assert major and int(major.group(1)) >= 16
    assert "pg_isready" in " ".join(db["healthcheck"]["test"])
    volume = db["volumes"][0]
    source = volume["source"] if isinstance(volume, dict) else volume.split(":")[0]
    assert source in compose["volumes"]


def test_redis_and_web_and_worker_and_beat_have_health_checks(compose: dict[str, Any]) -> None:
    services = compose["services"]
    assert "ping" in " ".join(services["redis"]["healthcheck"]["test"])
    assert "docker/healthcheck.py" in " ".join(services["web"]["healthcheck"]["test"])
    assert "inspect ping" in " ".join(services["worker"]["healthcheck"]["test"])
    # Beat answers on its own node name (celerybeat@), never a worker's.
    beat = " ".join(services["beat"]["healthcheck"]["test"])
    assert "inspect ping --destination celerybeat@$$HOSTNAME" in beat


def test_exactly_one_beat_keeps_its_schedule_on_a_volume(compose: dict[str, Any]) -> None:
    beat = compose["services"]["beat"]
    assert beat["deploy"]["replicas"] == 1
    schedule = beat["environment"]["CELERY_BEAT_SCHEDULE_FILENAME"]
    mounts = [v if isinstance(v, str) else f"{v['source']}:{v['target']}" for v in beat["volumes"]]
    targets = {m.split(":")[1]: m.split(":")[0] for m in mounts}
    assert str(Path(schedule).parent) in targets
    assert targets[str(Path(schedule).parent)] in compose["volumes"]
    entrypoint = (ROOT / "docker" / "entrypoint.sh").read_text()
    assert entrypoint.count("celery -A crm beat") == 1


def test_the_entrypoint_runs_the_documented_commands() -> None:
    script = (ROOT / "docker" / "entrypoint.sh").read_text()
    assert script.startswith("#!/bin/sh")
    assert "set -eu" in script
    assert "manage.py bootstrap" in script
    assert "exec gunicorn crm.wsgi" in script
    assert "exec celery -A crm worker" in script
    assert os.access(ROOT / "docker" / "entrypoint.sh", os.X_OK)
    assert subprocess.run(["sh", "-n", str(ROOT / "docker" / "entrypoint.sh")]).returncode == 0


def test_the_dockerfile_builds_a_slim_multi_stage_non_root_image() -> None:
    dockerfile = (ROOT / "Dockerfile").read_text()
    stages = re.findall(r"^FROM (\S+)", dockerfile, flags=re.MULTILINE)
    # Pinned to a release, never a moving tag such as python:3.13-slim.
    assert len(stages) >= 2
    pinned = r"python:3\.13\.\d+-slim-\w+(@sha256:[0-9a-f]{64})?"
    assert all(re.fullmatch(pinned, s) for s in stages)
    assert "--no-deps -r requirements.lock" in dockerfile
    assert "-r requirements-dev.lock" not in dockerfile
    assert re.search(r"^USER (?!root)\w+", dockerfile, flags=re.MULTILINE)
    assert re.search(r"^HEALTHCHECK .*\n?.*healthcheck\.py", dockerfile, flags=re.MULTILINE)
    assert "collectstatic" in dockerfile and "STATIC_MANIFEST=true" in dockerfile
    assert 'ENTRYPOINT ["docker/entrypoint.sh"]' in dockerfile


def _locked(path: Path) -> dict[str, str]:
    pins = {}
    for line in path.read_text().splitlines():
        if "==" in line and not line.lstrip().startswith("#"):
            name, version = line.split(";")[0].strip().split("==")
            pins[name.lower()] = version
    return pins


def test_the_image_installs_the_locked_versions_of_every_runtime_dependency() -> None:
    import tomllib

    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    runtime, dev = _locked(ROOT / "requirements.lock"), _locked(ROOT / "requirements-dev.lock")
    for requirement in project["dependencies"]:
        name = re.split(r"[\[<>=!~ ]", requirement, maxsplit=1)[0].lower()
        assert name in runtime, f"{name} is a runtime dependency missing from requirements.lock"
    # kombu's Redis transport imports packaging: celery[redis] brings it into the runtime set.
    assert "packaging" in runtime
    # Test and lint tools stay out of the image's lock...
    for requirement in project["optional-dependencies"]["dev"]:
        name = re.split(r"[\[<>=!~ ]", requirement, maxsplit=1)[0].lower()
        assert name not in runtime, f"{name} is a dev tool in the runtime lock"
        assert name in dev, f"{name} is a dev dependency missing from requirements-dev.lock"
    # ...and the dev lock never installs a runtime package at another version.
    assert all(dev[name] == version for name, version in runtime.items() if name in dev)


def test_secrets_and_local_state_stay_out_of_the_image() -> None:
    ignored = set((ROOT / ".dockerignore").read_text().split())
    assert {".env", ".git", ".venv", "var"} <= ignored


def test_every_service_rotates_its_logs(compose: dict[str, Any]) -> None:
    for name, service in compose["services"].items():
        logging = service["logging"]
        assert logging["driver"] == "json-file", name
        assert logging["options"]["max-size"] and int(logging["options"]["max-file"]) >= 2, name


def test_the_app_services_have_memory_limits_above_what_they_use(compose: dict[str, Any]) -> None:
    measured_mib = {"web": 200, "worker": 250, "beat": 85}
    for name, used in measured_mib.items():
        limit = compose["services"][name]["mem_limit"]
        assert limit.endswith("m") and int(limit[:-1]) >= 2 * used, name


def test_the_worker_gets_time_for_a_warm_shutdown(compose: dict[str, Any]) -> None:
    grace = compose["services"]["worker"]["stop_grace_period"]
    seconds = int(grace[:-1]) * (60 if grace.endswith("m") else 1)
    assert seconds >= 60
    assert compose["services"]["web"]["stop_grace_period"] == "30s"  # gunicorn's 20 s + margin
