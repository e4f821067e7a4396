"""Run Rapport on this machine: web server, Celery worker and Celery beat together.

Ctrl-C (or SIGTERM) stops all three; if one of them dies, the others are
stopped too, so a half-running Rapport never silently loses its reminders.
"""

import os
import signal
import socket
import subprocess
import sys
import time
from types import FrameType

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser


class Command(BaseCommand):
    help = "Start the web server, a Celery worker and Celery beat; stop them all on Ctrl-C."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--addr", default=os.environ.get("RAPPORT_ADDR", "127.0.0.1:8000"))

    def handle(self, *args: object, addr: str, **options: object) -> None:
        python = sys.executable
        beat_schedule = str(settings.CELERY_BEAT_SCHEDULE_FILENAME)
        commands = {
            "web": [python, "manage.py", "runserver", addr, "--noreload"],
            "worker": [
                python,
                "-m",
                "celery",
                "-A",
                "crm",
                "worker",
                "--loglevel=INFO",
                "--concurrency=2",
                "--hostname=rapport-local@%h",
            ],
            "beat": [
                python,
                "-m",
                "celery",
                "-A",
                "crm",
                "beat",
                "--loglevel=INFO",
                f"--schedule={beat_schedule}",
            ],
        }
        processes = {
            name: subprocess.Popen(cmd)  # noqa: S603 (our own fixed commands)
            for name, cmd in commands.items()
        }
        stopping = False

        def stop(signum: int, frame: FrameType | None) -> None:
            nonlocal stopping
            stopping = True

        signal.signal(signal.SIGINT, stop)
        signal.signal(signal.SIGTERM, stop)
        host, _, port = addr.rpartition(":")
        host = host or "127.0.0.1"
        # Say where to go once the server answers, so it is the last thing on screen.
        self._wait_for_port(host, int(port), processes["web"])
        self.stdout.write(self.style.SUCCESS(f"\nRapport is running at http://{host}:{port}/"))
        call_command("ensure_owner", stdout=self.stdout)
        self.stdout.write(
            "Web server, Celery worker and beat are running. Ctrl-C stops them all.\n"
        )
        exit_code = 0
        try:
            while not stopping:
                for name, process in processes.items():
                    if process.poll() is not None:
                        self.stderr.write(
                            f"{name} exited with code {process.returncode}; stopping the rest."
                        )
                        exit_code = process.returncode or 1
                        stopping = True
                        break
                time.sleep(0.5)
        finally:
            for process in processes.values():
                if process.poll() is None:
                    process.send_signal(signal.SIGTERM)
            deadline = time.monotonic() + 10
            for process in processes.values():
                try:
                    process.wait(timeout=max(0.1, deadline - time.monotonic()))
                except subprocess.TimeoutExpired:
                    process.kill()
            self.stdout.write("Stopped.")
        if exit_code:
            sys.exit(exit_code)

    @staticmethod
    def _wait_for_port(
        host: str, port: int, process: subprocess.Popen, timeout: float = 30
    ) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline and process.poll() is None:
            try:
                with socket.create_connection((host.strip("[]"), port), timeout=0.5):
                    return
            except OSError:
                time.sleep(0.3)
