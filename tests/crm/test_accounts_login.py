"""Logging in and out (django-allauth with Rapport's form and pages)."""

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery staple"


def test_it_shows_a_labelled_login_form(client: Client) -> None:
    html = client.get(reverse("account_login")).content.decode()
    assert '<label for="id_login">Username or email</label>' in html
    assert '<label for="id_password">Password</label>' in html
    assert ">Log in</button>" in html
    assert reverse("account_reset_password") in html


@pytest.mark.parametrize(
    "login", ["alice", "ALICE", "alice@example.com", "\uff41\uff4c\uff49\uff43\uff45"]
)
def test_it_logs_in_by_username_any_spelling_or_email(
    client: Client, user: User, login: str
) -> None:
    target = reverse("contacts:list")
    response = client.post(
        reverse("account_login"), {"login": login, "password": PASSWORD, "next": target}
    )
    assert response.status_code == 302
    assert response["Location"] == target
    assert client.get(target).status_code == 200


def test_it_refuses_a_wrong_password_with_a_message(client: Client, user: User) -> None:
    response = client.post(reverse("account_login"), {"login": "alice", "password": "nope"})
    assert response.status_code == 200
    assert "username and/or password you specified are not correct" in response.text
    assert "_auth_user_id" not in client.session


def test_it_ignores_a_next_url_on_another_site(client: Client, user: User) -> None:
    response = client.post(
        reverse("account_login"),
        {"login": "alice", "password": PASSWORD, "next": "https://evil.example/"},
    )
    assert response["Location"] == reverse("home")


def test_anonymous_pages_send_visitors_to_log_in(client: Client) -> None:
    response = client.get(reverse("contacts:list"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_log_out_asks_on_get_and_ends_the_session_on_post(auth_client: Client) -> None:
    page = auth_client.get(reverse("account_logout"))
    assert page.status_code == 200
    assert "Log out of Rapport?" in page.text
    assert auth_client.get(reverse("contacts:list")).status_code == 200
    response = auth_client.post(reverse("account_logout"))
    assert response.status_code == 302
    assert response["Location"] == reverse("account_login")
    assert auth_client.get(reverse("contacts:list")).status_code == 302


def test_logging_out_says_so_on_the_log_in_page(auth_client: Client) -> None:
    response = auth_client.post(reverse("account_logout"), follow=True)

    assert response.redirect_chain[-1][0] == reverse("account_login")
    assert "You are logged out." in response.content.decode()
    again = auth_client.get(reverse("account_login")).content.decode()
    assert "You are logged out." not in again


def test_the_menu_has_a_log_out_form_and_the_security_page(auth_client: Client) -> None:
    html = auth_client.get(reverse("contacts:list")).content.decode()
    assert f'<form method="post" action="{reverse("account_logout")}">' in html
    assert f'href="{reverse("security")}"' in html


def test_the_admin_logs_in_through_rapports_log_in_page(client: Client) -> None:
    User.objects.create_superuser("root", "root@example.com", "a long admin password")
    response = client.get(reverse("admin:login") + "?next=/admin/")
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
    client.post(reverse("account_login"), {"login": "root", "password": "a long admin password"})
    assert client.get(reverse("admin:index")).status_code == 200


def test_an_admin_can_add_users_in_the_admin_who_can_then_log_in(client: Client) -> None:
    User.objects.create_superuser("root", "root@example.com", "a long admin password")
    client.login(username="root", password="a long admin password")
    assert client.get(reverse("admin:auth_user_add")).status_code == 200
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
    newbie = Client()
    answer = newbie.post(
        reverse("account_login"), {"login": "newbie", "password": "a brand new password 42"}
    )
    assert answer.status_code == 302
