"""Every response carries the security headers, logged in or not."""

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from tests.types import ClientResponse


def _check(response: ClientResponse) -> None:
    headers = response.headers
    assert headers["X-Frame-Options"] == "DENY"
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "same-origin"
    assert headers["Cross-Origin-Opener-Policy"] == "same-origin"
    assert "frame-ancestors 'none'" in headers["Content-Security-Policy"]
    policy = headers["Permissions-Policy"]
    for feature in ("camera", "microphone", "geolocation"):
        assert f"{feature}=()" in policy


@pytest.mark.django_db
def test_public_pages_send_the_security_headers(client: Client) -> None:
    _check(client.get(reverse("account_login")))


@pytest.mark.django_db
def test_logged_in_pages_send_the_security_headers(auth_client: Client, user: User) -> None:
    _check(auth_client.get(reverse("contacts:list")))
