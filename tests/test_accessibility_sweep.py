"""Every page of the project, as a user with data sees it, passes basic accessibility checks.

Enumerates the URL patterns like tests/test_ownership_sweep.py does; patterns with ids get
their objects from the tests/ownership/cases_*.py factories, owned by the logged-in user.
Each page that answers 200 with an HTML document is parsed and checked: labelled form
controls, alt on images, one h1 and a title, no inline scripts or style attributes, and
accessible text on buttons and links.
"""

from datetime import date
from html.parser import HTMLParser

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from contacts.models import ImportStatus, TrustLevel
from tests.factories import (
    ConnectionRequestFactory,
    ContactEmailFactory,
    ContactFactory,
    ImportJobFactory,
    NoteDraftFactory,
    PositionFactory,
    ReminderFactory,
    UserFactory,
    log_interaction,
)
from tests.test_ownership_sweep import ALL_PATTERNS, CASES, PUBLIC, TAKES_ARGUMENTS

UNLABELLED_TYPES = {"hidden", "submit", "button", "reset", "image"}


class PageAudit(HTMLParser):
    """Collects accessibility problems of one HTML document."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.problems: list[str] = []
        self.label_for: set[str] = set()
        self.ids_with_text: dict[str, str] = {}
        self.controls: list[tuple[str, dict[str, str | None], bool]] = []
        self.labels_open = 0
        self.h1_count = 0
        self.title = ""
        self.in_title = False
        self.in_script = False
        self.named: list[dict] = []  # open <a>/<button>: tag, attrs, collected text
        self.ids: list[str] = []
        self.references: list[tuple[str, str]] = []  # (attribute, id) pointing at an element
        self.lang = ""
        self.label_text: list[str] | None = None
        self.forms_open = 0
        self.noscript_refresh = False
        self.pollers: list[str] = []
        self.in_noscript = False

    def handle_starttag(self, tag: str, attrs_list: list[tuple[str, str | None]]) -> None:
        attrs = dict(attrs_list)
        self._check_no_js_fallback(tag, attrs)
        if tag == "form":
            self.forms_open += 1
        if tag == "noscript":
            self.in_noscript = True
        if tag == "meta" and self.in_noscript and attrs.get("http-equiv") == "refresh":
            self.noscript_refresh = True
        if element_id := attrs.get("id"):
            self.ids.append(element_id)
        for attribute in ("aria-labelledby", "aria-describedby"):
            for ref in (attrs.get(attribute) or "").split():
                self.references.append((attribute, ref))
        if tag == "html":
            self.lang = attrs.get("lang") or ""
        if "style" in attrs:
            self.problems.append(f"style attribute on <{tag}>: {attrs['style']!r}")
        if tag == "style":
            self.problems.append("inline <style> element")
        if tag == "script":
            if not attrs.get("src"):
                self.problems.append("inline <script> without src")
            self.in_script = True
        if tag == "title":
            self.in_title = True
        if tag == "h1":
            self.h1_count += 1
        if tag == "label":
            self.label_text = []
            self.labels_open += 1
            if label_for := attrs.get("for"):
                self.label_for.add(label_for)
        if tag == "img":
            if "alt" not in attrs:
                self.problems.append(f"<img src={attrs.get('src')!r}> without alt")
            for record in self.named:
                record["text"].append(attrs.get("alt") or "")
        if tag in {"input", "select", "textarea"}:
            kind = (attrs.get("type") or "text").lower() if tag == "input" else tag
            if kind not in UNLABELLED_TYPES and "hidden" not in attrs:
                self.controls.append((tag, attrs, self.labels_open > 0))
            if kind == "button" and not (attrs.get("value") or attrs.get("aria-label")):
                self.problems.append(f"<input type=button name={attrs.get('name')!r}> has no text")
        if tag in {"a", "button"}:
            self.named.append({"tag": tag, "attrs": attrs, "text": []})
        if tag == "svg" or attrs.get("aria-hidden") == "true":
            # Decorative content adds no name; a labelled svg does.
            for record in self.named:
                record["text"].append(attrs.get("aria-label") or "")

    def handle_startendtag(self, tag: str, attrs_list: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs_list)
        if tag in {"a", "button", "label", "title", "script"}:
            self.handle_endtag(tag)

    def handle_endtag(self, tag: str) -> None:
        if tag == "form" and self.forms_open:
            self.forms_open -= 1
        if tag == "noscript":
            self.in_noscript = False
        if tag == "script":
            self.in_script = False
        if tag == "title":
            self.in_title = False
        if tag == "label" and self.labels_open:
            self.labels_open -= 1
            text = " ".join("".join(self.label_text or []).split())
            if text.endswith(":"):
                # Legends and most labels have none: one style across the app.
                self.problems.append(f"label {text!r} ends with a colon")
            self.label_text = None
        if tag in {"a", "button"}:
            for index in range(len(self.named) - 1, -1, -1):
                if self.named[index]["tag"] == tag:
                    record = self.named.pop(index)
                    self._check_name(record)
                    break

    def handle_data(self, data: str) -> None:
        if self.in_title:
            self.title += data
        if self.in_script:
            return
        if self.label_text is not None:
            self.label_text.append(data)
        for record in self.named:
            record["text"].append(data)

    def _check_no_js_fallback(self, tag: str, attrs: dict[str, str | None]) -> None:
        """Every htmx request has a plain-HTML twin: a link, a form, or a control in one."""
        if "data-copy-target" in attrs and "js-only" not in (attrs.get("class") or "").split():
            # Copying needs JavaScript: without it the button would do nothing.
            self.problems.append(f"<{tag}> copies with JavaScript but is not .js-only")
        verb = next(
            (v for v in ("get", "post", "put", "patch", "delete") if f"hx-{v}" in attrs), None
        )
        if verb is None:
            return
        if tag == "a":
            if not (attrs.get("href") or "#").startswith("#"):
                return
        elif tag == "form":
            if attrs.get("action") and (verb == "get" or attrs.get("method") == "post"):
                return
        elif tag in {"input", "select", "textarea", "button"}:
            if self.forms_open:
                return
        elif "every" in (attrs.get("hx-trigger") or ""):
            self.pollers.append(tag)
            return
        self.problems.append(f"<{tag} hx-{verb}={attrs.get(f'hx-{verb}')!r}> has no no-JS fallback")

    def _check_name(self, record: dict) -> None:
        attrs = record["attrs"]
        if "".join(record["text"]).strip():
            return
        if (attrs.get("aria-label") or "").strip() or (attrs.get("title") or "").strip():
            return
        if attrs.get("aria-labelledby"):
            return
        if record["tag"] == "a" and attrs.get("aria-hidden") == "true":
            return
        self.problems.append(f"<{record['tag']} {attrs}> has no accessible text")

    def finish(self) -> list[str]:
        self.close()
        for tag, attrs, wrapped in self.controls:
            if wrapped or (attrs.get("aria-label") or "").strip() or attrs.get("aria-labelledby"):
                continue
            if attrs.get("id") and attrs["id"] in self.label_for:
                continue
            self.problems.append(
                f"<{tag} name={attrs.get('name')!r} id={attrs.get('id')!r}> has no label"
            )
        if self.pollers and not self.noscript_refresh:
            self.problems.append("polls with htmx but has no <noscript> refresh")
        known = set(self.ids)
        for label_for in sorted(self.label_for - known):
            self.problems.append(f"<label for={label_for!r}> names no element")
        for attribute, ref in self.references:
            if ref not in known:
                self.problems.append(f"{attribute}={ref!r} names no element")
        duplicates = sorted({i for i in self.ids if self.ids.count(i) > 1})
        if duplicates:
            self.problems.append(f"duplicate ids: {duplicates}")
        if not self.lang:
            self.problems.append("<html> without lang")
        if self.h1_count != 1:
            self.problems.append(f"{self.h1_count} <h1> elements (want exactly one)")
        if not self.title.strip():
            self.problems.append("no <title>")
        return self.problems


def audit(html: str) -> list[str]:
    parser = PageAudit()
    parser.feed(html)
    return parser.finish()


def _seed(user: User) -> list[str]:
    """A user with a bit of everything, so pages show their filled-in states.

    Returns the URLs of pages about that data (the ownership cases make bare objects).
    """
    contacts = []
    for index, trust in enumerate([TrustLevel.CLOSE, TrustLevel.FOLLOWING, None, None]):
        contact = ContactFactory(
            owner=user,
            first_name=f"Ada{index}",
            last_name="Lovelace",
            trust_level=trust,
            tags=["friends"] if index == 0 else [],
            birthday_month=12,
            birthday_day=10,
            met_on=date(2019, 3, 1),
        )
        ContactEmailFactory(contact=contact)
        PositionFactory(contact=contact)
        contacts.append(contact)
    # Two look-alikes so the duplicates page has something to show.
    ContactFactory(owner=user, first_name="Grace", last_name="Hopper")
    ContactFactory(owner=user, first_name="Grace", last_name="Hopper")
    for contact in contacts[:2]:
        log_interaction(user, [contact], on=date(2024, 5, 1), summary="Caught up on the new job")
    ReminderFactory(contact=contacts[0], due_on=date.today())
    NoteDraftFactory(contact=contacts[0])
    ConnectionRequestFactory(owner=user)
    done = ImportJobFactory(owner=user, status=ImportStatus.DONE, total_rows=3, processed_rows=3)
    running = ImportJobFactory(
        owner=user, status=ImportStatus.RUNNING, total_rows=300, processed_rows=120
    )
    return [
        reverse("contacts:detail", kwargs={"pk": contacts[0].pk}),
        reverse("contacts:timeline", kwargs={"pk": contacts[0].pk}),
        reverse("contacts:edit", kwargs={"pk": contacts[0].pk}),
        reverse("contacts:import_job", kwargs={"pk": done.pk}),
        reverse("contacts:import_job", kwargs={"pk": running.pk}),
        reverse("contacts:list") + "?q=Ada",
        reverse("contacts:list") + "?q=nobody-by-this-name",
        reverse("contacts:list") + "?tag=friends",
    ]


def _page_urls(user: User) -> list[str]:
    urls = []
    for name, _pattern in ALL_PATTERNS:
        if name in PUBLIC:
            continue
        if name in TAKES_ARGUMENTS:
            if name not in CASES or "get" not in CASES[name].methods:
                continue
            kwargs = CASES[name].make(user)[0]
        else:
            kwargs = {}
        urls.append(reverse(name, kwargs=kwargs))
    return urls


def _html_pages(client: Client, urls: list[str]) -> dict[str, str]:
    pages = {}
    for url in urls:
        response = client.get(url)
        if response.streaming:
            continue  # downloads
        if response.status_code != 200:
            continue
        if not response.get("Content-Type", "").startswith("text/html"):
            continue
        html = response.content.decode()
        if "<html" not in html:
            continue  # a fragment, not a page
        pages[url] = html
    return pages


@pytest.mark.django_db
def test_it_finds_no_accessibility_problems_on_any_signed_in_page() -> None:
    user = UserFactory(username="ada", is_staff=True)
    extra = _seed(user)
    client = Client()
    client.force_login(user)
    pages = _html_pages(client, _page_urls(user) + extra)
    # The sweep must really cover the app, not pass on an empty list.
    assert len(pages) >= 40, sorted(pages)
    assert set(extra) <= set(pages), set(extra) - set(pages)
    for must in ("contacts:list", "reminders:dashboard", "contacts:import", "settings"):
        assert reverse(must) in pages
    problems = {url: found for url, html in pages.items() if (found := audit(html))}
    assert not problems, problems


@pytest.mark.django_db
def test_it_finds_no_accessibility_problems_on_empty_pages_of_a_new_account() -> None:
    user = UserFactory(username="newcomer")
    client = Client()
    client.force_login(user)
    urls = [reverse(name) for name, pattern in ALL_PATTERNS if name not in TAKES_ARGUMENTS]
    pages = _html_pages(client, [url for url in urls if url != reverse("account_logout")])
    assert reverse("contacts:list") in pages
    problems = {url: found for url, html in pages.items() if (found := audit(html))}
    assert not problems, problems


@pytest.mark.django_db
def test_it_finds_no_accessibility_problems_on_public_pages() -> None:
    urls = [
        reverse(name)
        for name, pattern in ALL_PATTERNS
        if name in PUBLIC and name not in TAKES_ARGUMENTS
    ]
    pages = _html_pages(Client(), urls)
    assert reverse("account_login") in pages
    problems = {url: found for url, html in pages.items() if (found := audit(html))}
    assert not problems, problems


@pytest.mark.django_db
def test_it_finds_no_accessibility_problems_on_forms_with_errors(auth_client: Client) -> None:
    names = (
        "contacts:new",
        "contacts:interaction_new",
        "account_change_password",
        "reminders:settings",
    )
    for name in names:
        response = auth_client.post(reverse(name), {"first_name": "x" * 300})
        assert response.status_code == 200, name
        assert 'class="errorlist' in response.content.decode(), name
        assert audit(response.content.decode()) == [], name


@pytest.mark.parametrize(
    ("html", "problem"),
    [
        ('<input name="q">', "has no label"),
        ('<label>Name <input name="q"></label>', None),
        ('<label for="q">Name</label><input id="q" name="q">', None),
        ('<select name="s" aria-label="Sort"></select>', None),
        ('<textarea name="t" id="t"></textarea>', "has no label"),
        ('<input type="hidden" name="csrf">', None),
        ('<img src="x.png">', "without alt"),
        ('<a href="/x"></a>', "no accessible text"),
        ('<a href="/x"><img src="i.svg" alt="Home"></a>', None),
        ('<button type="submit"><svg aria-hidden="true"></svg></button>', "no accessible text"),
        ('<button aria-label="Close"><svg aria-hidden="true"></svg></button>', None),
        ("<script>alert(1)</script>", "inline <script>"),
        ('<p style="color:red">x</p>', "style attribute"),
        ('<label for="n">Name:</label><input id="n">', "ends with a colon"),
        ('<a hx-get="/x">More</a>', "no no-JS fallback"),
        ('<a href="/x" hx-get="/x">More</a>', None),
        ('<form hx-post="/x"><button>Go</button></form>', "no no-JS fallback"),
        ('<form method="post" action="/x" hx-post="/x"><button>Go</button></form>', None),
        ('<button hx-post="/x">Go</button>', "no no-JS fallback"),
        ('<button type="button" data-copy-target="#t">Copy</button>', "not .js-only"),
        ('<button type="button" class="js-only" data-copy-target="#t">Copy</button>', None),
        ('<div hx-get="/x" hx-trigger="every 1s">1</div>', "no <noscript> refresh"),
        ('<label for="n">Name</label><input id="n" aria-describedby="n_help">', "names no"),
    ],
)
def test_the_audit_catches_what_it_should(html: str, problem: str | None) -> None:
    page = f'<html lang="en"><title>T</title><body><h1>T</h1>{html}</body></html>'
    found = audit(page)
    if problem is None:
        assert found == []
    else:
        assert any(problem in p for p in found), found


def test_the_audit_wants_exactly_one_h1_and_a_title() -> None:
    assert any(
        "2 <h1>" in p for p in audit("<html lang=en><title>T</title><h1>a</h1><h1>b</h1></html>")
    )
    assert any("no <title>" in p for p in audit("<html lang=en><h1>a</h1></html>"))
