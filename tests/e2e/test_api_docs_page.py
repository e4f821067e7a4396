"""/api/docs in Chromium: Swagger UI runs from Rapport's own files under the strict CSP,
and a signed-in person can try a request from it."""

import pytest
from django.contrib.auth.models import User
from playwright.sync_api import ConsoleMessage, Page, Request, expect
from pytest_django.live_server_helper import LiveServer

from tests.e2e.conftest import open_as
from tests.factories import ContactFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def owner() -> User:
    return UserFactory(username="scripter")


def test_the_api_reference_renders_and_tries_a_request(
    page: Page, owner: User, live_server: LiveServer
) -> None:
    ContactFactory(owner=owner, first_name="Ada", last_name="Lovelace")
    problems: list[str] = []
    outside: list[str] = []

    def on_console(message: ConsoleMessage) -> None:
        if message.type == "error" or "Content Security Policy" in message.text:
            problems.append(message.text)

    def on_request(request: Request) -> None:
        if not request.url.startswith((live_server.url, "data:")):
            outside.append(request.url)

    page.on("pageerror", lambda error: problems.append(str(error)))
    page.on("console", on_console)
    page.on("request", on_request)
    open_as(page, owner, "/api/docs")
    operation = page.locator("#operations-Contacts-api_contacts_list_contacts")
    expect(operation).to_be_visible()
    operation.locator(".opblock-summary").first.click()
    page.get_by_role("button", name="Try it out").click()
    page.get_by_role("button", name="Execute").click()
    status = page.locator(".live-responses-table tbody .response-col_status").first
    expect(status).to_have_text("200")
    expect(page.locator(".live-responses-table").first).to_contain_text("Lovelace")
    assert not problems, problems
    assert not outside, outside
