"""The settings services: what each stores, and that each saves only its own fields."""

import pytest
from django.contrib.auth.models import User

from crm.models import UserSettings
from crm.services import user_settings_update
from reminders.notes import DEFAULT_TEMPLATES
from reminders.services import (
    calendar_token_revoke,
    calendar_token_rotate,
    note_template_reset,
    note_templates_save,
)

pytestmark = pytest.mark.django_db


def test_user_settings_update_saves_only_the_fields_given(user: User) -> None:
    mine = UserSettings.for_user(user)
    # Another tab changed the digest meanwhile: this save must not undo it.
    UserSettings.objects.filter(pk=mine.pk).update(digest_enabled=False)
    user_settings_update(settings=mine, values={"cadence_close": 12, "sender_asked": True})
    fresh = UserSettings.for_user(user)
    assert (fresh.cadence_close, fresh.sender_asked, fresh.digest_enabled) == (12, True, False)


def test_note_templates_save_stores_only_the_edited_ones(user: User) -> None:
    birthday = DEFAULT_TEMPLATES["birthday"]
    job = DEFAULT_TEMPLATES["job_change"]
    note_templates_save(
        owner=user,
        entered={
            # The default as a browser posts it (CRLF) is no edit.
            "birthday": (birthday.subject, birthday.body.replace("\n", "\r\n")),
            "job_change": (job.subject, "Congratulations, {first_name}!"),
        },
    )
    assert UserSettings.for_user(user).note_templates == {
        "job_change": {"subject": job.subject, "body": "Congratulations, {first_name}!"}
    }
    note_template_reset(owner=user, kind="job_change")
    assert UserSettings.for_user(user).note_templates == {}


def test_calendar_token_rotate_replaces_the_address_and_revoke_clears_it(user: User) -> None:
    first = calendar_token_rotate(owner=user)
    second = calendar_token_rotate(owner=user)
    assert first != second and len(second) >= 40
    assert UserSettings.for_user(user).calendar_token == second
    calendar_token_revoke(owner=user)
    assert UserSettings.for_user(user).calendar_token is None
