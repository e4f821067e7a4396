"""Changing a password, and resetting a forgotten one by email (django-allauth)."""

import re

import pytest
from django.contrib.auth.models import User
from django.core import mail
from django.test import Client
from django.urls import reverse

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

OLD = "correct horse battery staple"
NEW = "a much newer passphrase 2026"


def test_it_changes_the_password_and_stays_logged_in(auth_client: Client, user: User) -> None:
    page = auth_client.get(reverse("account_change_password"))
    assert page.status_code == 200
    assert "Change your password" in page.text
    response = auth_client.post(
        reverse("account_change_password"),
        {"oldpassword": OLD, "password1": NEW, "password2": NEW},
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password(NEW)
    assert auth_client.get(reverse("contacts:list")).status_code == 200


def test_it_refuses_a_wrong_old_password_or_a_weak_new_one(auth_client: Client, user: User) -> None:
    wrong = auth_client.post(
        reverse("account_change_password"),
        {"oldpassword": "nope", "password1": NEW, "password2": NEW},
    )
    assert wrong.status_code == 200
    assert "oldpassword" in wrong.context["form"].errors
    weak = auth_client.post(
        reverse("account_change_password"),
        {"oldpassword": OLD, "password1": "12345678", "password2": "12345678"},
    )
    assert weak.status_code == 200
    assert "password1" in weak.context["form"].errors
    user.refresh_from_db()
    assert user.check_password(OLD)


def _reset_link(body: str) -> str:
    match = re.search(r"(https?://\S+/accounts/password/reset/key/\S+/)", body)
    assert match, body
    return match.group(1)


def test_reset_email_links_use_base_url_even_with_a_forged_host(
    client: Client, user: User, settings
) -> None:
    settings.BASE_URL = "https://rapport.example.com"
    response = client.post(
        reverse("account_reset_password"), {"email": user.email}, HTTP_HOST="localhost"
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("account_reset_password_done")
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [user.email]
    link = _reset_link(str(message.body))
    assert link.startswith("https://rapport.example.com/accounts/password/reset/key/")
    assert "localhost" not in message.body


def test_the_reset_link_sets_a_new_password_once(client: Client, user: User) -> None:
    client.post(reverse("account_reset_password"), {"email": user.email})
    path = _reset_link(str(mail.outbox[0].body)).removeprefix("https://rapport.example.com")
    form_page = client.get(path, follow=True)
    assert form_page.status_code == 200
    set_url = form_page.redirect_chain[-1][0]
    response = client.post(set_url, {"password1": NEW, "password2": NEW})
    assert response.status_code == 302
    assert response["Location"] == reverse("account_reset_password_from_key_done")
    user.refresh_from_db()
    assert user.check_password(NEW)
    # The link is spent.
    again = Client().get(path, follow=True)
    assert "invalid" in again.text.lower()
    assert again.context["token_fail"]


def test_reset_for_an_unknown_address_looks_the_same_and_sends_nothing(client: Client) -> None:
    response = client.post(reverse("account_reset_password"), {"email": "nobody@example.com"})
    assert response.status_code == 302
    assert response["Location"] == reverse("account_reset_password_done")
    assert mail.outbox == []


def test_reset_pages_are_public(client: Client) -> None:
    for name in (
        "account_reset_password",
        "account_reset_password_done",
        "account_reset_password_from_key_done",
    ):
        assert client.get(reverse(name)).status_code == 200, name


def test_reset_emails_to_one_address_are_capped(client: Client, user: User) -> None:
    answers = [
        client.post(reverse("account_reset_password"), {"email": user.email}).status_code
        for _ in range(5)
    ]
    assert len(mail.outbox) == 3
    assert answers[:3] == [302, 302, 302]
    assert 302 not in answers[3:]


def test_reset_requests_from_one_client_are_capped(client: Client, db: None) -> None:
    users = [UserFactory(email=f"user{n}@example.com") for n in range(12)]
    for someone in users:
        client.post(reverse("account_reset_password"), {"email": someone.email})
    assert len(mail.outbox) == 10
    # Another client is not affected.
    Client(REMOTE_ADDR="198.51.100.20").post(
        reverse("account_reset_password"), {"email": users[-1].email}
    )
    assert len(mail.outbox) == 11
