import base64
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client

from carddav.models import AppPassword
from tests.carddav.messages import COLLECTION, SYNC


class DavClient:
    """A test client that signs in with an app password, as phones do."""

    def __init__(self, user: User, secret: str) -> None:
        self.client = Client()
        token = base64.b64encode(f"{user.get_username()}:{secret}".encode()).decode()
        self.auth = {"HTTP_AUTHORIZATION": f"Basic {token}"}

    def request(self, method: str, path: str, body: str | bytes = b"", **headers: str) -> Any:
        data = body.encode() if isinstance(body, str) else body
        extra: dict[str, Any] = {**self.auth, **headers}
        return self.client.generic(method, path, data, content_type="application/xml", **extra)

    def sync(self, token: str = "") -> Any:
        """A sync-collection REPORT from `token` on (from scratch without one)."""
        return self.request("REPORT", COLLECTION, SYNC.format(token=token))


@pytest.fixture
def app_secret(user: User) -> str:
    return AppPassword.issue(owner=user, name="Test phone")[1]


@pytest.fixture
def dav(user: User, app_secret: str) -> DavClient:
    return DavClient(user, app_secret)
