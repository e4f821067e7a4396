"""A real HTTP endpoint for Apprise to deliver to: json:// and ntfy:// URLs aimed at it.

It records every request (path, headers, body) and answers with `status`, so a test can
read what a channel received, make it fail with 500s, or close it to refuse connections.
"""

import json
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest


@dataclass
class Received:
    path: str
    headers: dict[str, str]
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body)


@dataclass
class Endpoint:
    port: int
    status: int = 200
    received: list[Received] = field(default_factory=list)

    def url(self, scheme: str = "json", path: str = "/hook", auth: str = "") -> str:
        return f"{scheme}://{auth}127.0.0.1:{self.port}{path}"

    @property
    def messages(self) -> list[dict[str, Any]]:
        """The JSON bodies received (what json:// URLs post: title, message, type)."""
        return [r.json() for r in self.received]


@pytest.fixture
def endpoint() -> Iterator[Endpoint]:
    state = Endpoint(port=0)

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length)
            state.received.append(Received(self.path, dict(self.headers.items()), body))
            self.send_response(state.status)
            self.send_header("Content-Type", "application/json")
            self.end_headers()
            self.wfile.write(b"{}")

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    state.port = server.server_address[1]
    # A short poll: shutdown() waits for the loop to notice (0.5 s by default, per test).
    thread = threading.Thread(target=server.serve_forever, args=(0.02,), daemon=True)
    thread.start()
    yield state
    server.shutdown()
    server.server_close()


def closed_port() -> int:
    """A local port nothing listens on (bound, then released)."""
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])
