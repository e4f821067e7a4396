"""Requests as htmx sends them, and the in-place flows that pages share."""

from typing import Any

from django.test import Client

# What the test client needs to send htmx's header (as extra WSGI environ).
HX: dict[str, Any] = {"HTTP_HX_REQUEST": "true"}


def delete_in_place(client: Client, url: str, question: str) -> None:
    """Delete through the in-place dialog: it asks `question`, then the row says "Deleted"."""
    assert question in client.get(url, **HX).text
    response = client.post(url, **HX)
    assert response.status_code == 200 and "Deleted" in response.text
