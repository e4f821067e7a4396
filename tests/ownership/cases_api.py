"""The REST API (/api/v1/…) and Settings → Access tokens.

Every API operation that takes an id is here with the methods it accepts; the sweep
sends them with another user's session and expects 404 with nothing changed (the API's
bearer-token side is tested the same way in tests/api/).
"""

from typing import Any

from django.contrib.auth.models import User

from api.models import AccessToken
from tests.factories import (
    ContactFactory,
    InteractionFactory,
    NoteDraftFactory,
    PositionFactory,
    ReminderFactory,
)
from tests.ownership import OwnedUrl, Snapshot, row_snapshot


def _contact(victim: User) -> tuple[dict[str, Any], Snapshot]:
    contact = ContactFactory(owner=victim, tags=["x"])
    position = PositionFactory(contact=contact)
    snapshots = [row_snapshot(contact), row_snapshot(position)]
    return {"contact_id": contact.pk}, lambda: [s() for s in snapshots]


def _interaction(victim: User) -> tuple[dict[str, Any], Snapshot]:
    contact = ContactFactory(owner=victim)
    interaction = InteractionFactory(owner=victim, contacts=[contact])
    return {"interaction_id": interaction.pk}, row_snapshot(interaction)


def _reminder(victim: User) -> tuple[dict[str, Any], Snapshot]:
    reminder = ReminderFactory(contact=ContactFactory(owner=victim))
    return {"reminder_id": reminder.pk}, row_snapshot(reminder)


def _note(victim: User) -> tuple[dict[str, Any], Snapshot]:
    note = NoteDraftFactory(contact=ContactFactory(owner=victim))
    return {"note_id": note.pk}, row_snapshot(note)


def _token(victim: User) -> tuple[dict[str, Any], Snapshot]:
    token, _ = AccessToken.issue(owner=victim, name="victim's", scope="write")
    return {"pk": token.pk}, row_snapshot(token)


CASES = {
    "api:contact": OwnedUrl(_contact, methods=("get", "patch", "delete")),
    "api:interaction": OwnedUrl(_interaction, methods=("get", "patch", "delete")),
    "api:reminder": OwnedUrl(_reminder, methods=("get",)),
    "api:reminder_snooze": OwnedUrl(_reminder, methods=("post",)),
    "api:reminder_dismiss": OwnedUrl(_reminder, methods=("post",)),
    "api:reminder_done": OwnedUrl(_reminder, methods=("post",)),
    "api:reminder_reopen": OwnedUrl(_reminder, methods=("post",)),
    "api:note": OwnedUrl(_note, methods=("get", "patch", "delete")),
    "api:note_sent": OwnedUrl(_note, methods=("post",)),
    "access_token_revoke": OwnedUrl(_token, methods=("post",)),
}
# The schema and its docs describe the API, not anyone's data; the root is ninja's 404.
PUBLIC = {"api:openapi-json", "api:openapi-view", "api:api-root"}
