"""Back, reload and boosted links never show a fragment, on any page.

Pages that answer htmx with a piece of themselves push their URL into the history
(`hx-push-url`). When the browser comes back to such a URL and htmx's history cache
misses, htmx asks again with `HX-Request` *and* `HX-History-Restore-Request` and swaps
the answer in as the whole body: a fragment there is a broken page. Boosted requests
(`HX-Boosted`) replace the whole body too.

The sweep walks every URL pattern like tests/test_ownership_sweep.py (objects from the
tests/ownership/cases_*.py factories), so a new page is covered the moment it is routed:
every URL that is a whole page without htmx must be a whole page for those requests.
"""

import pytest
from django.contrib.auth.models import User
from django.http import HttpResponse
from django.test import Client, RequestFactory
from django.urls import reverse
from django_htmx.middleware import HtmxMiddleware

from contacts.models import TrustLevel
from crm.htmx import render_page_or_partial, wants_partial
from tests.factories import ContactFactory, PositionFactory, UserFactory
from tests.test_ownership_sweep import ALL_PATTERNS, CASES, PUBLIC, TAKES_ARGUMENTS
from tests.types import ClientResponse

HTMX = {"HX-Request": "true"}
RESTORE = {**HTMX, "HX-History-Restore-Request": "true"}
BOOSTED = {**HTMX, "HX-Boosted": "true"}
# Searches and pages are what get pushed into the history; every URL is tried with them.
QUERIES = ("", "?q=Ada", "?q=Ada&page=1")


def _is_page(response: ClientResponse) -> bool:
    return (
        not response.streaming
        and response.status_code == 200
        and response.get("Content-Type", "").startswith("text/html")
        and "<html" in response.content.decode()
    )


def _urls(user: User) -> list[str]:
    urls = []
    for name, _pattern in ALL_PATTERNS:
        if name in PUBLIC:
            continue
        kwargs = {}
        if name in TAKES_ARGUMENTS:
            if name not in CASES or "get" not in CASES[name].methods:
                continue
            kwargs = CASES[name].make(user)[0]
        base = reverse(name, kwargs=kwargs)
        urls += [base + query for query in QUERIES]
    return urls


def _seed(user: User) -> None:
    """People every list and search can show (introductions want people known well)."""
    for first, trust in [
        ("Ada", TrustLevel.KNOW_WELL),
        ("Ada", TrustLevel.FOLLOWING),
        ("Ada", None),
    ]:
        contact = ContactFactory(owner=user, first_name=first, trust_level=trust)
        PositionFactory(contact=contact, title="Engineer", company="Ada Labs", end_date=None)


@pytest.mark.django_db
def test_every_page_is_whole_for_history_restores_and_boosted_requests() -> None:
    user = UserFactory(username="ada", is_staff=True)
    _seed(user)
    client = Client()
    client.force_login(user)
    pages = [url for url in _urls(user) if _is_page(client.get(url))]
    # The sweep must reach the app, not pass on an empty list.
    assert len(pages) >= 90, pages
    fragments = {}
    for url in pages:
        for label, headers in (("history restore", RESTORE), ("boosted", BOOSTED)):
            response = client.get(url, headers=headers)
            if not _is_page(response):
                fragments[f"{label} {url}"] = response.status_code
    assert not fragments, f"answered with a fragment, not the page: {fragments}"


@pytest.mark.django_db
def test_the_sweep_reaches_the_pages_that_answer_htmx_with_a_fragment() -> None:
    """Without this, a sweep that lost its htmx pages would pass on the rest."""
    user = UserFactory(username="ada")
    _seed(user)
    client = Client()
    client.force_login(user)
    partial_pages = set()
    for url in _urls(user):
        if _is_page(client.get(url)) and not _is_page(client.get(url, headers=HTMX)):
            partial_pages.add(url.partition("?")[0])
    for name in (
        "contacts:list",
        "contacts:introductions",
        "contacts:following",
        "contacts:triage",
        "reminders:dashboard",
    ):
        assert reverse(name) in partial_pages, name


@pytest.mark.parametrize(
    ("headers", "partial"),
    [
        ({}, False),
        (HTMX, True),
        (RESTORE, False),
        (BOOSTED, False),
        ({**BOOSTED, "HX-History-Restore-Request": "true"}, False),
        ({"HX-Request": "false"}, False),
    ],
)
def test_wants_partial_only_for_plain_htmx_requests(
    rf: RequestFactory, headers: dict[str, str], partial: bool
) -> None:
    request = rf.get("/", headers=headers)
    HtmxMiddleware(lambda request: HttpResponse())(request)
    assert wants_partial(request) is partial


def test_wants_partial_is_false_without_the_htmx_middleware(rf: RequestFactory) -> None:
    assert wants_partial(rf.get("/", headers=HTMX)) is False


@pytest.mark.django_db
@pytest.mark.parametrize(("headers", "fragment"), [(HTMX, True), (RESTORE, False), ({}, False)])
def test_render_page_or_partial_picks_the_template(
    rf: RequestFactory, user: User, headers: dict[str, str], fragment: bool
) -> None:
    request = rf.get("/", headers=headers)
    request.user = user
    HtmxMiddleware(lambda request: HttpResponse())(request)
    context = {"page": None, "query": "", "params": "", "nav_section": "following"}
    response = render_page_or_partial(
        request,
        "contacts/following.html",
        context,
        partial="contacts/following.html#results",
        status=201,
    )
    assert response.status_code == 201
    assert ("<html" not in response.content.decode()) is fragment
