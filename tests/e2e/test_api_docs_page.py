"""/api/docs in Chromium: Swagger UI runs from Rapport's own files under the strict CSP,
and a signed-in person can try a request from it."""

import pytest
from django.contrib.auth.models import User
from playwright.sync_api import Page, expect

from tests.e2e.conftest import log_in
from tests.factories import ContactFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def owner() -> User:
    return UserFactory(username="scripter")


def test_the_api_reference_renders_and_tries_a_request(page: Page, owner: User) -> None:
    ContactFactory(owner=owner, first_name="Ada", last_name="Lovelace")
    problems: list[str] = []
    page.on("pageerror", lambda error: problems.append(str(error)))
    page.on(
        "console",
        lambda message: (
            problems.append(message.text)
            if message.type == "error" or "Content Security Policy" in message.text
            else None
        ),
    )
    outside: list[str] = []
    page.on(
        "request",
        lambda request: (
            outside.append(request.url)
            if not request.url.startswith(page.context.pages[0].url.split("/api/")[0])
            and not request.url.startswith("data:")
            else None
        ),
    )
    log_in(page, owner)
    page.goto("/api/docs")
    operation = page.locator("#operations-Contacts-api_contacts_list_contacts")
    expect(operation).to_be_visible()
    operation.locator(".opblock-summary").first.click()
    page.get_by_role("button", name="Try it out").click()
    page.get_by_role("button", name="Execute").click()
    expect(page.locator(".live-responses-table .response-col_status").first).to_have_text("200")
    expect(page.locator(".live-responses-table").first).to_contain_text("Lovelace")
    assert not problems, problems
    assert not outside, outside
