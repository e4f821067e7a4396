"""Changing a password, and resetting a forgotten one by email."""

import re

import pytest
from django.contrib.auth.models import User
from django.core import mail
from django.test import Client
from django.urls import reverse

from crm.ratelimit import RESET_PER_CLIENT, RESET_PER_EMAIL
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

OLD = "correct horse battery staple"
NEW = "a much newer passphrase 2026"


def test_it_changes_the_password(auth_client: Client, user: User) -> None:
    page = auth_client.get(reverse("password_change"))
    assert page.status_code == 200
    assert b"Change your password" in page.content
    response = auth_client.post(
        reverse("password_change"),
        {"old_password": OLD, "new_password1": NEW, "new_password2": NEW},
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("password_change_done")
    user.refresh_from_db()
    assert user.check_password(NEW)
    # Still logged in in this browser.
    assert auth_client.get(reverse("password_change_done")).status_code == 200


def test_it_refuses_a_wrong_old_password_or_a_weak_new_one(auth_client: Client, user: User) -> None:
    wrong = auth_client.post(
        reverse("password_change"),
        {"old_password": "nope", "new_password1": NEW, "new_password2": NEW},
    )
    assert wrong.status_code == 200
    assert "old_password" in wrong.context["form"].errors
    weak = auth_client.post(
        reverse("password_change"),
        {"old_password": OLD, "new_password1": "12345678", "new_password2": "12345678"},
    )
    assert weak.status_code == 200
    assert "new_password2" in weak.context["form"].errors
    user.refresh_from_db()
    assert user.check_password(OLD)


def _reset_link(body: str) -> str:
    match = re.search(r"(https?://\S+/accounts/password/reset/\S+/\S+/)", body)
    assert match, body
    return match.group(1)


def test_reset_email_links_use_base_url_even_with_a_forged_host(
    client: Client, user: User, settings
) -> None:
    settings.BASE_URL = "https://rapport.example.com"
    response = client.post(
        reverse("password_reset"), {"email": user.email}, HTTP_HOST="localhost:8000"
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("password_reset_done")
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [user.email]
    link = _reset_link(str(message.body))
    assert link.startswith("https://rapport.example.com/accounts/password/reset/")
    assert "localhost" not in message.body


def test_the_reset_link_sets_a_new_password_once(client: Client, user: User) -> None:
    client.post(reverse("password_reset"), {"email": user.email})
    path = _reset_link(str(mail.outbox[0].body)).removeprefix("https://rapport.example.com")
    form_page = client.get(path, follow=True)
    assert form_page.status_code == 200
    assert b"Choose a new password" in form_page.content
    set_url = form_page.redirect_chain[-1][0]
    response = client.post(set_url, {"new_password1": NEW, "new_password2": NEW})
    assert response.status_code == 302
    assert response["Location"] == reverse("password_reset_complete")
    user.refresh_from_db()
    assert user.check_password(NEW)
    # The link is spent.
    again = Client().get(path, follow=True)
    assert b"This link no longer works" in again.content


def test_reset_for_an_unknown_address_looks_the_same_and_sends_nothing(client: Client) -> None:
    response = client.post(reverse("password_reset"), {"email": "nobody@example.com"})
    assert response.status_code == 302
    assert response["Location"] == reverse("password_reset_done")
    assert mail.outbox == []


def test_reset_pages_are_public(client: Client) -> None:
    for name in ("password_reset", "password_reset_done", "password_reset_complete"):
        assert client.get(reverse(name)).status_code == 200, name


def test_reset_emails_to_one_address_are_capped(client: Client, user: User) -> None:
    for _ in range(5):
        response = client.post(reverse("password_reset"), {"email": user.email})
        # Refused requests look exactly like sent ones.
        assert response.status_code == 302
        assert response["Location"] == reverse("password_reset_done")
    assert len(mail.outbox) == RESET_PER_EMAIL


def test_reset_requests_from_one_client_are_capped(client: Client, db: None) -> None:
    users = [UserFactory(email=f"user{n}@example.com") for n in range(RESET_PER_CLIENT + 2)]
    for someone in users:
        client.post(reverse("password_reset"), {"email": someone.email})
    assert len(mail.outbox) == RESET_PER_CLIENT
    # Another client is not affected.
    Client(REMOTE_ADDR="198.51.100.20").post(reverse("password_reset"), {"email": users[-1].email})
    assert len(mail.outbox) == RESET_PER_CLIENT + 1
