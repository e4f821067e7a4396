"""A fake Monica 4.x API for the tests: real HTTP on 127.0.0.1, Laravel's paging
(`data`, `links`, `meta`), a Bearer token, and a 429 with Retry-After on demand."""

import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

FIXTURE = Path(__file__).resolve().parent.parent / "fixtures" / "monica-api.json"
TOKEN = "good-token"


@dataclass
class FakeMonica:
    data: dict[str, Any]
    url: str = ""
    requests: list[str] = field(default_factory=list)
    # (path, page) answered once with 429 and this Retry-After
    limited: dict[tuple[str, int], str] = field(default_factory=dict)

    def pages_of(self, path: str) -> list[int]:
        return [
            int(parse_qs(urlsplit(r).query).get("page", ["1"])[0])
            for r in self.requests
            if urlsplit(r).path == path
        ]


def _handler(fake: FakeMonica) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args: Any) -> None:
            pass

        def _send(self, status: int, body: Any, headers: dict[str, str] | None = None) -> None:
            payload = json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            for name, value in (headers or {}).items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)

        def do_GET(self) -> None:
            fake.requests.append(self.path)
            if self.headers.get("Authorization") != f"Bearer {TOKEN}":
                self._send(401, {"message": "Unauthenticated."})
                return
            parts = urlsplit(self.path)
            query = parse_qs(parts.query)
            page, limit = int(query.get("page", ["1"])[0]), int(query.get("limit", ["15"])[0])
            if (parts.path, page) in fake.limited:
                self._send(
                    429,
                    {"message": "Too Many Attempts."},
                    {"Retry-After": fake.limited.pop((parts.path, page))},
                )
                return
            name = parts.path.removeprefix("/api/")
            if name == "me":
                self._send(200, {"data": {"id": 1, "object": "user", "first_name": "Sam"}})
                return
            if name not in fake.data or limit > 100:
                self._send(404, {"error": {"message": "The resource has not been found"}})
                return
            items = fake.data[name]
            last = max(1, -(-len(items) // limit))
            base = f"{fake.url}{parts.path}"
            self._send(
                200,
                {
                    "data": items[(page - 1) * limit : page * limit],
                    "links": {
                        "first": f"{base}?page=1",
                        "last": f"{base}?page={last}",
                        "prev": f"{base}?page={page - 1}" if page > 1 else None,
                        "next": f"{base}?page={page + 1}" if page < last else None,
                    },
                    "meta": {
                        "current_page": page,
                        "from": (page - 1) * limit + 1,
                        "last_page": last,
                        "path": base,
                        "per_page": limit,
                        "to": min(page * limit, len(items)),
                        "total": len(items),
                    },
                },
            )

    return Handler


@contextmanager
def fake_monica() -> Iterator[FakeMonica]:
    fake = FakeMonica(data=json.loads(FIXTURE.read_text()))
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(fake))
    fake.url = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield fake
    finally:
        server.shutdown()
        server.server_close()
