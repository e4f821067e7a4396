"""Sign-up exists only when ALLOW_SIGNUP is on."""

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_it_is_a_404_when_sign_up_is_off(client: Client, settings) -> None:
    settings.ALLOW_SIGNUP = False
    assert client.get(reverse("signup")).status_code == 404
    response = client.post(
        reverse("signup"),
        {
            "username": "eve",
            "email": "eve@example.com",
            "password1": "x long password 99",
            "password2": "x long password 99",
        },
    )
    assert response.status_code == 404
    assert not User.objects.filter(username="eve").exists()
    assert b"Create an account" not in client.get(reverse("login")).content


def test_it_creates_an_account_and_logs_in_when_on(client: Client, settings) -> None:
    settings.ALLOW_SIGNUP = True
    assert b"Create an account" in client.get(reverse("login")).content
    response = client.post(
        reverse("signup"),
        {
            "username": "eve",
            "email": "eve@example.com",
            "password1": "x long password 99",
            "password2": "x long password 99",
        },
    )
    assert response.status_code == 302
    user = User.objects.get(username="eve")
    assert user.email == "eve@example.com"
    assert not user.is_staff
    assert client.get(reverse("contacts:list")).status_code == 200


def test_it_shows_errors_for_a_taken_name_or_mismatched_passwords(
    client: Client, settings, user: User
) -> None:
    settings.ALLOW_SIGNUP = True
    response = client.post(
        reverse("signup"),
        {
            "username": "alice",
            "email": "",
            "password1": "x long password 99",
            "password2": "something else 12",
        },
    )
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert {"username", "email", "password2"} <= set(errors)
    assert User.objects.count() == 1
