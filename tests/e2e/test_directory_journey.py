"""Log in, add a contact with a trust level and how we met, and find it with live search."""

import pytest
from django.contrib.auth.models import User
from playwright.sync_api import Page, expect

from contacts.models import Contact, TrustLevel
from contacts.services import contact_create
from tests.e2e.conftest import assert_not_reloaded, open_as, watch_reloads
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def owner() -> User:
    user = UserFactory(username="journey")
    contact_create(
        owner=user, first_name="Alan", last_name="Turing", trust_level="close", tags=["mentor"]
    )
    contact_create(owner=user, first_name="Barbara", last_name="Liskov", trust_level="met")
    return user


def test_it_adds_a_contact_and_finds_it_with_live_search(page: Page, owner: User) -> None:
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    open_as(page, owner, "/contacts/")
    page.get_by_role("link", name="Add contact").click()

    page.get_by_label("First name").fill("Grace")
    page.get_by_label("Last name").fill("Hopper")
    page.get_by_label("Know well — I would vouch for them and introduce them.").check()
    page.get_by_label("The story").fill("She gave the keynote on compilers.")
    page.get_by_label("Place or event").fill("PyCon Berlin")
    page.get_by_label("When we met").fill("2019-05-04")
    # Pick who introduced us with the live introducer search.
    page.get_by_label("Find who introduced you").fill("tur")
    page.get_by_label("Alan Turing").check()
    page.get_by_role("textbox", name="Tags").fill("compilers, navy")
    page.locator(".tag-suggestions").get_by_role("button", name="mentor").click()
    page.get_by_role("button", name="Add contact").click()

    expect(page.get_by_role("heading", name="Grace Hopper")).to_be_visible()
    expect(page.locator(".how-we-met")).to_contain_text("She gave the keynote on compilers.")
    expect(page.locator(".how-we-met")).to_contain_text("Introduced by Alan Turing")
    grace = Contact.objects.get(owner=owner, first_name="Grace")
    assert grace.trust_level == TrustLevel.KNOW_WELL
    assert grace.introduced_by is not None and grace.introduced_by.last_name == "Turing"
    assert sorted(t.name for t in grace.tags.all()) == ["compilers", "mentor", "navy"]

    page.get_by_role("link", name="Contacts", exact=True).click()
    watch_reloads(page)
    page.get_by_label("Search").fill("keynote")
    results = page.locator("#results")
    expect(results.locator("tbody tr")).to_have_count(1)
    expect(results).to_contain_text("Grace Hopper")
    expect(results).not_to_contain_text("Barbara Liskov")
    assert_not_reloaded(page)
    assert "q=keynote" in page.url  # the search is in the address bar, so it can be shared

    page.get_by_label("Search").fill("")
    page.get_by_label("Trust level").select_option("close")
    expect(results.locator("tbody tr")).to_have_count(1)
    expect(results).to_contain_text("Alan Turing")
    assert errors == []


def test_search_and_filters_work_without_javascript(nojs_page: Page, owner: User) -> None:
    open_as(nojs_page, owner, "/contacts/")
    nojs_page.get_by_label("Search").fill("liskov")
    nojs_page.get_by_role("button", name="Search").click()
    results = nojs_page.locator("#results")
    expect(results.locator("tbody tr")).to_have_count(1)
    expect(results).to_contain_text("Barbara Liskov")
    nojs_page.get_by_role("link", name="Trust").click()
    expect(results).to_contain_text("Barbara Liskov")
    assert "q=liskov" in nojs_page.url and "sort=trust" in nojs_page.url


def test_the_introducer_can_be_found_without_javascript(nojs_page: Page, owner: User) -> None:
    open_as(nojs_page, owner, "/contacts/new/")
    nojs_page.get_by_label("First name").fill("Grace")
    nojs_page.get_by_label("Find who introduced you").fill("turing")
    nojs_page.get_by_role("button", name="Find").click()
    nojs_page.get_by_label("Alan Turing").check()
    nojs_page.get_by_role("button", name="Add contact").click()
    expect(nojs_page.locator(".how-we-met")).to_contain_text("Introduced by Alan Turing")
