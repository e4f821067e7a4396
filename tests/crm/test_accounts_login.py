"""Logging in and out."""

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_it_shows_a_labelled_login_form(client: Client) -> None:
    html = client.get(reverse("login")).content.decode()
    assert '<label for="id_username">Username</label>' in html
    assert '<label for="id_password">Password</label>' in html
    assert ">Log in</button>" in html
    assert reverse("password_reset") in html


def test_it_logs_in_and_goes_where_the_user_was_headed(client: Client, user: User) -> None:
    target = reverse("contacts:list")
    response = client.post(
        reverse("login"),
        {"username": "alice", "password": "correct horse battery staple", "next": target},
    )
    assert response.status_code == 302
    assert response["Location"] == target
    assert client.get(target).status_code == 200


def test_it_refuses_a_wrong_password_with_a_message(client: Client, user: User) -> None:
    response = client.post(reverse("login"), {"username": "alice", "password": "nope"})
    assert response.status_code == 200
    assert b"Please enter a correct username and password" in response.content
    assert "_auth_user_id" not in client.session


def test_it_ignores_a_next_url_on_another_site(client: Client, user: User) -> None:
    response = client.post(
        reverse("login"),
        {
            "username": "alice",
            "password": "correct horse battery staple",
            "next": "https://evil.example/",
        },
    )
    assert response["Location"] == reverse("home")


def test_anonymous_pages_send_visitors_to_log_in(client: Client) -> None:
    response = client.get(reverse("contacts:list"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_log_out_is_a_post_and_ends_the_session(auth_client: Client) -> None:
    assert auth_client.get(reverse("logout")).status_code == 405
    response = auth_client.post(reverse("logout"))
    assert response.status_code == 302
    assert response["Location"] == reverse("login")
    assert auth_client.get(reverse("contacts:list")).status_code == 302


def test_logging_out_says_so_on_the_log_in_page(auth_client: Client) -> None:
    response = auth_client.post(reverse("logout"), follow=True)

    assert response.redirect_chain[-1][0] == reverse("login")
    assert "You are logged out." in response.content.decode()
    again = auth_client.get(reverse("login")).content.decode()
    assert "You are logged out." not in again


def test_logging_out_twice_says_nothing(client: Client) -> None:
    response = client.post(reverse("logout"), follow=True)

    assert "You are logged out." not in response.content.decode()


def test_the_menu_has_a_log_out_form(auth_client: Client) -> None:
    html = auth_client.get(reverse("contacts:list")).content.decode()
    assert f'<form method="post" action="{reverse("logout")}">' in html


def test_an_admin_can_add_users_in_the_admin(client: Client) -> None:
    User.objects.create_superuser("root", "root@example.com", "a long admin password")
    client.login(username="root", password="a long admin password")
    page = client.get(reverse("admin:auth_user_add"))
    assert page.status_code == 200
    response = client.post(
        reverse("admin:auth_user_add"),
        {
            "username": "newbie",
            "usable_password": "true",
            "password1": "a brand new password 42",
            "password2": "a brand new password 42",
        },
    )
    assert response.status_code == 302
    assert User.objects.get(username="newbie").check_password("a brand new password 42")
