import datetime as dt
from collections.abc import Callable, Iterator
from typing import Any

import pytest
import time_machine
from django.contrib.auth.models import User
from django.test import Client

from api.models import AccessToken, TokenScope

TODAY = dt.datetime(2026, 12, 2, 12, tzinfo=dt.UTC)  # a Wednesday


class ApiClient:
    """A test client that sends a bearer token and JSON bodies."""

    def __init__(self, secret: str) -> None:
        self.client = Client(enforce_csrf_checks=True)
        self.headers = {"Authorization": f"Bearer {secret}"}

    def get(self, url: str, data: dict[str, Any] | None = None) -> Any:
        return self.client.get(url, data or {}, headers=self.headers)

    def _send(self, method: str, url: str, body: Any) -> Any:
        return getattr(self.client, method)(
            url, body, content_type="application/json", headers=self.headers
        )

    def post(self, url: str, body: Any = None) -> Any:
        return self._send("post", url, body if body is not None else {})

    def patch(self, url: str, body: Any) -> Any:
        return self._send("patch", url, body)

    def delete(self, url: str) -> Any:
        return self.client.delete(url, headers=self.headers)


@pytest.fixture
def make_api() -> Callable[..., ApiClient]:
    def make(owner: User, scope: str = TokenScope.WRITE) -> ApiClient:
        _, secret = AccessToken.issue(owner=owner, name=f"test {scope}", scope=scope)
        return ApiClient(secret)

    return make


@pytest.fixture
def api(user: User, make_api: Callable[..., ApiClient]) -> ApiClient:
    return make_api(user)


@pytest.fixture
def read_api(user: User, make_api: Callable[..., ApiClient]) -> ApiClient:
    return make_api(user, TokenScope.READ)


@pytest.fixture
def frozen() -> Iterator[None]:
    """The clock stands still at noon on TODAY (use it with `usefixtures("frozen")`)."""
    with time_machine.travel(TODAY, tick=False):
        yield
