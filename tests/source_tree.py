"""The project on disk: its own apps (for the tests that read the source), and running it.

An app is a top-level folder with an `apps.py` (crm, contacts, reminders, ...): the
source-reading tests cover every app, new ones too.
"""

import subprocess
import sys
from collections.abc import Mapping
from pathlib import Path
from subprocess import CompletedProcess

ROOT = Path(__file__).resolve().parent.parent
APPS = tuple(sorted(path.parent.name for path in ROOT.glob("*/apps.py")))


def run_python(*args: str, env: Mapping[str, str], timeout: float = 60) -> CompletedProcess[str]:
    """`python <args>` in the project folder with this environment, its output as text."""
    return subprocess.run(
        [sys.executable, *args],
        cwd=ROOT,
        env=dict(env),
        capture_output=True,
        text=True,
        timeout=timeout,
    )
