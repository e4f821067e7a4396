"""Promises kept: the short syntax, marking them while logging, the contact page, keeping
one (which logs it), This week, notes, and the backup (issue 21)."""

import json
from datetime import date

import pytest
from django.contrib.auth.models import User
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from contacts.exporters import export_json
from contacts.importers import run_import
from contacts.models import Contact, Interaction, Promise, PromiseBy
from contacts.promises import (
    PromiseSpec,
    parse_promises,
    promise_create,
    promise_section_context,
)
from reminders.models import NoteDraft
from tests.contacts.conftest import TODAY
from tests.factories import ContactFactory, UserFactory
from tests.types import ClientResponse

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_today")]


def _promise(contact: Contact, text: str, *, by: str = "me", due_on: date | None = None) -> Promise:
    """A promise about `contact` recorded today through the service, mine unless `by` says."""
    return promise_create(
        owner=contact.owner, contact=contact, made_by=by, text=text, due_on=due_on, today=TODAY
    )


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("I promised: send her the article", [PromiseSpec("me", "send her the article")]),
        ("i PROMISED :  the slides.", [PromiseSpec("me", "the slides")]),
        ("Promised: intro to a designer", [PromiseSpec("me", "intro to a designer")]),
        ("They promised: a reference", [PromiseSpec("them", "a reference")]),
        (
            "I promised: the article by 2026-12-10",
            [PromiseSpec("me", "the article", date(2026, 12, 10))],
        ),
        (
            "They promised: slides (due 2026-12-01)",
            [PromiseSpec("them", "slides", date(2026, 12, 1))],
        ),
        # A date that does not exist stays in the text, with no due date.
        ("I promised: X by 2026-02-30", [PromiseSpec("me", "X by 2026-02-30")]),
        (
            "Coffee; I promised: the book\nThey promised: lunch",
            [PromiseSpec("me", "the book"), PromiseSpec("them", "lunch")],
        ),
        ("I promised:", []),
        ("We talked about promises: none", []),
        ("compromised: the server", []),
        ("", []),
    ],
)
def test_it_reads_the_short_syntax(text: str, expected: list[PromiseSpec]) -> None:
    assert parse_promises(text) == expected


def _log(client: Client, contact: Contact, **extra: str) -> ClientResponse:
    url = reverse("contacts:contact_interaction_new", args=[contact.pk])
    form = {"kind": "meal", "occurred_on": "2026-11-19", "summary": "Lunch", **extra}
    return client.post(url, form)


def test_it_marks_a_promise_while_logging(auth_client: Client, user: User) -> None:
    ada = ContactFactory(owner=user, first_name="Ada")
    response = _log(
        auth_client,
        ada,
        **{
            "promise-text": "Send the article",
            "promise-made_by": "me",
            "promise-due_on": "2026-11-25",
        },
        notes="They promised: a reference by 2026-12-01",
    )
    assert response.status_code == 302
    promises = list(Promise.objects.order_by("id"))
    assert [(p.contact, p.made_by, p.text, p.due_on) for p in promises] == [
        (ada, "me", "Send the article", date(2026, 11, 25)),
        (ada, "them", "a reference", date(2026, 12, 1)),
    ]
    assert {p.interaction for p in promises} == {Interaction.objects.get()}


def test_a_bad_promise_saves_nothing(auth_client: Client, user: User) -> None:
    ada = ContactFactory(owner=user)
    response = _log(auth_client, ada, **{"promise-due_on": "2026-11-25"})
    assert response.status_code == 200
    assert "Say what was promised" in response.content.decode()
    response = _log(auth_client, ada, **{"promise-text": "X", "promise-due_on": "3000-01-01"})
    assert response.status_code == 200
    assert not Interaction.objects.exists() and not Promise.objects.exists()


def test_the_global_log_page_gives_the_promise_to_the_first_person_chosen(
    auth_client: Client, user: User
) -> None:
    zed, ada = (
        ContactFactory(owner=user, last_name="Zed"),
        ContactFactory(owner=user, last_name="A"),
    )
    auth_client.post(
        reverse("contacts:interaction_new"),
        {
            "kind": "call",
            "occurred_on": "2026-11-19",
            "summary": "Call",
            "contact": [zed.pk, ada.pk],
            "promise-text": "Intro to a designer",
        },
    )
    assert Promise.objects.get().contact == zed


def test_the_contact_page_flags_an_overdue_promise_of_mine_first(
    auth_client: Client, user: User
) -> None:
    ada = ContactFactory(owner=user, first_name="Ada")
    _promise(ada, "Their thing", by="them")
    _promise(ada, "My late thing", due_on=date(2026, 11, 1))
    html = auth_client.get(ada.get_absolute_url()).content.decode()
    assert "You owe Ada something" in html
    assert html.index("My late thing") < html.index("Their thing")
    # The card sits before the timeline and the other sections of the page.
    assert html.index('id="promises"') < html.index('id="timeline"')


def test_keeping_a_promise_logs_it(auth_client: Client, user: User) -> None:
    ada = ContactFactory(owner=user)
    promise = _promise(ada, "The book")
    url = reverse("contacts:promise_keep", args=[promise.pk])
    response = auth_client.post(url, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    promise.refresh_from_db()
    assert promise.kept_on == TODAY
    assert promise.kept_interaction is not None
    assert promise.kept_interaction.summary == "Kept my promise: The book"
    ada.refresh_from_db()
    assert ada.last_interaction_on == TODAY
    html = response.content.decode()
    assert 'id="promises"' in html and 'id="timeline-body" hx-swap-oob="true"' in html
    # Twice is harmless: a message, no second interaction.
    auth_client.post(url)
    assert Interaction.objects.count() == 1


def test_adding_and_removing_on_the_contact_page(auth_client: Client, user: User) -> None:
    ada = ContactFactory(owner=user)
    url = reverse("contacts:promise_add", args=[ada.pk])
    field = f"add-{ada.pk}"
    response = auth_client.post(url, {f"{field}-text": "", f"{field}-made_by": "me"})
    assert response.status_code == 200 and not Promise.objects.exists()
    response = auth_client.post(url, {f"{field}-text": "Call back", f"{field}-made_by": "them"})
    assert response.status_code == 302
    promise = Promise.objects.get()
    assert promise.made_by == PromiseBy.THEM
    auth_client.post(reverse("contacts:promise_delete", args=[promise.pk]))
    assert not Promise.objects.exists()


def test_this_week_shows_promises_due_and_keeps_them_in_place(
    auth_client: Client, user: User
) -> None:
    ada = ContactFactory(owner=user, first_name="Ada")
    soon = _promise(ada, "Soon thing", due_on=date(2026, 11, 24))
    _promise(ada, "Later thing", due_on=date(2027, 1, 1))
    _promise(ada, "Undated thing")
    html = auth_client.get(reverse("reminders:dashboard")).content.decode()
    assert "Soon thing" in html
    assert "Later thing" not in html and "Undated thing" not in html
    response = auth_client.post(
        reverse("contacts:promise_keep", args=[soon.pk]), {"where": "week"}, HTTP_HX_REQUEST="true"
    )
    assert "Kept: Soon thing" in response.content.decode()
    response = auth_client.post(reverse("contacts:promise_keep", args=[soon.pk]), {"where": "week"})
    assert response["Location"] == reverse("reminders:dashboard")


def test_a_note_marked_sent_can_carry_a_promise_and_undo_takes_it_back(
    auth_client: Client, user: User
) -> None:
    ada = ContactFactory(owner=user)
    draft = NoteDraft.objects.create(owner=user, contact=ada, subject="Hi", body="Hello Ada")
    auth_client.post(
        reverse("reminders:note_sent", args=[draft.pk]),
        {"subject": "Hi", "body": "Hello Ada", "promise-text": "Send the deck"},
    )
    promise = Promise.objects.get()
    draft.refresh_from_db()
    assert promise.interaction == draft.interaction and promise.text == "Send the deck"
    auth_client.post(reverse("reminders:note_unsend", args=[draft.pk]))
    assert not Promise.objects.exists()


def test_the_contact_page_query_count_does_not_grow_with_promises(
    auth_client: Client, user: User
) -> None:
    ada = ContactFactory(owner=user)
    auth_client.get(ada.get_absolute_url())
    with CaptureQueriesContext(connection) as few:
        auth_client.get(ada.get_absolute_url())
    for n in range(8):
        _promise(ada, f"P{n}")
    with CaptureQueriesContext(connection) as many:
        auth_client.get(ada.get_absolute_url())
    assert len(many) == len(few)


def test_promises_survive_a_backup_and_restore(user: User) -> None:
    ada = ContactFactory(owner=user, first_name="Ada")
    kept = _promise(ada, "Kept", by="them")
    _promise(ada, "Open", due_on=date(2026, 12, 1))
    from contacts.promises import promise_keep

    promise_keep(promise=kept, today=TODAY)
    document = json.loads("".join(export_json(user)))
    document["promises"].append({"contact": 999, "text": "orphan"})
    document["promises"].append({"contact": document["contacts"][0]["id"], "made_by": "cat"})
    other = UserFactory()
    report = run_import(owner=other, source="json", data=json.dumps(document).encode())
    restored = Promise.objects.filter(owner=other).order_by("text")
    assert [(p.text, p.made_by, p.due_on, p.kept_on) for p in restored] == [
        ("Kept", "them", None, TODAY),
        ("Open", "me", date(2026, 12, 1), None),
    ]
    kept_copy = restored[0]
    assert kept_copy.kept_interaction is not None
    assert kept_copy.kept_interaction.summary == "Kept their promise: Kept"
    assert len([s for s in report.skipped if "Promise" in s["reason"]]) == 2


def test_the_card_lists_open_ones_by_urgency_and_the_last_three_kept_in_one_query(
    user: User,
) -> None:
    ada = ContactFactory(owner=user)

    def make(text: str, by: str, due: date | None = None, kept: date | None = None) -> None:
        Promise.objects.create(
            owner=user, contact=ada, text=text, made_by=by, due_on=due, kept_on=kept
        )

    make("theirs, undated", "them")
    make("mine, undated", "me")
    make("mine, later", "me", due=date(2026, 12, 24))
    make("mine, late", "me", due=date(2026, 11, 1))
    make("mine, sooner", "me", due=date(2026, 11, 30))
    for day in (1, 5, 3, 9):
        make(f"kept {day}", "me", kept=date(2026, 10, day))

    with CaptureQueriesContext(connection) as queries:
        card = promise_section_context(ada, TODAY)
    assert [p.text for p in card["open"]] == [  # type: ignore[attr-defined]
        "mine, late",
        "mine, sooner",
        "mine, later",
        "mine, undated",
        "theirs, undated",
    ]
    assert [p.text for p in card["kept"]] == ["kept 9", "kept 5", "kept 3"]  # type: ignore[attr-defined]
    assert card["overdue_mine"] is True
    # One UNION where the database can limit one half of it (PostgreSQL), else two.
    assert len(queries.captured_queries) == (
        1 if connection.features.supports_slicing_ordering_in_compound else 2
    )
