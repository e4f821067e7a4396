"""`make run`: the first account, and web + worker + beat started and stopped together.

The run test starts `manage.py run_local` exactly as the Makefile does, on the
embedded defaults (SQLite and the filesystem broker in a temporary var/ folder).
"""

import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from io import StringIO
from pathlib import Path

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.django_db
def test_it_creates_the_owner_once_with_a_random_password() -> None:
    first, second = StringIO(), StringIO()
    call_command("ensure_owner", stdout=first)
    match = re.search(r"password: (\S+)", first.getvalue())
    assert match is not None
    password = match.group(1)
    owner = User.objects.get(username="owner")
    assert owner.is_superuser
    assert owner.check_password(password)
    assert len(password) >= 12

    call_command("ensure_owner", stdout=second)
    assert User.objects.count() == 1
    assert "password:" not in second.getvalue()
    assert "existing account (owner)" in second.getvalue()


@pytest.mark.django_db
def test_it_never_uses_the_same_password_twice() -> None:
    passwords = set()
    for _ in range(2):
        out = StringIO()
        call_command("ensure_owner", stdout=out)
        match = re.search(r"password: (\S+)", out.getvalue())
        assert match is not None
        passwords.add(match.group(1))
        User.objects.all().delete()
    assert len(passwords) == 2


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _children(pid: int) -> set[int]:
    found = set()
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            ppid = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
        except (OSError, IndexError, ValueError):
            continue
        if ppid == pid:
            found.add(int(entry.name))
    return found


def _alive(pid: int) -> bool:
    try:
        state = (Path("/proc") / str(pid) / "stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


@pytest.mark.skipif(not Path("/proc").exists(), reason="reads the process table from /proc")
def test_it_serves_runs_the_worker_and_beat_and_stops_them_all(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL"}}
    env.update(
        DEBUG="true",
        RAPPORT_VAR_DIR=str(tmp_path),
        DJANGO_SETTINGS_MODULE="crm.settings",
        SECRET_KEY="local-run-test-key",
        PYTHONUNBUFFERED="1",
    )
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "--noinput", "-v0"],
        cwd=ROOT,
        env=env,
        check=True,
        timeout=120,
    )
    port = _free_port()
    log = tmp_path / "run.log"
    with log.open("w") as out:
        runner = subprocess.Popen(
            [sys.executable, "manage.py", "run_local", f"--addr=127.0.0.1:{port}"],
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    try:
        deadline = time.monotonic() + 60
        while "Ctrl-C stops them all" not in log.read_text():
            assert runner.poll() is None, log.read_text()
            assert time.monotonic() < deadline, log.read_text()
            time.sleep(0.3)
        output = log.read_text()
        assert f"Rapport is running at http://127.0.0.1:{port}/" in output
        assert re.search(r"username: owner\s+password: \S{12,}", output)
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/accounts/login/", timeout=10) as page:
            assert page.status == 200

        children = _children(runner.pid)
        assert len(children) == 3  # web, worker, beat
        # The worker, on the filesystem broker, runs the scan queued at start-up.
        while "scan_all_users" not in log.read_text() or "succeeded" not in log.read_text():
            assert time.monotonic() < deadline + 30, log.read_text()
            time.sleep(0.5)

        runner.send_signal(signal.SIGINT)
        assert runner.wait(timeout=30) == 0
        assert "Stopped." in log.read_text()
        for pid in children:
            assert not _alive(pid), f"process {pid} outlived Ctrl-C"
    finally:
        if runner.poll() is None:
            runner.kill()
            runner.wait()
