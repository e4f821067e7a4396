"""The assistant endpoint over streamable HTTP, behind the same tokens as the API.

`manage.py mcp --http` serves this ASGI app with uvicorn (a process of its own: Rapport's
web server is WSGI). Every request must carry `Authorization: Bearer <token>` with a
live personal access token; anything else is a 401 before the MCP SDK sees it. The
tools check the token again on each call (api/assistant.py), so a revoked token stops
working mid-session.

Stateless JSON mode: each POST is answered on its own, so any number of processes can
serve behind a proxy and no session state is kept. The SDK's DNS-rebinding guard (a
Host allow-list) is off: it protects unauthenticated local servers from web pages,
and nothing here answers without the token, which a web page cannot know.
"""

import json
from typing import Any

import anyio.to_thread
from django.db import DatabaseError, close_old_connections
from mcp.server.transport_security import TransportSecuritySettings
from starlette.types import ASGIApp, Receive, Scope, Send

from api.assistant import bearer_secret, build_server
from api.models import AccessToken

MCP_PATH = "/mcp"


def _token_is_live(secret: str) -> bool:
    close_old_connections()
    try:
        return AccessToken.find(secret) is not None
    finally:
        close_old_connections()


class HttpBearerGate:
    """Refuses (401) HTTP requests without a live personal access token."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            headers = {
                k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope["headers"]
            }
            secret = bearer_secret(headers.get("authorization"))
            try:
                live = bool(secret) and await anyio.to_thread.run_sync(_token_is_live, secret)
            except DatabaseError:
                await _answer(send, 503, "Rapport's database is unavailable; try again shortly.")
                return
            if not live:
                await _answer(
                    send,
                    401,
                    "Send a personal access token: Authorization: Bearer <token>.",
                    [(b"www-authenticate", b'Bearer realm="Rapport"')],
                )
                return
        await self.app(scope, receive, send)


async def _answer(
    send: Send, status: int, detail: str, extra: list[tuple[bytes, bytes]] | None = None
) -> None:
    body = json.dumps({"detail": detail}).encode()
    headers: list[tuple[bytes, bytes]] = [
        (b"content-type", b"application/json"),
        (b"content-length", str(len(body)).encode()),
        *(extra or []),
    ]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})


def build_app() -> Any:
    app = build_server().streamable_http_app(
        streamable_http_path=MCP_PATH,
        stateless_http=True,
        json_response=True,
        transport_security=TransportSecuritySettings(enable_dns_rebinding_protection=False),
    )
    return HttpBearerGate(app)
