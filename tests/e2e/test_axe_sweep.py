"""axe-core on every signed-in page, at desktop and phone width: no serious or critical issue.

The pages come from the URL resolver, as in tests/test_accessibility_sweep.py (which checks
the HTML itself); this sweep renders each one in Chromium and runs axe-core
(node_modules/axe-core, installed from package.json by `make test`), which also judges what
only a browser knows: colour contrast, focus, landmarks and heading order. At phone width
it also checks that no page is wider than the screen.
"""

import json
import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse
from playwright.sync_api import Browser, Page, ViewportSize
from pytest_django.live_server_helper import LiveServer

from contacts.models import TrustLevel
from tests.e2e.conftest import ARTIFACTS, log_in, open_as
from tests.factories import (
    ConnectionRequestFactory,
    ContactEmailFactory,
    ContactFactory,
    PositionFactory,
    UserFactory,
)
from tests.test_accessibility_sweep import _html_pages, _page_urls, _seed

pytestmark = pytest.mark.django_db(transaction=True)

AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
SIZES: dict[str, ViewportSize] = {
    "desktop": {"width": 1280, "height": 800},
    "phone": {"width": 375, "height": 812},
}
BLOCKING = {"critical", "serious"}


def _axe_source() -> str:
    if not AXE.exists():
        if os.environ.get("CI"):
            pytest.fail(f"{AXE} is missing: `make test` installs it with npm ci")
        pytest.skip("axe-core is not installed (run `npm ci` or `make test`)")
    return AXE.read_text()


LONG_NAME = "Wolfeschlegelsteinhausenbergerdorffvoralternwarengewissenhaft"
LONG_URL = "https://www.linkedin.com/in/" + "a-very-long-profile-name-without-breaks" * 3


@pytest.fixture
def owner() -> User:
    user = UserFactory(username="axe", is_staff=True)
    # Long unbroken names, companies and addresses must wrap on a phone, not widen the page.
    person = ContactFactory(
        owner=user,
        first_name="Maximiliane-Alexandrina",
        last_name=LONG_NAME,
        linkedin_url=LONG_URL,
        met_at=LONG_NAME,
        how_we_met=f"At {LONG_URL}/events/{LONG_NAME}",
        notes=f"See {LONG_URL}",
        trust_level=TrustLevel.CLOSE,
    )
    ContactEmailFactory(contact=person, email=f"{LONG_NAME.lower()}@{LONG_NAME.lower()}.example")
    PositionFactory(contact=person, company=LONG_NAME + " International", title=LONG_NAME)
    ConnectionRequestFactory(owner=user, name=f"Request {LONG_NAME}", linkedin_url=LONG_URL)
    return user


@pytest.fixture(params=list(SIZES))
def sized_page(
    request: pytest.FixtureRequest, browser: Browser, live_server: LiveServer
) -> Iterator[tuple[str, Page]]:
    # Playwright injects axe as an inline script, which the app's strict CSP would block.
    context = browser.new_context(
        base_url=live_server.url, viewport=SIZES[request.param], bypass_csp=True
    )
    context.set_default_timeout(15_000)
    yield request.param, context.new_page()
    context.close()


def _violations(page: Page, axe: str) -> list[dict]:
    page.add_script_tag(content=axe)
    result = page.evaluate(
        "async () => { const r = await axe.run(document, {resultTypes: ['violations']});"
        " return r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,"
        " nodes: v.nodes.slice(0, 3).map(n => n.target.join(' ') + ': ' +"
        " (n.failureSummary || '').split('\\n').slice(1, 2).join(''))})); }"
    )
    return [v for v in result if v["impact"] in BLOCKING]


def test_every_page_has_no_serious_accessibility_violations_and_fits_a_phone(
    sized_page: tuple[str, Page], owner: User
) -> None:
    size, page = sized_page
    axe = _axe_source()
    extra = _seed(owner)
    client = Client()
    client.force_login(owner)
    person = owner.contacts.get(last_name=LONG_NAME)
    extra += [person.get_absolute_url(), reverse("contacts:edit", args=[person.pk])]
    extra += [reverse("contacts:list") + "?q=" + LONG_NAME[:12]]
    urls = list(_html_pages(client, _page_urls(owner) + extra))
    assert len(urls) >= 40, urls  # the sweep really covers the app
    log_in(page, owner)
    found: dict[str, list[dict]] = {}
    too_wide: dict[str, int] = {}
    for url in urls:
        page.goto(url)
        page.wait_for_load_state("load")
        if violations := _violations(page, axe):
            found[url] = violations
        if size == "phone":
            width = page.evaluate("document.documentElement.scrollWidth")
            if width > SIZES["phone"]["width"]:
                too_wide[url] = width
    if found:
        # The full list, for fixing them all in one go (CI keeps test-artifacts/).
        ARTIFACTS.mkdir(exist_ok=True)
        (ARTIFACTS / f"axe-{size}.json").write_text(json.dumps(found, indent=1))
    assert not found, json.dumps(found, indent=1)
    assert not too_wide, f"pages wider than a 375 px phone: {too_wide}"


def _contrast(page: Page, selector: str) -> float:
    """WCAG contrast of an element's text on its own background, as the browser paints it."""
    return page.locator(selector).first.evaluate(
        """el => {
          const rgb = (c) => c.match(/[\\d.]+/g).slice(0, 3).map(Number);
          const lum = ([r, g, b]) => [r, g, b].map((v) => {
            v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
          }).reduce((sum, v, i) => sum + v * [0.2126, 0.7152, 0.0722][i], 0);
          const style = getComputedStyle(el);
          const pair = [lum(rgb(style.color)), lum(rgb(style.backgroundColor))];
          const [a, b] = pair.sort((x, y) => y - x);
          return (a + 0.05) / (b + 0.05);
        }"""
    )


def test_the_red_delete_button_keeps_its_contrast_on_hover(
    browser: Browser, live_server: LiveServer, owner: User
) -> None:
    contact = ContactFactory(owner=owner)
    context = browser.new_context(base_url=live_server.url)
    page = context.new_page()
    open_as(page, owner, reverse("contacts:delete", args=[contact.pk]))
    button = ".button--danger"
    assert _contrast(page, button) >= 4.5
    page.locator(button).first.hover()
    page.wait_for_timeout(300)  # any transition
    assert _contrast(page, button) >= 4.5
    context.close()
