"""Requests: the cautious choice looks like the default, and the tab counts follow decisions."""

import re

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from tests.factories import ConnectionRequestFactory

pytestmark = pytest.mark.django_db


def _decide(client: Client, pk: int, action: str, htmx: bool) -> str:
    headers = {"HX-Request": "true"} if htmx else {}
    response = client.post(
        reverse("contacts:request_decide", args=[pk]),
        {f"r{pk}-action": action},
        headers=headers,
        follow=not htmx,
    )
    assert response.status_code == 200
    return response.content.decode()


def test_follow_only_is_the_primary_button_and_enter_picks_nothing(
    auth_client: Client, user: User
) -> None:
    ConnectionRequestFactory(owner=user)
    html = auth_client.get(reverse("contacts:requests")).content.decode()
    primary = re.findall(r"<button[^>]*button--primary[^>]*>([^<]*)<", html)
    assert primary == ["Follow only"]
    form = html[html.index('class="request-form"') :]
    first_button = re.search(r"<button[^>]*>", form)
    assert first_button is not None and "disabled" in first_button.group(0)


def test_a_decision_over_htmx_updates_the_tab_counts_out_of_band(
    auth_client: Client, user: User
) -> None:
    first, _second = ConnectionRequestFactory.create_batch(2, owner=user)
    html = _decide(auth_client, first.pk, "ignore", htmx=True)
    assert f'id="request-{first.pk}"' in html
    assert 'id="request-tabs" hx-swap-oob="true"' in html
    assert "Pending (1)" in html and "Decided (1)" in html


def test_without_javascript_the_page_after_a_decision_counts_right(
    auth_client: Client, user: User
) -> None:
    first, _second = ConnectionRequestFactory.create_batch(2, owner=user)
    html = _decide(auth_client, first.pk, "follow", htmx=False)
    assert "Pending (1)" in html and "Decided (1)" in html
    assert "hx-swap-oob" not in html
