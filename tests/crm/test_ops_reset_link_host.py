"""Password-reset links come from BASE_URL, never from the request's Host header."""

import re
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.core import mail
from django.core.mail import EmailMultiAlternatives
from django.test import Client
from django.urls import reverse
from pytest_django import Settings

FORGED = "evil.example"


@pytest.fixture
def reset_user(db: None) -> User:
    return User.objects.create_user("alice", "alice@example.com", "correct horse battery")


def _request_reset(client: Client, **headers: Any) -> int:
    response = client.post(
        reverse("account_reset_password"), {"email": "alice@example.com"}, **headers
    )
    return response.status_code


def test_it_builds_the_link_from_base_url_even_when_any_host_is_allowed(
    client: Client, reset_user: User, settings: Settings
) -> None:
    # The worst case: a careless ALLOWED_HOSTS and a proxy passing X-Forwarded-Host on.
    settings.ALLOWED_HOSTS = ["*"]
    settings.USE_X_FORWARDED_HOST = True
    status = _request_reset(
        client, HTTP_HOST=FORGED, HTTP_X_FORWARDED_HOST=FORGED, HTTP_ORIGIN=f"https://{FORGED}"
    )
    assert status == 302
    assert len(mail.outbox) == 1
    email = mail.outbox[0]
    assert isinstance(email, EmailMultiAlternatives)
    everything = f"{email.subject}{email.body}" + "".join(str(a[0]) for a in email.alternatives)
    assert FORGED not in everything
    links = re.findall(r"https?://[^\s\"'<>]+", everything)
    reset_links = [link for link in links if "/reset/" in link]
    assert reset_links, email.body
    assert all(link.startswith(settings.BASE_URL + "/") for link in reset_links)


def test_a_host_outside_allowed_hosts_gets_400_and_no_email(
    client: Client, reset_user: User
) -> None:
    assert _request_reset(client, HTTP_HOST=FORGED) == 400
    assert mail.outbox == []
