"""The 400/403/404/500 pages explain themselves in plain words and offer a way back."""

import pytest
from django.contrib.auth.models import User
from django.template.loader import render_to_string
from django.test import Client
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_a_missing_page_keeps_the_navigation_for_a_logged_in_user(auth_client: Client) -> None:
    response = auth_client.get(reverse("contacts:detail", args=[999_999]))

    assert response.status_code == 404
    html = response.content.decode()
    assert "This page does not exist" in html
    assert 'aria-label="Main"' in html
    assert f'href="{reverse("home")}">Go to This week</a>' in html


def test_a_missing_page_offers_an_anonymous_visitor_the_log_in(client: Client) -> None:
    response = client.get("/no-such-page/")

    assert response.status_code == 404
    html = response.content.decode()
    assert "This page does not exist" in html
    assert f'href="{reverse("account_login")}">Log in</a>' in html


def test_an_expired_form_says_so_instead_of_a_bare_csrf_error(user: User) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)

    response = client.post(reverse("contacts:new"), {"first_name": "Ada"})

    assert response.status_code == 403
    html = response.content.decode()
    assert "This form has expired" in html
    assert "CSRF verification failed" not in html


def test_the_server_error_page_needs_no_request_or_database() -> None:
    html = render_to_string("500.html")

    assert "Something went wrong on our side" in html
    assert f'href="{reverse("home")}">Back to Rapport</a>' in html
    assert "<script" not in html and "style=" not in html


@pytest.mark.parametrize(
    ("name", "heading"),
    [
        ("400.html", "Rapport could not understand that request"),
        ("403.html", "You can&#x27;t open this page"),
        ("404.html", "This page does not exist"),
        ("403_csrf.html", "This form has expired"),
    ],
)
def test_every_error_page_has_one_heading_and_a_way_back(name: str, heading: str) -> None:
    html = render_to_string(name)

    assert html.count("<h1") == 1
    assert f'<h1 id="error-heading">{heading}</h1>' in html
    assert 'class="button button--primary"' in html
