"""/api/v1/interactions and /api/v1/notes: through contacts.relationships and the composer's
services, so the keep-in-touch clock and the reminders move as on the web."""

import datetime as dt
from typing import Any

import pytest
from django.contrib.auth.models import User

from contacts.models import Contact, Interaction, InteractionKind
from contacts.relation_models import Promise
from reminders.models import NoteDraft, ReminderKind, ReminderStatus
from tests.api.conftest import ApiClient
from tests.factories import ContactFactory, NoteDraftFactory, PositionFactory, ReminderFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen")]


def _logged(api: ApiClient, contact: Contact, **fields: str) -> dict[str, Any]:
    """POST an interaction with `contact` on 30 November: created (201), its JSON."""
    body = {"occurred_on": "2026-11-30", **fields, "contacts": [contact.pk]}
    response = api.post("/api/v1/interactions", body)
    assert response.status_code == 201, response.json()
    return dict(response.json())


def test_logging_an_interaction_moves_the_last_interaction(api: ApiClient, user: User) -> None:
    ana = ContactFactory(owner=user, first_name="Ana", last_name="Lima")
    body = _logged(api, ana, kind="meal", occurred_at="12:30", summary="Lunch at Café Oto")
    assert body["contacts"] == [{"id": ana.pk, "name": "Ana Lima"}]
    assert body["occurred_at"] == "12:30" and body["kind_label"] == "Coffee or meal"
    ana.refresh_from_db()
    assert ana.last_interaction_on == dt.date(2026, 11, 30)
    listed = api.get("/api/v1/interactions", {"contact": ana.pk}).json()["items"]
    assert [i["id"] for i in listed] == [body["id"]]
    assert body["initiated_by"] == "me"


def test_promises_written_in_an_interaction_are_kept_as_on_the_web(
    api: ApiClient, user: User
) -> None:
    ana = ContactFactory(owner=user)
    body = _logged(
        api,
        ana,
        kind="call",
        summary="Catch-up",
        notes="I promised: send her the climate report",
        initiated_by="them",
    )
    assert body["initiated_by"] == "them"
    promise = Promise.objects.get(contact=ana)
    assert "climate report" in promise.text


@pytest.mark.parametrize(
    ("body", "fields"),
    [
        ({"kind": "telepathy", "occurred_on": "2026-11-30", "summary": "s", "contacts": [1]},
         {"kind"}),
        ({"kind": "call", "occurred_on": "2027-06-01", "summary": "s", "contacts": [1]},
         {"occurred_on"}),
        ({"kind": "call", "occurred_on": "2026-11-30", "summary": "", "contacts": [1]},
         {"summary"}),
        ({"kind": "call", "occurred_on": "2026-11-30", "summary": "s", "contacts": []},
         {"contacts"}),
        ({"kind": "call", "occurred_on": "2026-11-30", "summary": "s", "contacts": [2**70]},
         {"contacts"}),
        ({"kind": "call", "summary": "s", "contacts": [1]}, {"occurred_on"}),
    ],
)  # fmt: skip
def test_an_invalid_interaction_is_422_and_nothing_is_saved(
    api: ApiClient, user: User, body: dict, fields: set[str]
) -> None:
    mine = ContactFactory(owner=user)
    body = {**body, "contacts": [mine.pk if c == 1 else c for c in body["contacts"]]}
    response = api.post("/api/v1/interactions", body)
    assert response.status_code == 422, response.json()
    assert set(response.json()["errors"]) == fields
    assert not Interaction.objects.exists()


def test_another_users_contact_cannot_be_in_an_interaction(
    api: ApiClient, user: User, other_user: User
) -> None:
    theirs = ContactFactory(owner=other_user)
    response = api.post(
        "/api/v1/interactions",
        {"kind": "call", "occurred_on": "2026-11-30", "summary": "s", "contacts": [theirs.pk]},
    )
    assert response.status_code == 422 and set(response.json()["errors"]) == {"contacts"}
    assert api.get("/api/v1/interactions", {"contact": theirs.pk}).status_code == 404


def test_an_interaction_can_be_edited_and_deleted(api: ApiClient, user: User) -> None:
    ana = ContactFactory(owner=user)
    created = api.post(
        "/api/v1/interactions",
        {"kind": "call", "occurred_on": "2026-11-30", "summary": "Call", "contacts": [ana.pk]},
    ).json()
    url = f"/api/v1/interactions/{created['id']}"
    edited = api.patch(url, {"summary": "Long call", "occurred_on": "2026-11-20"})
    assert edited.status_code == 200 and edited.json()["summary"] == "Long call"
    ana.refresh_from_db()
    assert ana.last_interaction_on == dt.date(2026, 11, 20)
    assert api.delete(url).status_code == 204
    ana.refresh_from_db()
    assert ana.last_interaction_on is None


def test_a_note_is_drafted_from_the_template_and_sent(api: ApiClient, user: User) -> None:
    bo = ContactFactory(owner=user, first_name="Bo", last_name="Berg")
    position = PositionFactory(contact=bo, company="Northwind", title="CTO")
    reminder = ReminderFactory(
        contact=bo, kind=ReminderKind.JOB_CHANGE, position=position, due_on=dt.date(2026, 12, 1)
    )
    response = api.post("/api/v1/notes", {"reminder": reminder.pk})
    assert response.status_code == 201, response.json()
    note = response.json()
    assert "Northwind" in note["subject"] and note["body"].startswith("Hi Bo")
    # Drafting again reopens the same draft, as the dashboard's button does.
    assert api.post("/api/v1/notes", {"reminder": reminder.pk}).json()["id"] == note["id"]
    url = f"/api/v1/notes/{note['id']}"
    assert api.patch(url, {"body": "Hi Bo, we met at the book club!"}).status_code == 200
    sent = api.post(f"{url}/sent").json()
    assert sent["sent_at"] is not None
    reminder.refresh_from_db()
    assert reminder.status == ReminderStatus.DONE
    assert Interaction.objects.get(owner=user).kind == InteractionKind.NOTE_SENT
    assert api.post(f"{url}/sent").status_code == 422  # already sent
    assert [n["id"] for n in api.get("/api/v1/notes", {"sent": "true"}).json()["items"]] == [
        note["id"]
    ]


def test_notes_of_another_user_are_404(api: ApiClient, other_user: User) -> None:
    theirs = NoteDraftFactory(contact=ContactFactory(owner=other_user))
    url = f"/api/v1/notes/{theirs.pk}"
    assert api.get(url).status_code == 404
    assert api.patch(url, {"body": "mine"}).status_code == 404
    assert api.post(f"{url}/sent").status_code == 404
    assert api.delete(url).status_code == 404
    assert api.post("/api/v1/notes", {"contact": theirs.contact_id}).status_code == 404
    assert NoteDraft.objects.get(pk=theirs.pk).body != "mine"


def test_a_note_needs_someone_to_write_to(api: ApiClient) -> None:
    response = api.post("/api/v1/notes", {})
    assert response.status_code == 422 and "contact" in response.json()["errors"]
    too_long = api.post("/api/v1/notes", {"contact": 2**70})
    assert too_long.status_code == 422
