"""Browser journeys in real headless Chromium (Debian's package), driven by Playwright.

`playwright install` cannot download browsers here, so we always launch
/usr/bin/chromium. Without it the journeys skip locally and fail in CI.
"""

import os
import shutil
from collections.abc import Generator, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pluggy
import pytest
from django.contrib.auth.models import User

from crm.models import UserSettings
from reminders.models import Reminder
from tests.factories import UserFactory, maya_started_at_northwind

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "tests/e2e/" in str(item.fspath):
            item.add_marker(pytest.mark.e2e)


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    if not Path(CHROMIUM).exists() and not shutil.which("chromium"):
        if os.environ.get("CI"):
            pytest.fail(f"Chromium is required in CI but {CHROMIUM} is missing")
        pytest.skip("Chromium is not installed (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield browser
        browser.close()


@contextmanager
def browser_page(browser: Any, live_server: Any, **options: Any) -> Iterator[Any]:
    """A page in a fresh browser context on the live server, closed afterwards.

    `options` go to Playwright's new_context: a `viewport` for a phone, `is_mobile`, ...
    """
    context = browser.new_context(base_url=live_server.url, **options)
    context.set_default_timeout(10_000)
    try:
        yield context.new_page()
    finally:
        context.close()


@pytest.fixture
def page(browser, live_server, request: pytest.FixtureRequest) -> Iterator[object]:
    with browser_page(browser, live_server, java_script_enabled=True) as page:
        yield page
        if getattr(request.node, "rep_call", None) is not None and request.node.rep_call.failed:
            ARTIFACTS.mkdir(exist_ok=True)
            page.screenshot(path=str(ARTIFACTS / f"{request.node.name}.png"), full_page=True)


@pytest.fixture
def nojs_page(browser, live_server) -> Iterator[object]:
    """A page with JavaScript off, for the no-JS fallbacks."""
    with browser_page(browser, live_server, java_script_enabled=False) as page:
        yield page


@pytest.fixture
def owner() -> User:
    """Whose journey it is; a file that needs someone with contacts overrides it."""
    return UserFactory(username="journey")


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(
    item: pytest.Item, call: pytest.CallInfo
) -> Generator[None, pluggy.Result[pytest.TestReport]]:
    outcome = yield
    report = outcome.get_result()
    setattr(item, f"rep_{report.when}", report)


def log_in(page, user: User, password: str = "correct horse battery staple") -> None:  # noqa: S107
    """Log in through the real login form."""
    page.goto("/accounts/login/")
    page.get_by_label("Username").fill(user.username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in", exact=True).click()
    page.wait_for_load_state()


def open_as(page, user: User, url: str) -> None:
    """Log `user` in through the real login form, then open `url`."""
    log_in(page, user)
    page.goto(url)


def watch_reloads(page) -> None:
    """Mark the open document, so that assert_not_reloaded() can tell a swap from a reload."""
    page.evaluate("window.__sameDocument = true")


def assert_not_reloaded(page) -> None:
    """The document marked by watch_reloads() is still the one shown (htmx swapped parts)."""
    assert page.evaluate("window.__sameDocument === true"), "the page reloaded"


def maya_changed_jobs(owner: User) -> Reminder:
    """The dashboard journeys' lead: Maya Okafor started at Northwind Ventures as Partner today."""
    return maya_started_at_northwind(owner, on=UserSettings.for_user(owner).today())


def draft_note_to_maya(page, entry, signed: str) -> Any:
    """Open the note to maya_changed_jobs()'s Maya from her entry on the board: it starts
    as the job-change letter, signed `signed`. Returns the note's text box."""
    from playwright.sync_api import expect

    entry.get_by_role("button", name="Draft note").click()
    expect(page.get_by_role("heading", name="Note to Maya Okafor")).to_be_visible()
    body = page.get_by_label("Note")
    expect(body).to_have_value(
        "Hi Maya,\n\nI just saw that you started at Northwind Ventures as Partner. "
        f"Congratulations! I hope the first weeks are going well.\n\nAll the best,\n{signed}"
    )
    return body
