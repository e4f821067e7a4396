"""Settings and note templates travel in the JSON backup (format 1.1) and come back on restore."""

import json
from datetime import date
from typing import Any

import pytest
from django.contrib.auth.models import User

from contacts.exporters import export_json
from contacts.importers import run_import
from crm.backup import note_templates_restore, settings_restore
from crm.models import UserSettings
from tests.factories import ContactFactory

TODAY = date(2026, 11, 29)
BIRTHDAY = {"subject": "Happy birthday, {first_name}!", "body": "Hi {first_name},\n\nCake soon?"}


def customise(user: User) -> UserSettings:
    settings = UserSettings.for_user(user)
    settings.time_zone = "Europe/Berlin"
    settings.week_start = 6
    settings.cadence_close = 21
    settings.cadence_met = 400
    settings.cadence_acquaintance = None
    settings.milestone_years = "1,3,5"
    settings.milestone_every = 10
    settings.remind_following = True
    settings.digest_enabled = False
    settings.digest_weekday = 4
    settings.note_templates = {"birthday": BIRTHDAY}
    settings.calendar_token = "a-feed-secret"
    settings.save()
    return settings


def document(user: User) -> dict[str, Any]:
    return json.loads("".join(export_json(user)))


def restore(user: User, backup: dict[str, Any]) -> list[str]:
    report = run_import(owner=user, source="json", data=json.dumps(backup).encode(), today=TODAY)
    return report.warnings


@pytest.mark.django_db
def test_the_backup_holds_the_settings_and_edited_templates_but_not_the_calendar_secret(
    user: User,
) -> None:
    customise(user)
    backup = document(user)
    # Settings came in 1.1; later minor versions only add.
    assert backup["version"] == 1 and backup["minor_version"] >= 1
    assert backup["settings"]["time_zone"] == "Europe/Berlin"
    assert backup["settings"]["cadence_acquaintance"] is None
    assert backup["settings"]["remind_following"] is True
    assert "calendar_token" not in backup["settings"] and "user" not in backup["settings"]
    assert backup["note_templates"] == {"birthday": BIRTHDAY}


@pytest.mark.django_db
def test_a_restore_into_an_empty_account_brings_them_back(user: User, other_user: User) -> None:
    customise(user)
    ContactFactory(owner=user)
    assert restore(other_user, document(user)) == []
    copy, original = UserSettings.for_user(other_user), UserSettings.for_user(user)
    assert document(other_user)["settings"] == document(user)["settings"]
    assert (copy.time_zone, copy.cadence_met, copy.milestone_years) == (
        "Europe/Berlin",
        400,
        "1,3,5",
    )
    assert copy.note_templates == {"birthday": BIRTHDAY}
    assert copy.calendar_token is None and original.calendar_token


@pytest.mark.django_db
def test_into_an_account_in_use_the_persons_own_settings_stay(user: User, other_user: User) -> None:
    customise(user)
    ContactFactory(owner=other_user)
    restore(other_user, document(user))
    mine = UserSettings.for_user(other_user)
    assert (mine.time_zone, mine.cadence_close, mine.note_templates) == ("UTC", 30, {})


@pytest.mark.django_db
def test_a_bad_setting_is_left_as_it_is_with_a_warning_and_the_rest_restored(user: User) -> None:
    warnings = settings_restore(
        owner=user,
        values={
            "time_zone": "Mars/Olympus",
            "cadence_close": 14,
            "cadence_know_well": 0,
            "milestone_years": "1, 99",
            "digest_enabled": False,
            "unknown_later_setting": "ignored",
        },
    )
    settings = UserSettings.for_user(user)
    assert (settings.time_zone, settings.cadence_close, settings.cadence_know_well) == (
        "UTC",
        14,
        90,
    )
    assert (settings.milestone_years, settings.digest_enabled) == ("1,5,10", False)
    by_name = {w.split('"')[1]: w for w in warnings}
    assert set(by_name) == {"time_zone", "cadence_know_well", "milestone_years"}
    assert "not a known time zone" in by_name["time_zone"]
    assert "at least 1 day" in by_name["cadence_know_well"]
    assert "“99” is not a number of years" in by_name["milestone_years"]


@pytest.mark.django_db
def test_a_template_with_an_unknown_placeholder_or_kind_is_left_out(user: User) -> None:
    warnings = note_templates_restore(
        owner=user,
        values={
            "birthday": BIRTHDAY,
            "job_change": {"subject": "Hi {nickname}", "body": "x"},
            "wedding": {"subject": "s", "body": "b"},
            "custom": "not an object",
        },
    )
    assert UserSettings.for_user(user).note_templates == {"birthday": BIRTHDAY}
    assert [w.split(":")[0] for w in warnings] == [
        'Note template "job_change" was left out',
        'Note template "wedding" is not one Rapport knows, so it was left out.',
        'Note template "custom" is not one Rapport knows, so it was left out.',
    ]


@pytest.mark.django_db
def test_settings_that_are_not_an_object_change_nothing(user: User) -> None:
    assert settings_restore(owner=user, values=["UTC"]) == [
        '"settings" is not an object, so your settings were left as they are.'
    ]
    assert settings_restore(owner=user, values=None) == []
    assert UserSettings.for_user(user).time_zone == "UTC"
