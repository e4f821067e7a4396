"""The reverse proxy examples (docker/proxy/) pass each proxy's own validator.

nginx and Caddy check them where they are installed (.ci/run installs both from
Debian); Traefik has no offline validator, so compose renders its override and the
router labels are checked.
"""

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PROXY = ROOT / "docker" / "proxy"


def _needs(binary: str) -> str:
    found = shutil.which(binary)
    if found is None:
        if os.environ.get("CI"):
            pytest.fail(f"{binary} is required in CI (.ci/run installs it)")
        pytest.skip(f"{binary} is not installed")
    return found


def test_the_nginx_example_passes_nginx_t(tmp_path: Path) -> None:
    nginx = _needs("nginx")
    for name in ("fullchain.pem", "privkey.pem"):
        assert f"/etc/letsencrypt/live/crm.example.com/{name}" in (PROXY / "nginx.conf").read_text()
    key, cert = str(tmp_path / "privkey.pem"), str(tmp_path / "fullchain.pem")
    subprocess.run(
        [
            *("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1"),
            *("-subj", "/CN=crm.example.com", "-keyout", key, "-out", cert),
        ],
        check=True,
        capture_output=True,
        timeout=60,
    )
    site = (
        (PROXY / "nginx.conf")
        .read_text()
        .replace("/etc/letsencrypt/live/crm.example.com", str(tmp_path))
    )
    (tmp_path / "rapport.conf").write_text(site)
    (tmp_path / "nginx.conf").write_text(
        f"pid {tmp_path}/nginx.pid;\nerror_log stderr;\nevents {{}}\n"
        f"http {{\n  access_log off;\n  include {tmp_path}/rapport.conf;\n}}\n"
    )
    result = subprocess.run(
        [nginx, "-t", "-p", str(tmp_path), "-c", str(tmp_path / "nginx.conf")],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert "syntax is ok" in result.stderr


def test_the_nginx_example_uses_the_http2_spelling_of_current_lts_releases() -> None:
    site = (PROXY / "nginx.conf").read_text()
    # `http2 on;` only exists from nginx 1.25.1; Debian 12 has 1.22, Ubuntu 24.04 1.24.
    assert not re.search(r"^\s*http2\s+on;", site, re.M)
    assert re.search(r"^\s*listen 443 ssl http2;", site, re.M)
    # The client's own X-Forwarded-For is replaced, never passed on.
    assert "proxy_set_header X-Forwarded-For $remote_addr;" in site
    assert "proxy_set_header X-Forwarded-Proto $scheme;" in site


@pytest.mark.parametrize("name", ["Caddyfile", "Caddyfile.docker"])
def test_the_caddy_examples_pass_caddy_validate(name: str) -> None:
    caddy = _needs("caddy")
    result = subprocess.run(
        [caddy, "validate", "--config", str(PROXY / name), "--adapter", "caddyfile"],
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, "RAPPORT_HOST": "crm.example.com", "HOME": str(ROOT / "var")},
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Valid configuration" in result.stdout + result.stderr


def _render(tmp_path: Path, override: str) -> str:
    compose = _needs("docker-compose")
    (tmp_path / "docker" / "proxy").mkdir(parents=True)
    for name in ("Caddyfile.docker", override):
        shutil.copy(PROXY / name, tmp_path / "docker" / "proxy" / name)
    shutil.copy(ROOT / "docker-compose.yml", tmp_path)
    env_file = (ROOT / ".env.example").read_text() + "RAPPORT_HOST=crm.example.com\n"
    (tmp_path / ".env").write_text(env_file)
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("POSTGRES_", "COMPOSE_"))}
    result = subprocess.run(
        [compose, "-f", "docker-compose.yml", "-f", f"docker/proxy/{override}", "config"],
        cwd=tmp_path,
        env={**clean, "POSTGRES_PASSWORD": "x"},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_caddy_in_docker_joins_rapports_network_and_reaches_web(tmp_path: Path) -> None:
    rendered = _render(tmp_path, "compose.caddy.yml")
    assert re.search(r"^  caddy:\n(?:    .*\n)*    image: caddy:\d+\.\d+\.\d+", rendered, re.M)
    assert "Caddyfile.docker:/etc/caddy/Caddyfile:ro" in rendered
    assert "reverse_proxy web:8000" in (PROXY / "Caddyfile.docker").read_text()


def test_traefik_in_docker_routes_the_host_to_web(tmp_path: Path) -> None:
    rendered = _render(tmp_path, "compose.traefik.yml")
    assert re.search(r"image: traefik:v\d+\.\d+\.\d+", rendered)
    # docker-compose renders the labels as a mapping.
    assert "traefik.http.routers.rapport.rule: Host(`crm.example.com`)" in rendered
    assert "traefik.http.services.rapport.loadbalancer.server.port: '8000'" in rendered
    assert "--providers.docker.exposedbydefault=false" in rendered
