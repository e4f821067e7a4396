"""Logging, editing and deleting interactions through the pages, with and without htmx."""

from datetime import date, timedelta
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from contacts.models import Contact, Interaction
from contacts.relationships import interaction_create
from contacts.search import reindex_contacts
from tests.factories import ContactFactory

pytestmark = pytest.mark.django_db

HTMX: dict[str, Any] = {"HTTP_HX_REQUEST": "true"}
XSS_SUMMARY = "<script>alert('summary')</script>"
XSS_NOTES = '<img src=x onerror="alert(1)">'


def _form(*people: Contact, **overrides: object) -> dict[str, object]:
    data: dict[str, object] = {
        "kind": "meal",
        "occurred_on": date.today().isoformat(),
        "occurred_at": "",
        "summary": "Lunch at the canteen",
        "notes": "",
        "contact": [p.pk for p in people],
    }
    data.update(overrides)
    return data


def _log(owner: User, *people: Contact, on: date | None = None, **fields: Any) -> Interaction:
    values = {"kind": "call", "summary": "Phone call", **fields}
    return interaction_create(
        owner=owner, occurred_on=on or date.today(), contacts=people, **values
    )


@pytest.fixture
def ann(user: User) -> Contact:
    return ContactFactory(owner=user, first_name="Ann", last_name="Lee")


@pytest.fixture
def bob(user: User) -> Contact:
    return ContactFactory(owner=user, first_name="Bob", last_name="Ray")


@pytest.fixture
def mallorys(other_user: User) -> Contact:
    return ContactFactory(owner=other_user, first_name="Ann", last_name="Secret")


# --- From the contact page ---------------------------------------------------------


def test_it_logs_from_the_contact_page_and_returns_the_timeline(
    auth_client: Client, ann: Contact
) -> None:
    url = reverse("contacts:contact_interaction_new", args=[ann.pk])
    response = auth_client.post(url, _form(), **HTMX)
    assert response.status_code == 200
    html = response.content.decode()
    assert "<html" not in html
    assert 'id="timeline-body"' in html
    assert "Lunch at the canteen" in html
    assert 'id="keep-in-touch" ' in html and 'hx-swap-oob="true"' in html
    interaction = Interaction.objects.get()
    assert list(interaction.contacts.all()) == [ann]
    ann.refresh_from_db()
    assert ann.last_interaction_on == date.today()


def test_it_logs_from_the_contact_page_without_javascript(
    auth_client: Client, ann: Contact
) -> None:
    url = reverse("contacts:contact_interaction_new", args=[ann.pk])
    response = auth_client.post(url, _form())
    assert response.status_code == 302
    assert response["Location"] == f"{ann.get_absolute_url()}#timeline"
    assert Interaction.objects.filter(contacts=ann).count() == 1


def test_it_shows_errors_in_place_and_saves_nothing(auth_client: Client, ann: Contact) -> None:
    url = reverse("contacts:contact_interaction_new", args=[ann.pk])
    response = auth_client.post(url, _form(summary="", occurred_on="not a date"), **HTMX)
    assert response.status_code == 200
    html = response.content.decode()
    assert "This field is required." in html
    assert "Enter a valid date." in html
    assert '<details class="log-interaction" open>' in html
    assert not Interaction.objects.exists()


def test_it_shows_the_full_form_with_errors_without_javascript(
    auth_client: Client, ann: Contact
) -> None:
    url = reverse("contacts:contact_interaction_new", args=[ann.pk])
    response = auth_client.post(url, _form(summary=""))
    assert response.status_code == 200
    html = response.content.decode()
    assert "<html" in html and "This field is required." in html
    assert f'value="{ann.pk}" checked' in html
    assert not Interaction.objects.exists()


def test_it_rejects_a_date_in_the_future(auth_client: Client, ann: Contact) -> None:
    url = reverse("contacts:contact_interaction_new", args=[ann.pk])
    later = (date.today() + timedelta(days=5)).isoformat()
    response = auth_client.post(url, _form(occurred_on=later), **HTMX)
    assert "That date is in the future" in response.content.decode()
    assert not Interaction.objects.exists()


def test_it_sends_a_get_of_the_contact_form_to_the_full_page(
    auth_client: Client, ann: Contact
) -> None:
    response = auth_client.get(reverse("contacts:contact_interaction_new", args=[ann.pk]))
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('contacts:interaction_new')}?contact={ann.pk}"


# --- The global "Log interaction" page ---------------------------------------------


def test_it_prefills_people_from_the_query_string_and_ignores_others(
    auth_client: Client, ann: Contact, bob: Contact, mallorys: Contact
) -> None:
    url = reverse("contacts:interaction_new")
    response = auth_client.get(f"{url}?contact={ann.pk}&contact={bob.pk}&contact={mallorys.pk}")
    assert response.status_code == 200
    html = response.content.decode()
    assert f'name="contact" value="{ann.pk}" checked' in html
    assert f'name="contact" value="{bob.pk}" checked' in html
    assert "Secret" not in html


def test_it_logs_one_interaction_with_several_people(
    auth_client: Client, ann: Contact, bob: Contact
) -> None:
    response = auth_client.post(
        reverse("contacts:interaction_new"), _form(ann, bob, next="/contacts/losing-touch/")
    )
    assert response.status_code == 302
    assert response["Location"] == "/contacts/losing-touch/"
    interaction = Interaction.objects.get()
    assert set(interaction.contacts.all()) == {ann, bob}
    for person in (ann, bob):
        person.refresh_from_db()
        assert person.last_interaction_on == date.today()


def test_it_ignores_an_unsafe_next_url(auth_client: Client, ann: Contact) -> None:
    response = auth_client.post(
        reverse("contacts:interaction_new"), _form(ann, next="https://evil.example/")
    )
    assert response["Location"] == ann.get_absolute_url()


@pytest.mark.parametrize("bad", ["other", "nonsense", "none"])
def test_it_rejects_contact_ids_that_are_not_the_users(
    auth_client: Client, ann: Contact, mallorys: Contact, bad: str
) -> None:
    ids = {"other": [ann.pk, mallorys.pk], "nonsense": [ann.pk, "1;DROP"], "none": []}[bad]
    response = auth_client.post(reverse("contacts:interaction_new"), _form(contact=ids))
    assert response.status_code == 200
    html = response.content.decode()
    expected = "Choose at least one person." if bad == "none" else "Choose people from your own"
    assert expected in html
    assert not Interaction.objects.exists()
    assert "Secret" not in html


def test_it_searches_as_you_type_among_the_users_contacts_only(
    auth_client: Client, ann: Contact, bob: Contact, mallorys: Contact
) -> None:
    reindex_contacts([ann, bob, mallorys])
    url = reverse("contacts:interaction_new")
    response = auth_client.get(url, {"picker": "1", "q": "ann"}, **HTMX)
    html = response.content.decode()
    assert "<html" not in html
    assert "Ann Lee" in html and "Secret" not in html and "Bob" not in html

    chosen = auth_client.get(url, {"picker": "1", "q": "ann", "contact": str(ann.pk)}, **HTMX)
    assert "Nobody matches" in chosen.content.decode()


def test_it_searches_without_javascript_and_keeps_what_was_typed(
    auth_client: Client, ann: Contact, bob: Contact
) -> None:
    reindex_contacts([ann, bob])
    data = _form(ann, summary="Dinner with the team", q="bob", search="1")
    response = auth_client.post(reverse("contacts:interaction_new"), data)
    assert response.status_code == 200
    html = response.content.decode()
    assert f'name="contact" value="{ann.pk}" checked' in html
    assert f'name="contact" value="{bob.pk}">' in html
    assert 'value="Dinner with the team"' in html
    assert "This field is required" not in html
    assert not Interaction.objects.exists()


# --- Edit and delete in place ------------------------------------------------------


def test_it_edits_in_place(auth_client: Client, ann: Contact, bob: Contact) -> None:
    interaction = _log(ann.owner, ann, on=date(2026, 1, 5))
    url = reverse("contacts:interaction_edit", args=[interaction.pk])

    form = auth_client.get(url, **HTMX).content.decode()
    assert f'<li id="interaction-{interaction.pk}"' in form
    assert 'value="Phone call"' in form and "<html" not in form

    response = auth_client.post(
        url, _form(ann, bob, summary="Long call", occurred_on="2026-01-06"), **HTMX
    )
    html = response.content.decode()
    assert "Long call" in html and "Bob Ray" in html and "<html" not in html
    interaction.refresh_from_db()
    assert interaction.summary == "Long call"
    bob.refresh_from_db()
    assert bob.last_interaction_on == date(2026, 1, 6)


def test_it_edits_without_javascript(auth_client: Client, ann: Contact) -> None:
    interaction = _log(ann.owner, ann)
    url = reverse("contacts:interaction_edit", args=[interaction.pk])
    page = auth_client.get(url)
    assert "<html" in page.content.decode() and "Edit interaction" in page.content.decode()
    response = auth_client.post(url, _form(ann, summary="Edited"))
    assert response.status_code == 302
    assert response["Location"] == ann.get_absolute_url()


def test_it_keeps_an_edit_with_errors_unsaved(auth_client: Client, ann: Contact) -> None:
    interaction = _log(ann.owner, ann)
    url = reverse("contacts:interaction_edit", args=[interaction.pk])
    response = auth_client.post(url, _form(contact=[]), **HTMX)
    assert "Choose at least one person." in response.content.decode()
    assert list(interaction.contacts.all()) == [ann]


def test_it_deletes_after_confirmation_and_moves_the_clock_back(
    auth_client: Client, ann: Contact
) -> None:
    _log(ann.owner, ann, on=date(2026, 1, 1))
    newest = _log(ann.owner, ann, on=date(2026, 3, 1))
    url = reverse("contacts:interaction_delete", args=[newest.pk])

    confirm = auth_client.get(url, **HTMX).content.decode()
    assert "This cannot be undone." in confirm and "<html" not in confirm
    assert Interaction.objects.filter(pk=newest.pk).exists()

    response = auth_client.post(url, **HTMX)
    assert response.status_code == 200 and response.content == b""
    assert not Interaction.objects.filter(pk=newest.pk).exists()
    ann.refresh_from_db()
    assert ann.last_interaction_on == date(2026, 1, 1)


def test_it_deletes_without_javascript(auth_client: Client, ann: Contact) -> None:
    interaction = _log(ann.owner, ann)
    url = reverse("contacts:interaction_delete", args=[interaction.pk])
    assert "Delete interaction" in auth_client.get(url).content.decode()
    response = auth_client.post(url, {"next": ann.get_absolute_url()})
    assert response["Location"] == ann.get_absolute_url()
    assert not Interaction.objects.exists()


def test_it_shows_one_interaction_on_its_own_page(auth_client: Client, ann: Contact) -> None:
    interaction = _log(ann.owner, ann, notes="Talked about Lisbon")
    response = auth_client.get(reverse("contacts:interaction_detail", args=[interaction.pk]))
    assert "Talked about Lisbon" in response.content.decode()


# --- Timeline pages and XSS ----------------------------------------------------------


def test_it_serves_the_next_timeline_page_as_a_link_and_a_partial(
    auth_client: Client, ann: Contact
) -> None:
    for i in range(25):
        _log(ann.owner, ann, on=date(2025, 1, 1) + timedelta(days=i), summary=f"Call {i:02d}")
    url = reverse("contacts:timeline", args=[ann.pk])

    # The newest ten first, as on the contact page; then twenty at a time.
    first = auth_client.get(url).content.decode()
    assert "Call 24" in first and "Call 15" in first and "Call 14" not in first
    assert f'href="{url}?page=2"' in first

    partial = auth_client.get(url, {"page": 2}, **HTMX).content.decode()
    assert "<html" not in partial
    assert "Call 14" in partial and "Call 00" in partial and "Call 15" not in partial
    assert "Show more" not in partial

    assert auth_client.get(url, {"page": "x"}).status_code == 200
    assert auth_client.get(url, {"page": "99999"}).status_code == 200


def test_it_shows_hostile_summaries_and_notes_inert(auth_client: Client, ann: Contact) -> None:
    interaction = _log(ann.owner, ann, summary=XSS_SUMMARY, notes=XSS_NOTES)
    pages = [
        auth_client.get(reverse("contacts:timeline", args=[ann.pk])),
        auth_client.get(reverse("contacts:interaction_detail", args=[interaction.pk])),
        auth_client.get(reverse("contacts:interaction_edit", args=[interaction.pk])),
        auth_client.get(reverse("contacts:interaction_edit", args=[interaction.pk]), **HTMX),
        auth_client.get(reverse("contacts:interaction_delete", args=[interaction.pk])),
        auth_client.get(reverse("contacts:interaction_delete", args=[interaction.pk]), **HTMX),
    ]
    for response in pages:
        html = response.content.decode()
        assert response.status_code == 200
        assert XSS_SUMMARY not in html
        assert XSS_NOTES not in html
        assert "&lt;script&gt;" in html


def test_it_escapes_a_hostile_contact_name_in_the_picker(auth_client: Client, user: User) -> None:
    evil = ContactFactory(owner=user, first_name="<b>Eve</b>", last_name="<svg onload=x>")
    reindex_contacts([evil])
    url = reverse("contacts:interaction_new")
    for response in (
        auth_client.get(url, {"contact": evil.pk}),
        auth_client.get(url, {"picker": "1", "q": "eve"}, **HTMX),
    ):
        html = response.content.decode()
        assert "<b>Eve</b>" not in html and "<svg onload" not in html
        assert "&lt;b&gt;Eve&lt;/b&gt;" in html


# --- "With ..." under a shared interaction ------------------------------------------


def _with_line(html: str) -> str:
    start = html.index(">With ")
    return html[start : html.index("</p>", start)]


def test_it_names_only_the_other_people_on_a_contacts_timeline(
    auth_client: Client, user: User, ann: Contact, bob: Contact
) -> None:
    cy = ContactFactory(owner=user, first_name="Cy", last_name="Moss")
    _log(user, ann, bob, cy, summary="Team dinner")

    line = _with_line(auth_client.get(ann.get_absolute_url()).content.decode())

    assert "Bob Ray" in line and "Cy Moss" in line
    assert "Ann Lee" not in line


def test_it_leaves_out_with_when_the_contact_was_alone(
    auth_client: Client, user: User, ann: Contact
) -> None:
    _log(user, ann, summary="Solo call")

    assert ">With " not in auth_client.get(ann.get_absolute_url()).content.decode()


def test_an_inline_edit_and_cancel_name_only_the_other_people(
    auth_client: Client, user: User, ann: Contact, bob: Contact
) -> None:
    interaction = _log(user, ann, bob, summary="Coffee")
    next_url = ann.get_absolute_url()

    detail = auth_client.get(
        reverse("contacts:interaction_detail", args=[interaction.pk]), {"next": next_url}, **HTMX
    )
    saved = auth_client.post(
        reverse("contacts:interaction_edit", args=[interaction.pk]),
        {**_form(ann, bob, summary="Coffee again"), "next": next_url},
        **HTMX,
    )

    for response in (detail, saved):
        line = _with_line(response.content.decode())
        assert "Bob Ray" in line and "Ann Lee" not in line


def test_an_interaction_shown_on_its_own_names_everyone(
    auth_client: Client, user: User, ann: Contact, bob: Contact
) -> None:
    interaction = _log(user, ann, bob, summary="Coffee")

    response = auth_client.get(
        reverse("contacts:interaction_detail", args=[interaction.pk]), **HTMX
    )

    line = _with_line(response.content.decode())
    assert "Ann Lee" in line and "Bob Ray" in line


def test_a_new_account_is_told_to_add_people_before_logging(auth_client: Client) -> None:
    html = auth_client.get(reverse("contacts:interaction_new")).content.decode()

    assert "Nobody to log it with yet" in html
    assert f'href="{reverse("contacts:new")}">Add a contact</a>' in html
    assert 'name="summary"' not in html


def test_the_log_page_shows_the_form_once_there_is_someone(
    auth_client: Client, ann: Contact
) -> None:
    html = auth_client.get(reverse("contacts:interaction_new")).content.decode()

    assert "Nobody to log it with yet" not in html
    assert 'name="summary"' in html


def test_the_picker_names_every_persons_trust_level_even_unrated(
    auth_client: Client, user: User
) -> None:
    unrated = ContactFactory(owner=user, first_name="Una", last_name="Rated", trust_level=None)
    reindex_contacts([unrated])

    response = auth_client.get(
        reverse("contacts:interaction_new"), {"picker": "1", "q": "una"}, **HTMX
    )

    assert 'Una Rated <span class="muted small">· Not rated yet</span>' in response.content.decode()
