"""The owner's data version: every owned model's writes move it (so none can be forgotten)."""

import time
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import User
from django.db import models
from django.db.models.signals import post_delete, post_save

from crm.data_version import (
    BOOKKEEPING,
    UNOWNED,
    data_changed,
    data_version,
    is_version_bump,
    owned_models,
    owner_resolver,
)
from crm.models import UserSettings
from tests.factories import (
    ContactEmailFactory,
    ContactFactory,
    NotificationChannelFactory,
    TagFactory,
)

OWNED = [m for m in owned_models() if m._meta.label not in UNOWNED | BOOKKEEPING]
# How the sweep makes the owned row a one-hop model points at (a new kind fails loudly).
PARENTS: dict[str, Any] = {
    "contacts.Contact": ContactFactory,
    "reminders.NotificationChannel": NotificationChannelFactory,
}


def _instance(model: type[models.Model], user: User) -> models.Model:
    """An (unsaved) row of `model` belonging to `user`, enough for its owner to be found."""
    if model is get_user_model():
        return user
    instance = model()
    for name in ("owner", "user"):
        field = next((f for f in model._meta.concrete_fields if f.name == name), None)
        if field is not None and field.related_model is get_user_model():
            setattr(instance, field.attname, user.pk)
            return instance
    for field in model._meta.concrete_fields:
        label = field.related_model._meta.label if field.related_model else None
        if label in PARENTS:
            setattr(instance, field.attname, PARENTS[label](owner=user).pk)
            return instance
    raise AssertionError(f"{model._meta.label}: add its owner's row to PARENTS")


@pytest.mark.django_db
@pytest.mark.parametrize("model", OWNED, ids=lambda m: m._meta.label)
def test_saving_or_deleting_any_owned_row_moves_its_owners_version(
    model: type[models.Model], user: User, other_user: User
) -> None:
    assert owner_resolver(model) is not None, f"{model._meta.label} has no owner path"
    instance = _instance(model, user)
    for signal, extra in ((post_save, {"created": True}), (post_delete, {})):
        mine, theirs = data_version(user.pk), data_version(other_user.pk)
        signal.send(sender=model, instance=instance, using="default", **extra)
        assert data_version(user.pk) > mine, f"{model._meta.label}: {signal} moved nothing"
        assert data_version(other_user.pk) == theirs


def test_the_unowned_models_really_belong_to_nobody() -> None:
    from django.apps import apps

    for label in UNOWNED:
        assert owner_resolver(apps.get_model(label)) is None
    for label in BOOKKEEPING:  # listed on purpose, each with its reason
        assert owner_resolver(apps.get_model(label)) is not None


@pytest.mark.django_db
def test_real_writes_move_it_and_again_on_commit(
    user: User, django_capture_on_commit_callbacks: Any
) -> None:
    contact = ContactFactory(owner=user)
    before = data_version(user.pk)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        email = ContactEmailFactory(contact=contact)  # one hop: the contact's owner
    assert data_version(user.pk) > before
    assert any(is_version_bump(c) for c in callbacks)  # other processes see it after commit
    for change in (
        email.delete,
        lambda: contact.tags.add(TagFactory(owner=user)),  # many-to-many
        lambda: TagFactory(owner=user).contacts.add(contact),  # from the other side
        lambda: UserSettings.for_user(user).save(),
    ):
        before = data_version(user.pk)
        change()
        assert data_version(user.pk) > before


@pytest.mark.django_db
def test_deleting_a_contact_moves_it_once_without_a_query_per_row(user: User) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    contact = ContactFactory(owner=user)
    for _ in range(5):
        ContactEmailFactory(contact=contact)
    before = data_version(user.pk)
    with CaptureQueriesContext(connection) as five:
        contact.delete()
    assert data_version(user.pk) > before
    other = ContactFactory(owner=user)
    for _ in range(25):
        ContactEmailFactory(contact=other)
    with CaptureQueriesContext(connection) as many:
        other.delete()
    assert len(many.captured_queries) == len(five.captured_queries)


def test_a_missing_version_never_starts_again_from_an_old_number(db: None) -> None:
    from django.core.cache import cache

    data_changed(424242)
    first = data_version(424242)
    time.sleep(0.01)
    cache.delete("rapport:data-version:424242")  # evicted
    assert data_version(424242) > first
