"""The containers' commands, run natively against this machine's PostgreSQL and Redis.

Each role runs through docker/entrypoint.sh exactly as in the image, in a fresh
database (rapport_deploy_test) that is created here and dropped afterwards:
bootstrap (migrations + first admin, twice and concurrently), gunicorn with the
production settings, and a Celery worker plus beat that run the daily scan.

Needs PostgreSQL and Redis: skipped when they are not reachable, failed in CI.

With RAPPORT_IMAGE_REPLAY pointing at the manifest of `.ci/replay_image.py` (as
`.ci/run` does), the same tests run the image instead of this checkout: its code, its
virtualenv of the runtime lock alone, its unprivileged user, and the environment that
`docker-compose config` renders from .env.example, with the hosts pointed here.
"""

import http.client
import json
import os
import re
import secrets
import shelve
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from http.cookies import SimpleCookie
from pathlib import Path
from typing import Any
from urllib.parse import urlencode, urlsplit, urlunsplit

import psycopg
import pytest
import redis
from django.conf import settings
from django.urls import reverse

pytestmark = pytest.mark.postgres

ROOT = Path(__file__).resolve().parents[1]


@dataclass(frozen=True)
class Image:
    """Where the containers' commands run from: this checkout, or the replayed image."""

    app: Path
    env: dict[str, str]
    user: str | None
    services: dict[str, Any] | None

    @property
    def entrypoint(self) -> str:
        return str(self.app / "docker" / "entrypoint.sh")

    def command(self, args: list[str]) -> list[str]:
        """`args` as the image's user (the replay runs as root, like `docker build`)."""
        if self.user is None:
            return args
        return ["setpriv", f"--reuid={self.user}", f"--regid={self.user}", "--clear-groups", *args]

    def chown(self, path: Path) -> None:
        if self.user is not None:
            shutil.chown(path, self.user, self.user)


def _image() -> Image:
    manifest_path = os.environ.get("RAPPORT_IMAGE_REPLAY")
    if not manifest_path:
        return Image(app=ROOT, env={}, user=None, services=None)
    manifest = json.loads(Path(manifest_path).read_text())
    return Image(
        app=Path(manifest["app"]),
        env=manifest["env"],
        user=manifest["user"],
        services=manifest["services"],
    )


IMAGE = _image()
REPLAY = IMAGE.services is not None
ENTRYPOINT = IMAGE.entrypoint
# One database per test run: other runs of this suite (CI, or several developers on
# one machine) must never create or drop the database this run is using.
DB_PREFIX = "rapport_deploy_test_"
DB_NAME = f"{DB_PREFIX}{os.getpid()}"
# Redis databases this module may claim, one per run, for the same reason: a worker
# of another run must not take this run's tasks.
REDIS_DATABASES = range(8, 16)
REDIS_CLAIM_KEY = "rapport-deploy-test-claim"
# The replay keeps the host names of .env.example.
HOST = (
    IMAGE.services["web"]["environment"]["ALLOWED_HOSTS"].split(",")[0]
    if IMAGE.services
    else "rapport.test"
)
ADMIN_EMAIL = f"owner@{HOST}"
ADMIN_PASSWORD = "deploy test pass phrase"


def _unavailable(reason: str) -> None:
    if os.environ.get("CI"):
        pytest.fail(f"{reason} (required in CI)")
    pytest.skip(reason)


def _server_url() -> str:
    configured = os.environ.get("DATABASE_URL", "")
    if configured.startswith(("postgres://", "postgresql://")):
        parts = urlsplit(configured)
        return urlunsplit((parts.scheme, parts.netloc, "/postgres", "", ""))
    return "postgres://postgres@127.0.0.1:5432/postgres"


def _redis_url(database: int = 0) -> str:
    configured = os.environ.get("REDIS_URL", "")
    base = urlsplit(configured) if configured else urlsplit("redis://127.0.0.1:6379")
    return urlunsplit((base.scheme, base.netloc, f"/{database}", "", ""))


def _claim_redis_database() -> int:
    """The first of REDIS_DATABASES no other run holds; claimed until released."""
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        for database in REDIS_DATABASES:
            client = redis.Redis.from_url(_redis_url(database), socket_connect_timeout=2)
            if client.set(REDIS_CLAIM_KEY, os.getpid(), nx=True, ex=15 * 60):
                # Whatever a crashed run left behind goes; the claim stays.
                for key in client.scan_iter():
                    if key != REDIS_CLAIM_KEY.encode():
                        client.delete(key)
                return database
        time.sleep(1)
    pytest.fail("No free Redis database for the deploy tests (all of 8-15 are claimed)")


def _drop_abandoned_databases() -> None:
    """Databases of earlier runs that were killed before they could clean up."""
    with psycopg.connect(_server_url(), autocommit=True, connect_timeout=3) as conn:
        names = conn.execute(
            "SELECT datname FROM pg_database WHERE datname LIKE %s", [DB_PREFIX + "%"]
        ).fetchall()
        for (name,) in names:
            pid = name.removeprefix(DB_PREFIX)
            if pid.isdigit() and not Path(f"/proc/{pid}").exists():
                conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _admin_sql(sql: str) -> None:
    with psycopg.connect(_server_url(), autocommit=True, connect_timeout=3) as conn:
        conn.execute(sql)


def _query(database_url: str, sql: str, params: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    with psycopg.connect(database_url, connect_timeout=3) as conn:
        return conn.execute(sql, params).fetchall()


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def services() -> Iterator[dict[str, str]]:
    try:
        _admin_sql("SELECT 1")
    except psycopg.Error as exc:
        _unavailable(f"PostgreSQL is not reachable at {_server_url()}: {exc}")
    try:
        redis.Redis.from_url(_redis_url(), socket_connect_timeout=2).ping()
    except redis.RedisError as exc:
        _unavailable(f"Redis is not reachable at {_redis_url()}: {exc}")
    _drop_abandoned_databases()
    database = _claim_redis_database()
    parts = urlsplit(_server_url())
    database_url = urlunsplit((parts.scheme, parts.netloc, f"/{DB_NAME}", "", ""))
    try:
        yield {"database_url": database_url, "redis_url": _redis_url(database)}
    finally:
        client = redis.Redis.from_url(_redis_url(database))
        client.flushdb()  # our tasks, heartbeat and claim: nobody else uses this database now


@pytest.fixture
def fresh_database(services: dict[str, str]) -> Iterator[str]:
    _admin_sql(f"DROP DATABASE IF EXISTS {DB_NAME} WITH (FORCE)")
    _admin_sql(f"CREATE DATABASE {DB_NAME}")
    try:
        yield services["database_url"]
    finally:
        _admin_sql(f"DROP DATABASE IF EXISTS {DB_NAME} WITH (FORCE)")


@pytest.fixture(scope="module")
def static_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("static")


@pytest.fixture
def production_env(
    fresh_database: str, services: dict[str, str], tmp_path: Path, static_root: Path
) -> dict[str, str]:
    """The environment of a container as docs/self-hosting.md configures it."""
    if IMAGE.services is not None:
        return _replayed_env(fresh_database, services)
    inherited = {k: v for k, v in os.environ.items() if k in {"HOME", "LANG", "TZ"}}
    venv_bin = str(Path(sys.executable).parent)
    return {
        **inherited,
        "PATH": f"{venv_bin}:{os.environ.get('PATH', '/usr/bin:/bin')}",
        "PYTHONUNBUFFERED": "1",
        "DJANGO_SETTINGS_MODULE": "crm.settings",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "DEBUG": "false",
        "ALLOWED_HOSTS": HOST,
        "BASE_URL": f"https://{HOST}",
        "CSRF_TRUSTED_ORIGINS": f"https://{HOST}",
        "DATABASE_URL": fresh_database,
        "REDIS_URL": services["redis_url"],
        "RAPPORT_VAR_DIR": str(tmp_path / "var"),
        "STATIC_ROOT": str(static_root),
        "CELERY_BEAT_SCHEDULE_FILENAME": str(tmp_path / "beat" / "celerybeat-schedule"),
        "USE_X_FORWARDED_PROTO": "true",
        "USE_X_FORWARDED_FOR": "true",
        "SECURE_SSL_REDIRECT": "true",
        "SECURE_HSTS_SECONDS": "31536000",
        "SECURE_HSTS_INCLUDE_SUBDOMAINS": "true",
        "SECURE_HSTS_PRELOAD": "true",
        "RAPPORT_ADMIN_EMAIL": ADMIN_EMAIL,
        "RAPPORT_ADMIN_PASSWORD": ADMIN_PASSWORD,
        "WEB_CONCURRENCY": "1",
        "CELERY_CONCURRENCY": "1",
        "DB_WAIT_TIMEOUT": "20",
        "HOSTNAME": socket.gethostname(),
    }


def _replayed_env(database_url: str, services: dict[str, str]) -> dict[str, str]:
    """The image's ENV under compose's rendering of .env.example, hosts pointed here."""
    assert IMAGE.services is not None
    env = {
        **IMAGE.env,
        **IMAGE.services["web"]["environment"],
        "DATABASE_URL": database_url,
        "REDIS_URL": services["redis_url"],
        # Docker sets it to the container's name; the worker's health check reads it.
        "HOSTNAME": socket.gethostname(),
        # What a self-hoster types into .env on the first start.
        "RAPPORT_ADMIN_EMAIL": ADMIN_EMAIL,
        "RAPPORT_ADMIN_PASSWORD": ADMIN_PASSWORD,
        # Lighter than the defaults on a shared CI machine; the image reads both.
        "WEB_CONCURRENCY": "1",
        "CELERY_CONCURRENCY": "1",
        "DB_WAIT_TIMEOUT": "20",
    }
    # Each test starts from a fresh container: no beat schedule left by the previous one.
    schedule = Path(env["CELERY_BEAT_SCHEDULE_FILENAME"])
    for leftover in schedule.parent.glob(schedule.name + "*"):
        leftover.unlink()
    return env


def _run(
    args: list[str], env: dict[str, str], timeout: float = 120
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        IMAGE.command(args),
        cwd=IMAGE.app,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


def _bootstrap(env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return _run([ENTRYPOINT, "manage", "bootstrap", "--timeout", "20"], env)


def _seed_ada(env: dict[str, str], **fields: int) -> None:
    """Ada Lovelace, a contact of the bootstrapped account, saved through the image's shell."""
    extra = "".join(f", {name}={value!r}" for name, value in fields.items())
    code = (
        "from django.contrib.auth.models import User; from contacts.models import Contact; "
        f"Contact.objects.create(owner=User.objects.get(), first_name='Ada', "
        f"last_name='Lovelace'{extra})"
    )
    seeded = _run([ENTRYPOINT, "manage", "shell", "-c", code], env)
    assert seeded.returncode == 0, seeded.stderr


def _state(database_url: str) -> tuple[list[tuple[Any, ...]], list[tuple[Any, ...]]]:
    users = _query(
        database_url,
        "SELECT id, username, email, password, is_superuser, is_staff FROM auth_user ORDER BY id",
    )
    migrations = _query(database_url, "SELECT app, name FROM django_migrations ORDER BY id")
    return users, migrations


def test_it_migrates_and_creates_the_admin_and_a_second_run_changes_nothing(
    production_env: dict[str, str],
) -> None:
    first = _bootstrap(production_env)
    assert first.returncode == 0, first.stderr
    assert "Applying contacts.0001" in first.stdout
    assert f"Created the first admin account: log in as '{ADMIN_EMAIL}'" in first.stdout
    users, migrations = _state(production_env["DATABASE_URL"])
    assert [(u[1], u[4], u[5]) for u in users] == [(ADMIN_EMAIL, True, True)]
    assert len(migrations) == len(set(migrations)) > 10

    second_env = {**production_env, "RAPPORT_ADMIN_PASSWORD": "a different pass phrase"}
    second = _bootstrap(second_env)
    assert second.returncode == 0, second.stderr
    assert "No migrations to apply" in second.stdout
    assert "Created" not in second.stdout
    assert _state(production_env["DATABASE_URL"]) == (users, migrations)


def test_two_replicas_starting_at_once_both_succeed(production_env: dict[str, str]) -> None:
    command = IMAGE.command([ENTRYPOINT, "manage", "bootstrap", "--timeout", "20"])
    replicas = [
        subprocess.Popen(
            command,
            cwd=IMAGE.app,
            env=production_env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(2)
    ]
    outputs = []
    try:
        for replica in replicas:
            stdout, stderr = replica.communicate(timeout=180)
            outputs.append(stdout)
            assert replica.returncode == 0, stderr
    finally:
        for replica in replicas:
            if replica.poll() is None:
                replica.kill()
    # One of them migrated and created the admin; the other waited, then found nothing to do.
    assert sum("Applying " in out for out in outputs) == 1
    assert sum("No migrations to apply" in out for out in outputs) == 1
    assert sum("Created the first admin" in out for out in outputs) == 1
    users, migrations = _state(production_env["DATABASE_URL"])
    assert len(users) == 1
    assert len(migrations) == len(set(migrations))


def test_it_refuses_to_start_web_without_production_settings(
    production_env: dict[str, str],
) -> None:
    env = {k: v for k, v in production_env.items() if k not in {"ALLOWED_HOSTS", "BASE_URL"}}
    result = _run([ENTRYPOINT, "web"], env, timeout=60)
    assert result.returncode != 0
    assert "Refusing to start in production" in result.stderr
    assert "ALLOWED_HOSTS is not set" in result.stderr
    assert "BASE_URL is not set" in result.stderr
    # It stopped before touching the database.
    assert _query(
        production_env["DATABASE_URL"],
        "SELECT count(*) FROM pg_tables WHERE tablename = 'django_migrations'",
    ) == [(0,)]

    no_key = {k: v for k, v in production_env.items() if k != "SECRET_KEY"}
    result = _run([ENTRYPOINT, "web"], no_key, timeout=60)
    assert result.returncode != 0
    assert "SECRET_KEY is not set" in result.stderr


class Process:
    """A role started through the entrypoint in its own process group, always stopped."""

    def __init__(self, role: str, env: dict[str, str], log: Path) -> None:
        self.log = log
        self._handle = log.open("w")
        self.popen = subprocess.Popen(
            IMAGE.command([ENTRYPOINT, role]),
            cwd=IMAGE.app,
            env=env,
            stdout=self._handle,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    def output(self) -> str:
        self._handle.flush()
        return self.log.read_text(errors="replace")

    def stop(self) -> None:
        if self.popen.poll() is None:
            os.killpg(self.popen.pid, signal.SIGTERM)
            try:
                self.popen.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(self.popen.pid, signal.SIGKILL)
                self.popen.wait(timeout=5)
        self._handle.close()


@pytest.fixture
def start(tmp_path: Path) -> Iterator[Callable[[str, dict[str, str]], Process]]:
    started: list[Process] = []

    def _start(role: str, env: dict[str, str]) -> Process:
        process = Process(role, env, tmp_path / f"{role}.log")
        started.append(process)
        return process

    yield _start
    for process in started:
        process.stop()


def _wait_for(
    check: Callable[[], Any], *, timeout: float, what: str, process: Process | None = None
) -> Any:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        result = check()
        if result:
            return result
        if process is not None and process.popen.poll() is not None:
            pytest.fail(f"{what}: the process exited early:\n{process.output()[-3000:]}")
        time.sleep(0.3)
    pytest.fail(
        f"Timed out waiting for {what}" + (f":\n{process.output()[-3000:]}" if process else "")
    )


class Browser:
    """Just enough of a browser over plain HTTP, as behind an HTTPS-terminating proxy."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.cookies: dict[str, str] = {}

    def request(
        self, method: str, path: str, form: dict[str, str] | None = None, proxied: bool = True
    ) -> tuple[int, dict[str, str], str]:
        headers = {"Host": HOST}
        if proxied:
            headers |= {"X-Forwarded-Proto": "https", "X-Forwarded-For": "192.0.2.10"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if form is not None:
            body = urlencode(form)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["Referer"] = f"https://{HOST}{path}"
            headers["Origin"] = f"https://{HOST}"
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
        try:
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            text = response.read().decode(errors="replace")
            for header in response.headers.get_all("Set-Cookie") or []:
                for name, morsel in SimpleCookie(header).items():
                    self.cookies[name] = morsel.value
            return response.status, dict(response.headers.items()), text
        finally:
            connection.close()


def _healthz_ok(browser: Browser) -> bool:
    try:
        return browser.request("GET", reverse("healthz"), proxied=False)[0] == 200
    except OSError:
        return False


def test_gunicorn_serves_healthz_and_a_logged_in_page(
    production_env: dict[str, str], start: Callable[[str, dict[str, str]], Process]
) -> None:
    port = _free_port()
    env = {**production_env, "PORT": str(port)}
    if not REPLAY:  # the image collected them at build time
        collect = _run(
            [ENTRYPOINT, "manage", "collectstatic", "--noinput", "-v0"],
            {**env, "STATIC_MANIFEST": "true"},
        )
        assert collect.returncode == 0, collect.stderr
        env["STATIC_MANIFEST"] = "true"
    web = start("web", env)
    browser = Browser(port)
    _wait_for(lambda: _healthz_ok(browser), timeout=90, what="gunicorn /healthz", process=web)
    assert "gunicorn" in web.output().lower()

    status, _, body = browser.request("GET", reverse("healthz"), proxied=False)
    assert (status, body) == (200, '{"status": "ok", "database": "ok", "broker": "ok"}')
    # The image's HEALTHCHECK script agrees.
    check = _run(["python", "docker/healthcheck.py"], env, timeout=30)
    assert check.returncode == 0, check.stderr

    # Plain HTTP is sent to HTTPS; through the proxy, pages carry the security headers.
    status, headers, _ = browser.request("GET", reverse("account_login"), proxied=False)
    assert status == 301 and headers["Location"].startswith("https://")
    status, headers, page = browser.request("GET", reverse("account_login"))
    assert status == 200
    assert "max-age=31536000" in headers["Strict-Transport-Security"]
    assert "script-src 'self'" in headers["Content-Security-Policy"]
    assert headers["Referrer-Policy"] == "same-origin"
    assert re.search(r"/static/css/rapport\.[0-9a-f]{12}\.css", page), "hashed static files"
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    assert token, page[:2000]

    status, headers, _ = browser.request(
        "POST",
        reverse("account_login"),
        {
            "csrfmiddlewaretoken": token.group(1),
            "login": ADMIN_EMAIL,
            "password": ADMIN_PASSWORD,
        },
    )
    assert status == 302, "logging in failed"
    assert "sessionid" in browser.cookies
    status, _, page = browser.request("GET", reverse("status"))
    assert status == 200
    assert "System status" in page
    assert ADMIN_EMAIL in page

    # Static files are served by WhiteNoise from the collected, hashed copies.
    css = re.search(r'href="(/static/css/rapport\.[0-9a-f]{12}\.css)"', page)
    assert css and browser.request("GET", css.group(1))[0] == 200


def _write_overdue_schedule(path: Path) -> None:
    _write_schedule(path)
    for written in path.parent.glob(path.name + "*"):
        IMAGE.chown(written)


def _write_schedule(path: Path) -> None:
    """A beat schedule whose daily scan last ran two days ago: beat runs it at once,
    exactly as after an outage (the schedule file lives on a volume in compose)."""
    import celery
    from celery.beat import ScheduleEntry

    from crm.celery import app

    path.parent.mkdir(parents=True, exist_ok=True)
    entry_conf = settings.CELERY_BEAT_SCHEDULE["scan-reminders-daily"]
    entry = ScheduleEntry(
        name="scan-reminders-daily",
        task=entry_conf["task"],
        schedule=entry_conf["schedule"],
        options=entry_conf["options"],
        last_run_at=datetime.now(UTC) - timedelta(days=2),
        app=app,
    )
    with shelve.open(str(path)) as store:  # noqa: S301 (our own file)
        store["entries"] = {"scan-reminders-daily": entry}
        store["__version__"] = celery.__version__
        store["tz"] = settings.CELERY_TIMEZONE
        store["utc_enabled"] = True


def test_worker_and_beat_start_and_process_the_daily_scan(
    production_env: dict[str, str], start: Callable[[str, dict[str, str]], Process]
) -> None:
    env = production_env
    queue = redis.Redis.from_url(env["REDIS_URL"])
    assert _bootstrap(env).returncode == 0
    soon = (datetime.now(UTC) + timedelta(days=3)).date()
    _seed_ada(env, birthday_month=soon.month, birthday_day=soon.day)
    _write_overdue_schedule(Path(env["CELERY_BEAT_SCHEDULE_FILENAME"]))

    worker = start("worker", env)
    beat = start("beat", env)
    database = env["DATABASE_URL"]

    def beat_scan_finished() -> list[tuple[Any, ...]]:
        return _query(
            database,
            "SELECT users_scanned, reminders_created FROM reminders_scanrun "
            "WHERE trigger = 'beat' AND finished_at IS NOT NULL",
        )

    runs = _wait_for(beat_scan_finished, timeout=90, what="the scan queued by beat", process=beat)
    assert runs[0][0] == 1
    reminders = _query(
        database,
        "SELECT r.kind, r.due_on FROM reminders_reminder r "
        "JOIN contacts_contact c ON c.id = r.contact_id WHERE c.first_name = 'Ada'",
    )
    assert ("birthday", soon) in reminders
    assert "Sending due task scan-reminders-daily" in beat.output()
    assert "reminders.tasks.scan_all_users" in worker.output()
    assert worker.popen.poll() is None and beat.popen.poll() is None

    # compose's worker health check: a ping addressed to this worker's own node name.
    ping = _run(
        [
            "celery",
            "-A",
            "crm",
            "inspect",
            "ping",
            "--destination",
            f"celery@{socket.gethostname()}",
            "--timeout",
            "10",
        ],
        env,
        timeout=60,
    )
    assert ping.returncode == 0, ping.stdout + ping.stderr
    assert "pong" in ping.stdout

    # The worker also reports to the System status page through the shared cache.
    _wait_for(
        lambda: queue.keys("*rapport:worker-heartbeat*"), timeout=30, what="the worker heartbeat"
    )


def _compose_services() -> dict[str, Any]:
    """Compose's services as `docker-compose config` renders them from .env.example."""
    if IMAGE.services is not None:
        return IMAGE.services
    if shutil.which("docker-compose") is None:
        _unavailable("docker-compose is not installed")
    rendered = subprocess.run(
        ["/usr/bin/python3", str(ROOT / ".ci" / "replay_image.py"), "--compose"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    if rendered.returncode != 0:
        _unavailable(f"could not render docker-compose.yml: {rendered.stderr}")
    return json.loads(rendered.stdout)


def _log_in(browser: Browser) -> None:
    page = browser.request("GET", reverse("account_login"))[2]
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    assert token, page[:2000]
    form = {"csrfmiddlewaretoken": token.group(1), "login": ADMIN_EMAIL}
    status, _, _ = browser.request(
        "POST", reverse("account_login"), form | {"password": ADMIN_PASSWORD}
    )
    assert status == 302, "logging in failed"


def test_the_whole_stack_runs_a_scan_queued_from_the_web_and_passes_its_healthchecks(
    production_env: dict[str, str], start: Callable[[str, dict[str, str]], Process]
) -> None:
    """`docker compose up`: the three roles start together, as compose starts them."""
    compose = _compose_services()
    port = _free_port()
    env = {**production_env, "PORT": str(port)}
    if not REPLAY:  # what the image's build does
        collect = _run([ENTRYPOINT, "manage", "collectstatic", "--noinput", "-v0"], env)
        assert collect.returncode == 0, collect.stderr
        Path(env["CELERY_BEAT_SCHEDULE_FILENAME"]).parent.mkdir(parents=True, exist_ok=True)
    roles = {role: start(role, env) for role in ("web", "worker", "beat")}
    browser = Browser(port)
    _wait_for(lambda: _healthz_ok(browser), timeout=90, what="/healthz", process=roles["web"])
    _wait_for(
        lambda: "ready" in roles["worker"].output(), timeout=60, what="the worker", process=None
    )
    _wait_for(
        lambda: "beat: Starting" in roles["beat"].output(), timeout=60, what="beat", process=None
    )

    # A web action that queues a task: the worker must import the broker's transport.
    _log_in(browser)
    settings_page = browser.request("GET", reverse("reminders:settings"))[2]
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', settings_page)
    assert token
    status, _, _ = browser.request(
        "POST", reverse("reminders:scan_now"), {"csrfmiddlewaretoken": token.group(1)}
    )
    assert status == 302
    database = env["DATABASE_URL"]
    _wait_for(
        lambda: _query(
            database,
            "SELECT 1 FROM reminders_scanrun WHERE trigger = 'manual' AND finished_at IS NOT NULL",
        ),
        timeout=60,
        what="the scan queued from the web",
        process=roles["worker"],
    )

    # Beat's heartbeat task runs at once and every minute; the worker records it.
    queue = redis.Redis.from_url(env["REDIS_URL"])
    _wait_for(lambda: queue.keys("*rapport:beat-heartbeat*"), timeout=60, what="beat's heartbeat")
    page = browser.request("GET", reverse("status"))[2]
    assert re.search(r"Scheduler \(beat\):\s*<strong>running</strong>", page), page

    # A second beat refuses to start, whatever compose (or an operator) does.
    second = _run([ENTRYPOINT, "beat"], env, timeout=90)
    assert second.returncode == 1, second.stdout + second.stderr
    assert "Refusing to run a second beat" in second.stdout + second.stderr
    assert roles["beat"].popen.poll() is None

    # Every container's health check, exactly as compose renders it, exits 0.
    for role in ("web", "worker", "beat"):
        test = compose[role]["healthcheck"]
        assert test, f"{role} has no health check"
        role_env = {**env, **(compose[role]["environment"] if REPLAY else {})}
        role_env |= {k: env[k] for k in ("DATABASE_URL", "REDIS_URL", "HOSTNAME") if k in env}
        check = _run(test, role_env, timeout=60)
        assert check.returncode == 0, f"{role}: {test}\n{check.stdout}{check.stderr}"
    for role, process in roles.items():
        assert process.popen.poll() is None, f"{role} stopped:\n{process.output()[-3000:]}"


def _documented_db_command(tool: str) -> str:
    """What docs/self-hosting.md runs inside the db container with `tool`: CI runs it too."""
    docs = (ROOT / "docs" / "self-hosting.md").read_text()
    for line in docs.splitlines():
        if line.startswith("docker compose exec -T db sh -c") and f"'{tool} " in line:
            found = re.search(r"sh -c '([^']+)'", line)
            assert found, line
            return found.group(1)
    pytest.fail(f"docs/self-hosting.md no longer shows how to run {tool} in the db container")


def test_a_backup_restores_with_the_documented_procedure(production_env: dict[str, str]) -> None:
    env = production_env
    assert _bootstrap(env).returncode == 0
    _seed_ada(env)
    # What beat has the worker do every night, as the image's user.
    backup = _run([ENTRYPOINT, "manage", "backup"], env)
    assert backup.returncode == 0, backup.stdout + backup.stderr
    written = re.search(r"Backup written to (\S+)", backup.stdout)
    assert written, backup.stdout
    folder = Path(written.group(1))
    [account] = list((folder / "json").glob("*.json"))
    document = json.loads(account.read_text())
    assert [c["first_name"] for c in document["contacts"]] == ["Ada"]

    # The restore, as docs/self-hosting.md says, into a fresh database.
    server = urlsplit(env["DATABASE_URL"])
    restored = f"{DB_NAME}_restored"
    _admin_sql(f"DROP DATABASE IF EXISTS {restored} WITH (FORCE)")
    _admin_sql(f"CREATE DATABASE {restored}")
    try:
        with (folder / "rapport.dump").open("rb") as dump:
            result = subprocess.run(
                ["sh", "-c", _documented_db_command("pg_restore")],
                stdin=dump,
                env={
                    "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
                    "PGHOST": server.hostname or "127.0.0.1",
                    "PGPORT": str(server.port or 5432),
                    "PGPASSWORD": server.password or "",
                    "POSTGRES_USER": server.username or "postgres",
                    "POSTGRES_DB": restored,
                },
                capture_output=True,
                text=True,
                timeout=120,
                check=False,
            )
        assert result.returncode == 0, result.stderr
        restored_url = urlunsplit(server._replace(path=f"/{restored}"))
        assert _query(restored_url, "SELECT first_name, last_name FROM contacts_contact") == [
            ("Ada", "Lovelace")
        ]
        assert _query(restored_url, "SELECT email FROM auth_user") == [(ADMIN_EMAIL,)]
    finally:
        _admin_sql(f"DROP DATABASE IF EXISTS {restored} WITH (FORCE)")
    # The upgrade's dump command is documented the same way, with -T and .env's names.
    assert 'pg_dump -U "$POSTGRES_USER" -Fc "$POSTGRES_DB"' in _documented_db_command("pg_dump")
