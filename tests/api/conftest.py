from collections.abc import Callable
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client

from api.models import AccessToken, TokenScope


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
