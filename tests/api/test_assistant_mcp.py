"""The assistant endpoint, called by the MCP SDK's own client: over streamable HTTP (a real
uvicorn server on a local port) and over stdio (`manage.py mcp --token …` as a subprocess).

Every tool is called: this week's occasions, search, a contact's summary, who could
introduce you at a company, and, with a write token, logging an interaction and drafting
a note; a read token's writes, a revoked token and a request without one are refused.
"""

import datetime as dt
import json
import os
import socket
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import anyio
import httpx2
import pytest
import time_machine
import uvicorn
from django.contrib.auth.models import User
from django.db import OperationalError, connection
from django.test import Client as DjangoClient
from django.test import override_settings
from mcp import Client
from mcp.client.stdio import StdioServerParameters
from mcp.client.streamable_http import streamable_http_client

from api.mcp_http import MCP_PATH, build_app
from api.models import AccessToken
from contacts.models import Interaction, TrustLevel
from contacts.search import reindex_contacts
from crm.models import UserSettings
from reminders.models import NoteDraft, ReminderKind
from tests.factories import ContactFactory, PositionFactory, ReminderFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def owner() -> User:
    return UserFactory(username="assisted")


@pytest.fixture
def people(owner: User) -> dict[str, Any]:
    today = UserSettings.for_user(owner).today()
    ana = ContactFactory(
        owner=owner, first_name="Ana", last_name="Lima", trust_level=TrustLevel.CLOSE,
        how_we_met="Climate meetup in Lisbon", tags=["climate"],
    )  # fmt: skip
    PositionFactory(contact=ana, company="Northwind", title="CTO")
    bo = ContactFactory(owner=owner, first_name="Bo", last_name="Berg")
    ReminderFactory(contact=bo, kind=ReminderKind.BIRTHDAY, due_on=today + dt.timedelta(days=2))
    ContactFactory(first_name="Stranger", last_name="Northwind", tags=["climate"])
    reindex_contacts([ana, bo])
    return {"ana": ana, "bo": bo}


def _payload(result: Any) -> dict[str, Any]:
    assert not result.is_error, result.content
    if result.structured_content is not None:
        return result.structured_content
    return json.loads(result.content[0].text)


async def _exercise(client: Client, people: dict[str, Any]) -> dict[str, Any]:
    tools = {tool.name for tool in (await client.list_tools()).tools}
    assert tools == {
        "this_week", "search_contacts", "contact_summary", "who_can_introduce",
        "log_interaction", "draft_note",
    }  # fmt: skip
    ana, bo = people["ana"], people["bo"]
    week = _payload(await client.call_tool("this_week", {}))
    found = _payload(await client.call_tool("search_contacts", {"query": "climate"}))
    summary = _payload(await client.call_tool("contact_summary", {"contact_id": ana.pk}))
    intro = _payload(await client.call_tool("who_can_introduce", {"company": "northwind"}))
    logged = _payload(
        await client.call_tool(
            "log_interaction",
            {"contact_ids": [ana.pk, bo.pk], "summary": "Dinner at Ana's", "kind": "meal"},
        )
    )
    drafted = _payload(
        await client.call_tool("draft_note", {"reminder_id": week["items"][0]["id"]})
    )
    return {
        "week": week, "found": found, "summary": summary, "intro": intro,
        "logged": logged, "drafted": drafted,
    }  # fmt: skip


def _check(results: dict[str, Any], people: dict[str, Any], owner: User) -> None:
    ana, bo = people["ana"], people["bo"]
    assert [r["contact"]["id"] for r in results["week"]["items"]] == [bo.pk]
    assert [c["name"] for c in results["found"]["contacts"]] == ["Ana Lima"]
    assert results["summary"]["contact"]["how_we_met"]["story"] == "Climate meetup in Lisbon"
    assert [p["name"] for p in results["intro"]["people"]] == ["Ana Lima"]
    assert results["intro"]["people"][0]["job"] == "CTO at Northwind"
    assert {c["id"] for c in results["logged"]["logged"]["contacts"]} == {ana.pk, bo.pk}
    assert Interaction.objects.get(owner=owner).summary == "Dinner at Ana's"
    assert results["drafted"]["draft"]["body"].startswith("Hi Bo")
    assert NoteDraft.objects.filter(owner=owner, contact=bo).count() == 1


@pytest.fixture
def http_server() -> Iterator[str]:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = uvicorn.Server(
        uvicorn.Config(build_app(), host="127.0.0.1", port=port, log_level="warning")
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        assert time.monotonic() < deadline, "the MCP server did not start"
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}{MCP_PATH}"
    server.should_exit = True
    thread.join(timeout=10)


def _http_client(url: str, secret: str) -> Client:
    http = httpx2.AsyncClient(headers={"Authorization": f"Bearer {secret}"}, timeout=30)
    return Client(streamable_http_client(url, http_client=http))


def test_every_tool_over_http(http_server: str, owner: User, people: dict[str, Any]) -> None:
    _, secret = AccessToken.issue(owner=owner, name="assistant", scope="write")

    async def run() -> dict[str, Any]:
        async with _http_client(http_server, secret) as client:
            return await _exercise(client, people)

    _check(anyio.run(run), people, owner)


def test_http_refuses_a_missing_token_and_read_tokens_cannot_write(
    http_server: str, owner: User, people: dict[str, Any]
) -> None:
    response = httpx2.post(http_server, json={"jsonrpc": "2.0", "id": 1, "method": "ping"})
    assert response.status_code == 401 and response.headers["www-authenticate"].startswith("Bearer")
    _, secret = AccessToken.issue(owner=owner, name="reader", scope="read")

    async def run() -> tuple[Any, Any, Any, list[Any]]:
        async with _http_client(http_server, secret) as client:
            read = await client.call_tool("search_contacts", {"query": "ana"})
            write = await client.call_tool(
                "log_interaction", {"contact_ids": [people["ana"].pk], "summary": "x"}
            )
            foreign = await client.call_tool("contact_summary", {"contact_id": 10**6})
            junk = [
                await client.call_tool(name, arguments)
                for name, arguments in (
                    ("contact_summary", {"contact_id": 2**70}),
                    ("search_contacts", {"query": "\x00", "limit": 10**9}),
                    ("who_can_introduce", {"company": "", "min_trust": "best_friend"}),
                    ("this_week", {"trust": "everyone?"}),
                )
            ]
            return read, write, foreign, junk

    read, write, foreign, junk = anyio.run(run)
    for result in junk:  # refused with a reason; a crash says only "Error executing tool x"
        text = result.content[0].text
        assert result.is_error and ":" in text and text.split(":", 1)[1].strip(), text
    assert not read.is_error
    assert write.is_error and "read-only" in write.content[0].text
    assert foreign.is_error and "Not found" in foreign.content[0].text
    assert not Interaction.objects.exists()


@override_settings(API_REQUESTS_PER_MINUTE=3)
@time_machine.travel(dt.datetime(2026, 12, 2, 12, 0, 0, tzinfo=dt.UTC))  # a minute's start
def test_a_token_shares_one_throttle_between_the_api_and_the_assistant(
    http_server: str, owner: User, people: dict[str, Any]
) -> None:
    _, secret = AccessToken.issue(owner=owner, name="busy", scope="read")  # a fresh counter
    api = DjangoClient(headers={"Authorization": f"Bearer {secret}"})
    assert api.get("/api/v1/contacts").status_code == 200

    async def run() -> list[Any]:
        async with _http_client(http_server, secret) as client:
            return [await client.call_tool("this_week", {}) for _ in range(3)]

    first, second, third = anyio.run(run)
    assert not first.is_error and not second.is_error
    assert third.is_error and "Too many requests" in third.content[0].text
    refused = api.get("/api/v1/contacts")
    assert refused.status_code == 429 and int(refused["Retry-After"]) >= 1


@pytest.mark.postgres
def test_every_tool_over_stdio(owner: User, people: dict[str, Any]) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("the subprocess needs the test database on PostgreSQL")
    _, secret = AccessToken.issue(owner=owner, name="desktop", scope="write")
    db = connection.settings_dict
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.settings",
        "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
    }
    params = StdioServerParameters(
        command=sys.executable,
        args=[str(ROOT / "manage.py"), "mcp", "--token", secret],
        env=env,
        cwd=str(ROOT),
    )

    async def run() -> dict[str, Any]:
        async with Client(params) as client:
            return await _exercise(client, people)

    _check(anyio.run(run), people, owner)


def test_http_answers_503_when_the_database_is_down(
    http_server: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    def down(secret: str) -> bool:
        raise OperationalError("connection refused")

    monkeypatch.setattr("api.mcp_http._token_is_live", down)
    response = httpx2.post(
        http_server,
        json={"jsonrpc": "2.0", "id": 1, "method": "ping"},
        headers={"Authorization": "Bearer rapport_whatever"},
    )
    assert response.status_code == 503 and "database" in response.json()["detail"]
