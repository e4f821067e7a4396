"""Pages for a logged-in person are `Cache-Control: private, no-store`, every one of them."""

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from tests.test_ownership_sweep import ALL_PATTERNS, CASES
from tests.test_robustness_sweep import SESSION_ENDING, _public_kwargs


@pytest.mark.parametrize("name", [n for n, _ in ALL_PATTERNS if n not in SESSION_ENDING])
@pytest.mark.django_db
def test_every_logged_in_html_page_is_private_and_not_stored(
    name: str, user: User, auth_client: Client
) -> None:
    kwargs = CASES[name].make(user)[0] if name in CASES else _public_kwargs(name, user)
    url = reverse(name, kwargs=kwargs)
    for headers in ({}, {"HX-Request": "true"}):
        response = auth_client.get(url, headers=headers)
        if not response.get("Content-Type", "").startswith("text/html"):
            continue
        control = response.get("Cache-Control", "")
        assert "private" in control and "no-store" in control, f"{url}: {control!r}"


@pytest.mark.django_db
def test_a_logged_in_page_says_private_no_store(auth_client: Client) -> None:
    response = auth_client.get(reverse("contacts:list"))
    assert response["Cache-Control"] == "private, no-store"
