"""`updated_since` finds a contact whenever something the API shows with it changed:
its own fields, and its interactions, jobs, tags, emails, phones and notes, whichever
way the change was made (web services, the API, an import)."""

import datetime as dt
from collections.abc import Callable, Iterator

import pytest
import time_machine
from django.contrib.auth.models import User

from contacts import careers
from contacts.models import Contact
from contacts.relationships import interaction_create, interaction_delete, interaction_update
from contacts.search import reindex_contacts
from contacts.services import contact_tags_add, contact_update
from tests.api.conftest import ApiClient
from tests.factories import ContactFactory, PositionFactory, log_interaction

pytestmark = pytest.mark.django_db

CONTACTS = "/api/v1/contacts"
BEFORE = dt.datetime(2026, 1, 1, 9, tzinfo=dt.UTC)
AFTER = dt.datetime(2026, 3, 1, 9, tzinfo=dt.UTC)
SINCE = "2026-02-01T00:00:00Z"


@pytest.fixture
def people(user: User) -> Iterator[tuple[Contact, Contact]]:
    """Ada and Bo, saved long before; then the clock moves on (changes happen AFTER)."""
    with time_machine.travel(BEFORE, tick=False):
        ada = ContactFactory(owner=user, first_name="Ada", last_name="A", tags=["old"])
        bo = ContactFactory(owner=user, first_name="Bo", last_name="B")
        job = PositionFactory(contact=ada, company="Acme", end_date=None)
        log_interaction(user, [ada, bo], on=dt.date(2025, 12, 1))
        ada.first_job = job  # type: ignore[attr-defined]  # the job the changes below edit
    with time_machine.travel(AFTER, tick=False):
        yield ada, bo


def _updated(api: ApiClient) -> list[str]:
    response = api.get(CONTACTS, {"updated_since": SINCE})
    assert response.status_code == 200
    return [c["first_name"] for c in response.json()["items"]]


def test_nothing_changed_nothing_listed(api: ApiClient, people: tuple) -> None:
    assert _updated(api) == []


def _import_tag(user: User, ada: Contact) -> None:
    """As the importers do: tags added in bulk, then the contacts reindexed."""
    contact_tags_add(owner=user, tags=[(ada.pk, ["imported"])])
    reindex_contacts([ada])


CHANGES: dict[str, Callable[[User, Contact], object]] = {
    "a new interaction": lambda user, ada: interaction_create(
        owner=user, kind="call", occurred_on=dt.date(2026, 2, 20), summary="Call",
        contacts=[ada],
    ),
    "an interaction backdated (not the newest)": lambda user, ada: interaction_create(
        owner=user, kind="call", occurred_on=dt.date(2020, 1, 1), summary="Old call",
        contacts=[ada],
    ),
    "a new job": lambda user, ada: careers.position_create(
        contact=ada, company="Globex", title="CTO", start_date=dt.date(2019, 1, 1),
        end_date=dt.date(2020, 1, 1),
    ),
    "a job edited": lambda user, ada: careers.position_update(
        position=ada.first_job,  # type: ignore[attr-defined]
        company="Acme Corp", title="CEO", start_date=None,
        end_date=None,
    ),
    "a job deleted": lambda user, ada: careers.position_delete(
        position=ada.first_job  # type: ignore[attr-defined]
    ),
    "a job ended": lambda user, ada: careers.current_position_end(
        contact=ada, on=dt.date(2026, 2, 1)
    ),
    "tags replaced": lambda user, ada: contact_update(contact=ada, tags=["new"]),
    "tags added by an import": lambda user, ada: _import_tag(user, ada),
    "emails": lambda user, ada: contact_update(contact=ada, emails=["ada@example.com"]),
    "phones": lambda user, ada: contact_update(contact=ada, phones=["+44 20 7946 0000"]),
    "notes": lambda user, ada: contact_update(contact=ada, notes="Likes tea."),
}  # fmt: skip


@pytest.mark.parametrize("change", list(CHANGES))
def test_a_change_to_what_the_api_shows_makes_the_contact_updated(
    api: ApiClient, user: User, people: tuple[Contact, Contact], change: str
) -> None:
    ada, _ = people
    CHANGES[change](user, ada)
    assert _updated(api) == ["Ada"]


def test_an_interaction_edited_or_deleted_updates_everyone_in_it(
    api: ApiClient, user: User, people: tuple[Contact, Contact]
) -> None:
    ada, _ = people
    interaction = ada.interactions.get()
    interaction_update(interaction=interaction, summary="Lunch, in fact")
    assert _updated(api) == ["Ada", "Bo"]
    with time_machine.travel(AFTER + dt.timedelta(days=30), tick=False):
        interaction_delete(interaction=interaction)
        later = api.get(CONTACTS, {"updated_since": "2026-03-15T00:00:00Z"}).json()["items"]
    assert [c["first_name"] for c in later] == ["Ada", "Bo"]


def test_writes_through_the_api_count_too(api: ApiClient, people: tuple[Contact, Contact]) -> None:
    ada, bo = people
    logged = api.post(
        "/api/v1/interactions",
        {"kind": "call", "occurred_on": "2026-02-20", "summary": "Call", "contacts": [bo.pk]},
    )
    assert logged.status_code == 201
    assert _updated(api) == ["Bo"]
    assert api.patch(f"{CONTACTS}/{ada.pk}", {"tags": ["api"]}).status_code == 200
    assert _updated(api) == ["Ada", "Bo"]
