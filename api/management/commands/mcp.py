"""Run the assistant endpoint (MCP): over stdio for a desktop assistant, or over HTTP.

    manage.py mcp --token rapport_…            # stdio (or RAPPORT_TOKEN in the environment)
    manage.py mcp --http --host 0.0.0.0 --port 8765

docs/assistant.md says how to connect Claude Desktop and other clients.
"""

import os
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from api.models import AccessToken


class Command(BaseCommand):
    help = "Serve Rapport's assistant endpoint (Model Context Protocol) over stdio or HTTP."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--token",
            default="",
            help="A personal access token (Settings → Access tokens); default: $RAPPORT_TOKEN.",
        )
        parser.add_argument(
            "--http", action="store_true", help="Serve streamable HTTP at /mcp instead of stdio."
        )
        parser.add_argument("--host", default="127.0.0.1", help="HTTP: address to listen on.")
        parser.add_argument("--port", type=int, default=8765, help="HTTP: port to listen on.")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["http"]:
            self._serve_http(options["host"], options["port"])
            return
        secret = (options["token"] or os.environ.get("RAPPORT_TOKEN", "")).strip()
        if AccessToken.find(secret) is None:
            raise CommandError(
                "Give a live personal access token with --token or RAPPORT_TOKEN "
                "(Settings → Access tokens)."
            )
        from api.assistant import Principal, build_server

        Principal.stdio_secret = secret
        # stdout carries the protocol from here on; Django logs to stderr.
        build_server().run("stdio")

    def _serve_http(self, host: str, port: int) -> None:
        import uvicorn

        from api.mcp_http import MCP_PATH, build_app

        self.stderr.write(f"Rapport assistant endpoint on http://{host}:{port}{MCP_PATH}")
        uvicorn.run(build_app(), host=host, port=port, log_level="info", proxy_headers=True)
