#!/usr/bin/env python3
"""Replay the Dockerfile without Docker, so CI proves the image's production path.

    python3 .ci/replay_image.py OUT_DIR --python /path/to/python3.13
    python3 .ci/replay_image.py --compose     (only the compose services, as JSON)

builds under OUT_DIR/root what `docker build` builds: it reads the Dockerfile and carries
out its instructions (ENV, ARG, WORKDIR, COPY with .dockerignore, RUN, USER, HEALTHCHECK,
ENTRYPOINT), with the image's own folders (/opt, /app, /build) moved under OUT_DIR/root.
The base image's Python is a copy of the interpreter given by --python (its prefix, as
python:3.13-slim has it in /usr/local), readable by the image's unprivileged user.
Then it renders docker-compose.yml
with `docker-compose config` next to a .env made from .env.example, filled in as
docs/self-hosting.md tells a self-hoster to, and writes OUT_DIR/manifest.json: the image's
user, environment and entry point, and each compose service's environment, command and
health check. tests/test_deploy_stack.py reads it (RAPPORT_IMAGE_REPLAY) and runs the
containers' commands from the replayed image, as its unprivileged user.

Standard library plus PyYAML (which docker-compose itself needs); run with the system
python3 so nothing of the development virtualenv leaks into the image.
"""

import argparse
import fnmatch
import json
import os
import re
import secrets
import shlex
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

import yaml

REPO = Path(__file__).resolve().parents[1]
# Folders the Dockerfile creates in the image; everything else (/usr, /dev/shm) is the host's.
IMAGE_DIRS = ("app", "build", "opt")
IMAGE_PATH = re.compile(r"(?<![\w./${}-])/(?:" + "|".join(IMAGE_DIRS) + r")(?=/|\b|$)")
PRINT_PREFIX_AND_VERSION = "import sys; print(sys.base_prefix, '%d.%d' % sys.version_info[:2])"
BASE_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
# The build may reach the package index the way this machine does (docker build passes
# the proxy variables too).
BUILD_PASSTHROUGH = re.compile(
    r"^(?:https?_proxy|no_proxy|HTTPS?_PROXY|NO_PROXY|PIP_\w+|SSL_CERT_\w+|REQUESTS_CA_BUNDLE)$"
)


def fail(message: str) -> None:
    print(f"replay: {message}", file=sys.stderr)
    sys.exit(1)


def instructions(dockerfile: Path) -> list[tuple[str, str]]:
    """(KEYWORD, arguments) pairs, continuation lines joined and comments dropped."""
    result: list[tuple[str, str]] = []
    pending = ""
    for raw in dockerfile.read_text().splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if line.endswith("\\"):
            pending += line[:-1] + " "
            continue
        keyword, _, rest = (pending + line).partition(" ")
        result.append((keyword.upper(), rest.strip()))
        pending = ""
    return result


def expand(value: str, variables: dict[str, str]) -> str:
    def sub(match: re.Match[str]) -> str:
        return variables.get(match.group(1) or match.group(2), "")

    return re.sub(r"\$\{(\w+)\}|\$(\w+)", sub, value)


def dockerignored(patterns: list[str], relative: str) -> bool:
    parts = relative.split("/")
    candidates = ["/".join(parts[: i + 1]) for i in range(len(parts))]
    ignored = False
    for pattern in patterns:
        negated = pattern.startswith("!")
        pattern = pattern.lstrip("!").strip("/")
        if any(fnmatch.fnmatch(c, pattern) for c in candidates):
            ignored = not negated
    return ignored


def context_files() -> list[str]:
    """The build context: the checkout's files (tracked or not, never git-ignored ones)."""
    listed = subprocess.run(
        ["git", "ls-files", "-co", "--exclude-standard", "-z"],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    patterns = [
        line.strip()
        for line in (REPO / ".dockerignore").read_text().splitlines()
        if line.strip() and not line.startswith("#")
    ]
    return [
        f
        for f in listed.split("\0")
        if f and (REPO / f).exists() and not dockerignored(patterns, f)
    ]


class Replay:
    def __init__(self, out: Path, python: str) -> None:
        self.root = out / "root"
        self.shim = out / "shim"
        self.base = out / "base-python"
        self.python = python
        self.stages: dict[str, dict[str, Any]] = {}
        self.stage: dict[str, Any] = {}

    def path(self, value: str) -> str:
        return IMAGE_PATH.sub(lambda m: str(self.root) + m.group(0), value)

    def make_base(self) -> None:
        """What the base image brings: its python, and useradd/groupadd that accept a user
        already made by an earlier replay on this machine."""
        prefix, version = subprocess.run(
            [self.python, "-c", PRINT_PREFIX_AND_VERSION],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.split()
        # The interpreter may live where the unprivileged user cannot reach (~root/.pyenv).
        shutil.copytree(
            prefix,
            self.base,
            symlinks=True,
            ignore=lambda folder, names: [
                n for n in names if n in {"test", "site-packages", "idlelib", "tkinter"}
            ],
        )
        (self.base / "lib" / f"python{version}" / "site-packages").mkdir(exist_ok=True)
        # As in the python image: `python` on PATH, in the prefix's own bin/ (a venv made
        # from a symlink elsewhere would look for the standard library there).
        for name in ("python", "python3"):
            if not (self.base / "bin" / name).exists():
                (self.base / "bin" / name).symlink_to(f"python{version}")
        self.shim.mkdir(parents=True, exist_ok=True)
        for tool, lookup in (("groupadd", "group"), ("useradd", "passwd")):
            script = self.shim / tool
            script.write_text(
                "#!/bin/sh\n"
                f'for last; do :; done\ngetent {lookup} "$last" >/dev/null && exit 0\n'
                f'exec /usr/sbin/{tool} "$@"\n'
            )
            script.chmod(0o755)

    def from_(self, args: str) -> None:
        words = args.split()
        name = words[2] if len(words) > 2 and words[1].upper() == "AS" else str(len(self.stages))
        self.stage = {
            "base": words[0],
            # A shared libpython is found through its absolute RUNPATH, out of the user's
            # reach: the base image's environment points the loader at the copy.
            "env": {
                "PATH": f"{self.base}/bin:{self.shim}:{BASE_PATH}",
                "LD_LIBRARY_PATH": f"{self.base}/lib",
                "LANG": "C.UTF-8",
            },
            "args": {},
            "workdir": "/",
            "user": "root",
            "healthcheck": None,
            "entrypoint": None,
            "cmd": None,
        }
        self.stages[name] = self.stage

    def variables(self) -> dict[str, str]:
        return {**self.stage["args"], **self.stage["env"]}

    def env(self, args: str) -> None:
        for pair in shlex.split(args):
            key, _, value = pair.partition("=")
            self.stage["env"][key] = self.path(expand(value, self.variables()))

    def arg(self, args: str) -> None:
        key, _, value = args.partition("=")
        self.stage["args"][key] = value

    def workdir(self, args: str) -> None:
        self.stage["workdir"] = self.path(expand(args, self.variables()))
        Path(self.stage["workdir"]).mkdir(parents=True, exist_ok=True)

    def copy(self, args: str) -> None:
        words = shlex.split(args)
        source_stage = None
        while words[0].startswith("--"):
            flag = words.pop(0)
            if flag.startswith("--from="):
                source_stage = flag.removeprefix("--from=")
        *sources, dest = words
        target = Path(self.stage["workdir"]) / self.path(dest)
        if source_stage is not None:
            for source in sources:
                origin = Path(self.path(source))
                if origin.resolve() != target.resolve():
                    shutil.copytree(origin, target, symlinks=True, dirs_exist_ok=True)
            return
        files = context_files()
        for source in sources:
            prefix = "" if source == "." else source.rstrip("/")
            chosen = [f for f in files if not prefix or f == prefix or f.startswith(prefix + "/")]
            if not chosen:
                fail(f"COPY {source}: not in the build context")
            for name in chosen:
                relative = name if not prefix or source.endswith("/") else name[len(prefix) :]
                relative = relative.lstrip("/") or Path(name).name
                into = target / relative if dest.endswith("/") or dest == "." else target
                into.parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(REPO / name, into)

    def run(self, args: str) -> None:
        command = self.path(args)
        environment = {
            "HOME": "/root",
            **{k: v for k, v in os.environ.items() if BUILD_PASSTHROUGH.match(k)},
            **self.variables(),
        }
        print(f"replay: RUN {args[:100]}", flush=True)
        result = subprocess.run(
            ["/bin/sh", "-c", command], cwd=self.stage["workdir"], env=environment, check=False
        )
        if result.returncode != 0:
            fail(f"RUN failed (exit {result.returncode}): {args}")

    def json_or_shell(self, args: str) -> list[str]:
        if args.startswith("["):
            return list(json.loads(args))
        return ["/bin/sh", "-c", args]

    def build(self) -> None:
        self.make_base()
        for keyword, args in instructions(REPO / "Dockerfile"):
            match keyword:
                case "FROM":
                    self.from_(args)
                case "ENV":
                    self.env(args)
                case "ARG":
                    self.arg(args)
                case "WORKDIR":
                    self.workdir(args)
                case "COPY":
                    self.copy(args)
                case "RUN":
                    self.run(args)
                case "USER":
                    self.stage["user"] = expand(args, self.variables())
                case "HEALTHCHECK":
                    self.stage["healthcheck"] = self.json_or_shell(args.partition(" CMD ")[2])
                case "ENTRYPOINT":
                    self.stage["entrypoint"] = self.json_or_shell(args)
                case "CMD":
                    self.stage["cmd"] = self.json_or_shell(args)
                case "EXPOSE" | "LABEL":
                    pass
                case _:
                    fail(f"the replay does not know the Dockerfile instruction {keyword}")


def env_file() -> str:
    """.env.example filled in as docs/self-hosting.md tells a self-hoster to."""
    filled = {
        "SECRET_KEY": secrets.token_urlsafe(50),
        "POSTGRES_PASSWORD": secrets.token_urlsafe(24),
        "RAPPORT_ADMIN_EMAIL": "owner@crm.example.com",
        "RAPPORT_ADMIN_PASSWORD": secrets.token_urlsafe(16),
    }
    lines = []
    for line in (REPO / ".env.example").read_text().splitlines():
        key = line.partition("=")[0]
        lines.append(f"{key}={filled[key]}" if key in filled and line == f"{key}=" else line)
    missing = {key for key in filled if f"{key}={filled[key]}" not in lines}
    if missing:
        fail(f".env.example no longer has blank {', '.join(sorted(missing))}=")
    return "\n".join(lines) + "\n"


def compose_services(path: Any = str) -> dict[str, Any]:
    """web, worker and beat as compose runs them; `path` moves the image's folders."""
    with tempfile.TemporaryDirectory() as folder:
        shutil.copy(REPO / "docker-compose.yml", folder)
        Path(folder, ".env").write_text(env_file())
        rendered = subprocess.run(
            ["docker-compose", "config"], cwd=folder, capture_output=True, text=True, check=False
        )
    if rendered.returncode != 0:
        fail(f"docker-compose config failed:\n{rendered.stderr}")
    services = yaml.safe_load(rendered.stdout)["services"]
    result = {}
    for name in ("web", "worker", "beat"):
        service = services[name]
        test = (service.get("healthcheck") or {}).get("test") or []
        if test and test[0] == "CMD-SHELL":
            # Compose hands CMD-SHELL to the container's shell, $$ being a literal $.
            test = ["/bin/sh", "-c", test[1].replace("$$", "$")]
        elif test and test[0] == "CMD":
            test = test[1:]
        elif test and test[0] == "NONE":
            test = []
        result[name] = {
            "environment": {
                key: "" if value is None else path(str(value))
                for key, value in service["environment"].items()
            },
            "command": service.get("command") or [],
            "healthcheck": test,
            "stop_grace_period": service.get("stop_grace_period"),
        }
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out", type=Path, nargs="?")
    parser.add_argument("--python", help="stands in for the base image's python")
    parser.add_argument("--compose", action="store_true", help="print the services as JSON")
    options = parser.parse_args()
    if options.compose:
        print(json.dumps(compose_services()))
        return
    if options.out is None or options.python is None:
        parser.error("OUT_DIR and --python are needed to build")
    out = options.out.resolve()
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    # The image's unprivileged user must be able to reach its own folders.
    out.chmod(0o755)
    if not all(os.stat(p).st_mode & 0o001 for p in out.parents):
        fail(f"{out.parent} is not reachable by other users: pick a folder under /tmp")

    replay = Replay(out, options.python)
    replay.build()
    final = replay.stage
    workdir = final["workdir"]
    entrypoint = [
        str(Path(workdir) / part) if not part.startswith("/") and "/" in part else part
        for part in final["entrypoint"] or []
    ]
    manifest = {
        "root": str(replay.root),
        "app": workdir,
        "user": final["user"],
        "env": {**final["env"], "HOME": workdir},
        "entrypoint": entrypoint,
        "cmd": final["cmd"],
        "healthcheck": final["healthcheck"],
        "services": compose_services(replay.path),
    }
    (out / "manifest.json").write_text(json.dumps(manifest, indent=2))
    print(f"replay: image built under {replay.root}; manifest {out / 'manifest.json'}")


if __name__ == "__main__":
    main()
