"""docker-compose.assistant.yml: the assistant endpoint as a service beside the stack."""

import json
import os
import shutil
import subprocess
from pathlib import Path
from typing import Any

from tests.test_deploy_compose import ROOT, _compose_binary


def _merged_config(tmp_path: Path) -> dict[str, Any]:
    for name in ("docker-compose.yml", "docker-compose.assistant.yml"):
        shutil.copy(ROOT / name, tmp_path)
    shutil.copy(ROOT / ".env.example", tmp_path / ".env")
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("POSTGRES_", "COMPOSE_"))}
    files = ["-f", "docker-compose.yml", "-f", "docker-compose.assistant.yml"]
    result = subprocess.run(
        [_compose_binary(), *files, "config"],
        cwd=tmp_path, env={**clean, "POSTGRES_PASSWORD": "s3cret"}, capture_output=True,
        text=True, timeout=60, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    # docker-compose is a Python program with PyYAML: its interpreter turns YAML into JSON.
    interpreter = Path(_compose_binary()).read_text(errors="replace").splitlines()[0][2:].strip()
    to_json = "import json, sys, yaml; json.dump(yaml.safe_load(sys.stdin), sys.stdout)"
    converted = subprocess.run(
        [*interpreter.split(), "-c", to_json],
        input=result.stdout, capture_output=True, text=True, timeout=30, check=True,
    )  # fmt: skip
    return json.loads(converted.stdout)


def test_the_override_adds_the_http_endpoint_beside_the_stack(tmp_path: Path) -> None:
    services = _merged_config(tmp_path)["services"]
    assert {"web", "worker", "beat", "db", "redis", "assistant"} == set(services)
    service = services["assistant"]
    all_interfaces = "0.0.0.0"  # noqa: S104 (inside the container; published on 127.0.0.1)
    assert service["command"] == [
        "manage",
        "mcp",
        "--http",
        "--host",
        all_interfaces,
        "--port",
        "8765",
    ]
    (port,) = service["ports"]
    assert str(port).startswith("127.0.0.1:8765:8765") or port.get("host_ip") == "127.0.0.1"
    assert service["image"] == services["web"]["image"]
    assert service["restart"] == "unless-stopped"
    check = service["healthcheck"]["test"][-1]
    compile(check, "healthcheck", "exec")
    assert "8765/mcp" in check and "401" in check
