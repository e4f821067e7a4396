"""A strict Content Security Policy on every page, and pages that need nothing looser."""

from html.parser import HTMLParser

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from tests.factories import ContactFactory
from tests.types import ClientResponse

pytestmark = pytest.mark.django_db


class InlineCodeFinder(HTMLParser):
    """Collects what a strict CSP would block: inline scripts, styles and handlers."""

    def __init__(self) -> None:
        super().__init__()
        self.problems: list[str] = []
        self._in_inline_script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        names = {name for name, _ in attrs}
        if tag == "script" and "src" not in names:
            self._in_inline_script = True
        for name, value in attrs:
            if name.startswith("on") or name.startswith("hx-on"):
                self.problems.append(f"<{tag} {name}=…>")
            if name == "style":
                self.problems.append(f"<{tag} style=…>")
            if name in {"href", "src", "action"} and (value or "").lower().startswith(
                "javascript:"
            ):
                self.problems.append(f"<{tag} {name}=javascript:…>")
        if tag == "style":
            self.problems.append("<style> element")

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self._in_inline_script = False

    def handle_data(self, data: str) -> None:
        if self._in_inline_script and data.strip():
            self.problems.append(f"inline <script>: {data.strip()[:60]}")


def _pages(user: User) -> list[str]:
    introducer = ContactFactory(owner=user)
    contact = ContactFactory(owner=user, introduced_by=introducer, tags=["x"])
    return [
        reverse("contacts:list"),
        reverse("contacts:list") + "?q=a",
        reverse("contacts:new"),
        reverse("contacts:detail", args=[contact.pk]),
        reverse("contacts:detail", args=[introducer.pk]),
        reverse("contacts:edit", args=[contact.pk]),
        reverse("contacts:delete", args=[contact.pk]),
        reverse("account_change_password"),
    ]


def _check_policy(header: str) -> None:
    directives = dict(
        ([*part.strip().split(" ", 1), ""])[:2] for part in header.split(";") if part.strip()
    )
    assert directives["default-src"] == "'self'"
    assert directives["script-src"] == "'self'"
    assert directives["style-src"] == "'self'"
    assert directives["object-src"] == "'none'"
    assert directives["frame-ancestors"] == "'none'"
    assert "unsafe-inline" not in header and "unsafe-eval" not in header


def _check_page(response: ClientResponse, where: str) -> None:
    """The page is served with the strict policy and has no inline script or style."""
    assert response.status_code == 200, where
    _check_policy(response["Content-Security-Policy"])
    finder = InlineCodeFinder()
    finder.feed(response.content.decode())
    assert finder.problems == [], (where, finder.problems)


def test_logged_in_pages_send_a_strict_policy_and_have_no_inline_code(
    auth_client: Client, user: User
) -> None:
    for url in _pages(user):
        _check_page(auth_client.get(url), url)


def test_public_pages_send_a_strict_policy_and_have_no_inline_code(client: Client) -> None:
    for name in (
        "account_login",
        "account_reset_password",
        "account_reset_password_done",
        "account_reset_password_from_key_done",
    ):
        _check_page(client.get(reverse(name)), name)


def test_htmx_is_configured_for_a_strict_policy(client: Client) -> None:
    html = client.get(reverse("account_login")).content.decode()
    assert '"allowEval": false' in html
    assert '"includeIndicatorStyles": false' in html
    assert '"allowScriptTags": false' in html


def test_the_finder_would_catch_inline_code() -> None:
    finder = InlineCodeFinder()
    finder.feed('<script>alert(1)</script><p style="x" onclick="y" hx-on:click="z"></p>')
    assert len(finder.problems) == 4
