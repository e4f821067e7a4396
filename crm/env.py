"""Typed helpers that read settings from the environment and fail loudly.

A bad value stops start-up with a message naming the variable, so a typo in
`.env` never turns into a silently different configuration.
"""

import os
from collections.abc import Mapping
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured


class ConfigurationError(ImproperlyConfigured):
    """A setting read from the environment is wrong: manage.py prints it as one line."""


TRUE_VALUES = {"1", "true", "yes", "on"}
FALSE_VALUES = {"0", "false", "no", "off", ""}


def envstr(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def envsecret(name: str, default: str = "", *, environ: Mapping[str, str] | None = None) -> str:
    """A secret from NAME, or from the file NAME_FILE names (Docker secrets, systemd
    credentials), never both. The file's trailing newline is not part of the secret."""
    env = os.environ if environ is None else environ
    path = env.get(f"{name}_FILE", "").strip()
    if not path:
        return env.get(name, default)
    if env.get(name, ""):
        raise ConfigurationError(f"Set {name} or {name}_FILE, not both.")
    try:
        return Path(path).read_text(encoding="utf-8").rstrip("\r\n")
    except (OSError, UnicodeDecodeError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        raise ConfigurationError(f"{name}_FILE={path} cannot be read: {reason}.") from None


def envbool(name: str, default: bool = False) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in TRUE_VALUES:
        return True
    if value in FALSE_VALUES:
        return False
    raise ConfigurationError(f"{name} must be true or false (got {raw!r}).")


def envint(
    name: str, default: int, *, minimum: int | None = None, maximum: int | None = None
) -> int:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ConfigurationError(f"{name} must be a whole number (got {raw!r}).") from None
    if minimum is not None and value < minimum:
        raise ConfigurationError(f"{name} must be at least {minimum} (got {value}).")
    if maximum is not None and value > maximum:
        raise ConfigurationError(f"{name} must be at most {maximum} (got {value}).")
    return value


def envlist(name: str, default: str = "") -> list[str]:
    raw = os.environ.get(name, default)
    return [item.strip() for item in raw.split(",") if item.strip()]
