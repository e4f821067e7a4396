"""After an import that brought new people, the finished import leads into Sort."""

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from contacts.models import ImportStatus, TrustLevel
from tests.factories import ContactFactory, ImportJobFactory

pytestmark = pytest.mark.django_db


def _finished(user: User, created: int) -> str:
    job = ImportJobFactory(
        owner=user,
        status=ImportStatus.DONE,
        total_rows=created,
        processed_rows=created,
        created_count=created,
        report={"confirmed": True},
    )
    return reverse("contacts:import_job", args=[job.pk])


def test_it_invites_to_sort_the_unrated_people_with_the_time_it_takes(
    auth_client: Client, user: User
) -> None:
    ContactFactory.create_batch(300, owner=user, trust_level=None)
    ContactFactory(owner=user, trust_level=TrustLevel.CLOSE)
    html = auth_client.get(_finished(user, 300)).content.decode()
    assert f'href="{reverse("contacts:triage")}"' in html
    assert "Sort these 300 people now — about 10 minutes" in html


def test_one_person_is_one_minute(auth_client: Client, user: User) -> None:
    ContactFactory(owner=user, trust_level=None)
    html = auth_client.get(_finished(user, 1)).content.decode()
    assert "Sort this person now — about 1 minute<" in html


def test_it_does_not_invite_when_everyone_is_rated(auth_client: Client, user: User) -> None:
    ContactFactory(owner=user, trust_level=TrustLevel.MET)
    html = auth_client.get(_finished(user, 1)).content.decode()
    assert "Sort th" not in html


def test_it_does_not_invite_after_an_import_that_made_nobody_new(
    auth_client: Client, user: User
) -> None:
    ContactFactory(owner=user, trust_level=None)
    html = auth_client.get(_finished(user, 0)).content.decode()
    assert "Sort th" not in html


def test_another_users_unrated_people_are_not_counted(
    auth_client: Client, user: User, other_user: User
) -> None:
    ContactFactory.create_batch(3, owner=other_user, trust_level=None)
    ContactFactory(owner=user, trust_level=None)
    html = auth_client.get(_finished(user, 1)).content.decode()
    assert "Sort this person now" in html
