"""Sign-up exists only when ALLOW_SIGNUP is on, and then proves the email address."""

import re

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth.models import User
from django.core import mail
from django.test import Client
from django.urls import reverse

pytestmark = pytest.mark.django_db

FORM = {
    "username": "eve",
    "email": "eve@example.com",
    "password1": "x long password 99",
    "password2": "x long password 99",
}


def test_it_is_closed_when_sign_up_is_off(client: Client, settings) -> None:
    settings.ALLOW_SIGNUP = False
    assert "Sign-up is closed" in client.get(reverse("account_signup")).text
    client.post(reverse("account_signup"), FORM)
    assert not User.objects.filter(username="eve").exists()
    assert "Create an account" not in client.get(reverse("account_login")).text


def test_it_creates_an_account_and_asks_to_verify_the_address_when_on(
    client: Client, settings
) -> None:
    settings.ALLOW_SIGNUP = True
    settings.ACCOUNT_EMAIL_VERIFICATION = "mandatory"
    assert "Create an account" in client.get(reverse("account_login")).text
    response = client.post(reverse("account_signup"), FORM)
    assert response.status_code == 302
    user = User.objects.get(username="eve")
    assert user.email == "eve@example.com"
    assert not user.is_staff
    # Not in before the address is confirmed.
    assert client.get(reverse("contacts:list")).status_code == 302
    assert len(mail.outbox) == 1
    link = re.search(
        r"https://rapport\.example\.com(/accounts/confirm-email/\S+/)", str(mail.outbox[0].body)
    )
    assert link, str(mail.outbox[0].body)
    client.post(link.group(1))
    assert EmailAddress.objects.get(user=user).verified
    client.post(reverse("account_login"), {"login": "eve", "password": FORM["password1"]})
    assert client.get(reverse("contacts:list")).status_code == 200


def test_it_shows_errors_for_a_taken_name_or_mismatched_passwords(
    client: Client, settings, user: User
) -> None:
    settings.ALLOW_SIGNUP = True
    response = client.post(
        reverse("account_signup"),
        {**FORM, "username": "alice", "email": "", "password2": "something else 12"},
    )
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert {"username", "email"} <= set(errors)
    assert User.objects.count() == 1
