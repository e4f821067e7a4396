"""The JSON backup (format v1) round-trips everything and skips the items it cannot read
(whole files no importer can read: test_transfer_bad_input.py)."""

import json
import re
from datetime import date, time
from typing import Any

import pytest
from django.contrib.auth.models import User

from contacts.exporters import export_json
from contacts.importers import run_import
from contacts.models import Contact, Interaction, Introduction, Promise
from contacts.relation_models import TrustChange
from crm.models import UserSettings
from reminders.keys import career_move_key, custom_date_key
from tests.factories import (
    ContactEmailFactory,
    ContactFactory,
    ContactPhoneFactory,
    CustomDateFactory,
    InteractionFactory,
    NoteDraftFactory,
    PositionFactory,
    ReminderFactory,
    backup_json,
)


def _issue_21_rows(owner: User, jill: Contact, ines: Contact, call: Interaction) -> None:
    """Promises, introductions (with a waiting reminder) and trust history (format 1.2/1.4)."""
    Promise.objects.create(
        owner=owner, contact=jill, text="Send the deck", due_on=date(2026, 12, 1), interaction=call
    )
    Promise.objects.create(
        owner=owner, contact=ines, made_by="them", text="A reference", kept_on=date(2026, 10, 3)
    )
    waiting = Introduction.objects.create(
        owner=owner,
        first=ines,
        second=jill,
        reason="Both fund climate startups",
        status="waiting_first",
        step_on=date(2026, 10, 1),
        asked_first_on=date(2026, 10, 1),
    )
    Introduction.objects.create(
        owner=owner,
        first=jill,
        second=ines,
        reason="Rowing",
        status="declined",
        declined_by="first",
        step_on=date(2026, 9, 1),
        asked_first_on=date(2026, 9, 1),
        closed_on=date(2026, 9, 2),
    )
    ReminderFactory(
        contact=ines,
        kind="introduction",
        occasion_key=f"introduction:{waiting.pk}:waiting_first",
        due_on=date(2026, 10, 8),
    )
    TrustChange.objects.create(
        owner=owner,
        contact=ines,
        from_level="know_well",
        to_level="close",
        promotion=True,
        changed_on=date(2026, 8, 1),
    )


def build_account(owner: User) -> None:
    introducer = ContactFactory(
        owner=owner, first_name="Ines", last_name="Introducer", trust_level="close"
    )
    jill = ContactFactory(
        owner=owner,
        first_name="Jill",
        last_name="Okafor",
        trust_level=None,
        how_we_met="PyCon sprint",
        met_on=date(2019, 5, 4),
        met_at="Cleveland",
        introduced_by=introducer,
        linkedin_url="https://www.linkedin.com/in/jill-okafor",
        birthday_month=2,
        birthday_day=29,
        notes="Likes Django.\nTwo kids.",
        keep_in_touch_days=45,
        connected_on=date(2019, 3, 14),
        tags=["python", "vc"],
    )
    ContactEmailFactory(contact=jill, email="jill@example.org", label="work")
    ContactPhoneFactory(contact=jill, number="+1 415 555 0100", label="cell")
    PositionFactory(
        contact=jill,
        company="Northwind",
        title="Associate",
        start_date=date(2015, 1, 1),
        end_date=date(2020, 6, 30),
    )
    current = PositionFactory(
        contact=jill,
        company="Contoso",
        title="Partner",
        start_date=None,
        source="detected",
        move="job_change",
        detected_on=date(2026, 11, 1),
    )
    custom = CustomDateFactory(contact=jill, label="Started running", date=date(2020, 4, 1))
    ContactFactory(
        owner=owner,
        first_name="Solo",
        last_name="",
        birthday_year=1990,
        birthday_month=1,
        birthday_day=31,
        trust_level="following",
    )
    call = InteractionFactory(
        owner=owner,
        kind="meal",
        occurred_on=date(2026, 10, 2),
        occurred_at=time(12, 30),
        summary="Lunch",
        notes="Talked about the fund.",
        contacts=[jill, introducer],
    )
    reminder = ReminderFactory(
        contact=jill,
        kind="job_change",
        occasion_key=career_move_key(current.pk),
        position=current,
        due_on=date(2026, 11, 1),
        status="snoozed",
        snoozed_until=date(2026, 12, 3),
    )
    ReminderFactory(
        contact=jill,
        kind="custom",
        occasion_key=custom_date_key(custom.pk, date(2027, 4, 1)),
        custom_date=custom,
        due_on=date(2027, 4, 1),
        years=7,
    )
    NoteDraftFactory(
        contact=jill, reminder=reminder, subject="Congrats", body="Well done!", interaction=call
    )
    _issue_21_rows(owner, jill, introducer, call)
    settings = UserSettings.for_user(owner)
    settings.cadence_close, settings.time_zone = 14, "Europe/Berlin"
    settings.note_templates = {"birthday": {"subject": "Happy birthday!", "body": "Cake?"}}
    settings.save()


def export(owner: User) -> dict[str, Any]:
    return json.loads("".join(export_json(owner)))


def canonical(document: dict[str, Any]) -> dict[str, Any]:
    """The document with ids replaced by their order, and timestamps dropped."""
    ids: dict[str, dict[int, int]] = {}

    def ordinal(kind: str, items: list[dict[str, Any]]) -> None:
        ids[kind] = {item["id"]: n for n, item in enumerate(items)}

    positions = [p for c in document["contacts"] for p in c["positions"]]
    dates = [d for c in document["contacts"] for d in c["custom_dates"]]
    ordinal("contact", document["contacts"])
    ordinal("position", positions)
    ordinal("custom", dates)  # keys say "custom:<id>", so the kind is named "custom"
    ordinal("interaction", document["interactions"])
    ordinal("reminder", document["reminders"])
    ordinal("note", document["notes"])
    ordinal("introduction", document["introductions"])

    def ref(kind: str, value: int | None) -> int | None:
        return None if value is None else ids[kind][value]

    for contact in document["contacts"]:
        contact["id"] = ref("contact", contact["id"])
        contact["introduced_by"] = ref("contact", contact["introduced_by"])
        for p in contact["positions"]:
            p["id"] = ref("position", p["id"])
        for d in contact["custom_dates"]:
            d["id"] = ref("custom", d["id"])
    for item in document["interactions"]:
        item["id"] = ref("interaction", item["id"])
        item["contacts"] = sorted(ids["contact"][c] for c in item["contacts"])
    for item in document["reminders"]:
        item["id"] = ref("reminder", item["id"])
        item["contact"] = ref("contact", item["contact"])
        item["position"] = ref("position", item["position"])
        item["custom_date"] = ref("custom", item["custom_date"])
        item["occasion_key"] = re.sub(
            r"^(position|custom|introduction):(\d+)",
            lambda m: f"{m.group(1)}:#{ids[m.group(1)][int(m.group(2))]}",
            item["occasion_key"],
        )
    for item in document["notes"]:
        item["id"] = ref("note", item["id"])
        item["contact"] = ref("contact", item["contact"])
        item["reminder"] = ref("reminder", item["reminder"])
        item["interaction"] = ref("interaction", item["interaction"])
    document["not_duplicates"] = sorted(
        sorted(ids["contact"][c] for c in pair) for pair in document.get("not_duplicates", [])
    )
    for item in document["promises"]:
        item.pop("id")
        item["contact"] = ref("contact", item["contact"])
        item["interaction"] = ref("interaction", item["interaction"])
        item["kept_interaction"] = ref("interaction", item["kept_interaction"])
    for item in document["introductions"]:
        item["id"] = ref("introduction", item["id"])
        item["first"], item["second"] = (
            ref("contact", item["first"]),
            ref("contact", item["second"]),
        )
    for item in document["trust_changes"]:
        item["contact"] = ref("contact", item["contact"])
    for item in document.get("phone_sync", {}).get("cards", []):
        item["contact"] = ref("contact", item["contact"])
    document.pop("exported_at")
    return document


@pytest.mark.django_db
def test_export_then_import_into_an_empty_account_then_export_is_the_same(
    user: User, other_user: User
) -> None:
    build_account(user)
    first = export(user)
    assert first["format"] == "rapport" and first["version"] == 1
    assert first["settings"]["cadence_close"] == 14 and "birthday" in first["note_templates"]
    jill = next(c for c in first["contacts"] if c["first_name"] == "Jill")
    assert jill["birthday"] == "--02-29" and jill["trust_level"] is None
    assert jill["emails"] == [{"email": "jill@example.org", "label": "work"}]
    report = run_import(
        owner=other_user, source="json", data=json.dumps(first).encode(), today=date(2026, 11, 29)
    )
    assert report.summary == "created=3 updated=0 job_changes=0 skipped=0"
    assert report.extra["matching"]["restore"] is True
    assert {k: report.extra[k] for k in ("interactions", "reminders", "notes")} == {
        "interactions": 1,
        "reminders": 3,  # with the waiting introduction's, pointed at its restored row
        "notes": 1,
    }
    second = export(other_user)
    assert canonical(second) == canonical(first)
    copy = Contact.objects.get(owner=other_user, first_name="Jill")
    assert copy.last_interaction_on == date(2026, 10, 2)
    assert "contoso" in copy.search_text


@pytest.mark.django_db
def test_importing_the_same_backup_again_matches_by_email_and_url_only(user: User) -> None:
    build_account(user)
    data = "".join(export_json(user)).encode()
    report = run_import(owner=user, source="json", data=data)
    # Jill has a LinkedIn URL and an email, so she is found; Ines and Solo have only a
    # name, which never identifies a person: they are added again (and the preview says so).
    assert [c["name"] for c in report.created] == ["Ines Introducer", "Solo"]
    assert len(report.skipped) == 1
    assert Contact.objects.filter(owner=user).count() == 3 + 2
    # The lunch had Jill and Ines; Ines is a new contact now, so it is not Jill's old lunch.
    assert Interaction.objects.filter(owner=user).count() == 2


@pytest.mark.django_db
def test_it_ignores_unknown_keys_and_accepts_plain_email_strings(user: User) -> None:
    with_unknown_keys = {
        "id": "a",
        "first_name": "Ada",
        "emails": ["ADA@example.org"],
        "shoe_size": 38,
        "birthday": "1985-12-10",
        "tags": ["math"],
    }
    data = backup_json(future_section=[1, 2], contacts=[with_unknown_keys])
    report = run_import(owner=user, source="json", data=data)
    assert len(report.created) == 1
    ada = Contact.objects.get(owner=user)
    assert ada.emails.get().email == "ada@example.org"
    assert (ada.birthday_year, ada.birthday_month, ada.birthday_day) == (1985, 12, 10)


@pytest.mark.django_db
def test_it_skips_invalid_items_with_a_reason_and_keeps_the_rest(user: User) -> None:
    data = backup_json(
        contacts=[
            {"id": 1, "first_name": "", "last_name": ""},
            {"id": 2, "first_name": "Bad", "trust_level": "bestie"},
            {"id": 3, "first_name": "Bad", "birthday": "July 4th"},
            {"id": 4, "first_name": "Good"},
        ],
        interactions=[{"id": 1, "kind": "dance", "occurred_on": "2026-01-01", "contacts": [4]}],
    )
    report = run_import(owner=user, source="json", data=data)
    assert len(report.created) == 1
    reasons = [s["reason"] for s in report.skipped]
    assert reasons[0] == "Contact 1: no first or last name."
    assert 'unknown trust level "bestie"' in reasons[1]
    assert "birthday" in reasons[2]
    assert 'Interaction 1: unknown kind "dance".' in reasons
