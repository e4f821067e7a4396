"""Which people of a JSON backup are matched with contacts already in the account.

A backup's contacts are distinct people: restored into an empty account, every one of
them comes back, even two sharing a name. Into an account that has contacts, a person
is matched only by LinkedIn URL or email, never by a name alone, and the preview says so.
"""

from datetime import date
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from contacts.importers import run_import
from contacts.models import Contact, Interaction, NotDuplicate
from tests.factories import ContactEmailFactory, ContactFactory, backup_json

TODAY = date(2026, 11, 29)


def backup(*contacts: dict[str, Any], **rest: Any) -> bytes:
    return backup_json(contacts=list(contacts), **rest)


def ingrid(pk: int, **extra: Any) -> dict[str, Any]:
    return {"id": pk, "first_name": "Ingrid", "last_name": "Torres", **extra}


@pytest.mark.django_db
def test_two_people_sharing_a_name_both_come_back_into_an_empty_account(user: User) -> None:
    data = backup(
        ingrid(1, notes="The architect", positions=[{"id": 1, "company": "Acme"}]),
        ingrid(2, notes="The cellist"),
        interactions=[
            {"id": 1, "kind": "call", "occurred_on": "2026-01-02", "summary": "A", "contacts": [1]},
            {"id": 2, "kind": "call", "occurred_on": "2026-01-03", "summary": "B", "contacts": [2]},
        ],
    )
    report = run_import(owner=user, source="json", data=data, today=TODAY)
    assert report.summary == "created=2 updated=0 job_changes=0 skipped=0"
    people = Contact.objects.filter(owner=user, last_name="Torres").order_by("pk")
    assert [p.notes for p in people] == ["The architect", "The cellist"]
    assert [p.interactions.get().summary for p in people] == ["A", "B"]
    assert report.extra["matching"]["restore"] is True


@pytest.mark.django_db
def test_two_contacts_of_a_backup_sharing_an_email_are_both_restored(user: User) -> None:
    shared = [{"email": "family@example.org", "label": "home"}]
    data = backup(ingrid(1, emails=shared), ingrid(2, first_name="Ana", emails=shared))
    report = run_import(owner=user, source="json", data=data, today=TODAY)
    assert len(report.created) == 2 and not report.skipped
    assert Contact.objects.filter(owner=user, emails__email="family@example.org").count() == 2


@pytest.mark.django_db
def test_into_a_non_empty_account_a_name_alone_matches_nobody(user: User) -> None:
    here = ContactFactory(owner=user, first_name="Ingrid", last_name="Torres")
    report = run_import(owner=user, source="json", data=backup(ingrid(1)), today=TODAY)
    assert len(report.created) == 1 and not report.skipped
    assert Contact.objects.filter(owner=user, last_name="Torres").exclude(pk=here.pk).exists()
    assert report.extra["matching"] == {
        "restore": False,
        "without_keys": 1,
        "without_keys_names": ["Ingrid Torres"],
    }


@pytest.mark.django_db
def test_into_a_non_empty_account_email_and_linkedin_url_match(user: User) -> None:
    by_email = ContactFactory(owner=user, first_name="Ingrid", last_name="Torres")
    ContactEmailFactory(contact=by_email, email="ingrid@example.org")
    by_url = ContactFactory(
        owner=user,
        first_name="Other",
        last_name="",
        linkedin_url="https://www.linkedin.com/in/other",
    )
    data = backup(
        ingrid(1, first_name="I.", emails=["Ingrid@Example.org"]),
        {"id": 2, "first_name": "Renamed", "linkedin_url": "linkedin.com/in/other/"},
        interactions=[
            {
                "id": 1,
                "kind": "call",
                "occurred_on": "2026-01-02",
                "summary": "A",
                "contacts": [1, 2],
            },
        ],
    )
    report = run_import(owner=user, source="json", data=data, today=TODAY)
    assert not report.created
    assert [s["reason"] for s in report.skipped] == [
        "Contact 1: Ingrid Torres is already in your contacts.",
        "Contact 2: Other is already in your contacts.",
    ]
    interaction = Interaction.objects.get(owner=user)
    assert set(interaction.contacts.all()) == {by_email, by_url}


@pytest.mark.django_db
def test_the_preview_says_a_name_alone_is_never_a_match(auth_client: Client, user: User) -> None:
    ContactFactory(owner=user, first_name="Ingrid", last_name="Torres")
    response = auth_client.post(
        reverse("contacts:import"),
        {"source": "json", "file": _upload(backup(ingrid(1), ingrid(2)))},
    )
    html = auth_client.get(response["Location"]).content.decode()
    assert "only by LinkedIn profile or email address, never by name alone" in html
    assert "<strong>2 people have neither</strong>" in html
    assert "(Ingrid Torres, Ingrid Torres)" in html


@pytest.mark.django_db
def test_the_preview_of_a_restore_into_an_empty_account_says_everyone_comes_back(
    auth_client: Client,
) -> None:
    response = auth_client.post(
        reverse("contacts:import"),
        {"source": "json", "file": _upload(backup(ingrid(1), ingrid(2)))},
    )
    html = auth_client.get(response["Location"]).content.decode()
    assert "restores the backup as it is" in html and "even two who share a name" in html
    assert "<strong>2</strong> new contacts" in html


def _upload(data: bytes) -> Any:
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile("backup.json", data, content_type="application/json")


@pytest.mark.django_db
def test_pairs_marked_as_different_people_are_restored_between_the_new_contacts(
    user: User,
) -> None:
    data = backup(ingrid(1), ingrid(2), ingrid(3), not_duplicates=[[2, 1], [1, 1], [1, 9], "x"])
    run_import(owner=user, source="json", data=data, today=TODAY)
    first, second, _ = Contact.objects.filter(owner=user).order_by("pk")
    assert list(NotDuplicate.objects.filter(owner=user).values_list("first", "second")) == [
        (first.pk, second.pk)
    ]
