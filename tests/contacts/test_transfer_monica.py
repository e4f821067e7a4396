"""Moving in from Monica 4.x: its JSON export, read as its exporter writes it."""

import json
from datetime import date
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client
from django.urls import reverse

from contacts.exporters import export_json
from contacts.importers import ImportReport, run_import
from contacts.models import Contact, ImportJob, Interaction
from tests.factories import ContactEmailFactory, ContactFactory

FIXTURE = Path(__file__).resolve().parent.parent / "fixtures" / "monica-export.json"
TODAY = date(2026, 11, 29)


def load(owner: User, data: bytes | None = None) -> ImportReport:
    data = FIXTURE.read_bytes() if data is None else data
    return run_import(owner=owner, source="monica", data=data, today=TODAY)


def exported(owner: User) -> dict[str, Any]:
    return json.loads("".join(export_json(owner)))


def by_name(document: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {f"{c['first_name']} {c['last_name']}".strip(): c for c in document["contacts"]}


@pytest.mark.django_db
def test_every_monica_field_arrives(user: User) -> None:
    report = load(user)
    assert report.summary == "created=4 updated=0 job_changes=0 skipped=1"
    assert "Lili Петрова is a relative" in report.skipped[0]["reason"]
    document = exported(user)
    people = by_name(document)
    ana, jose, mei = people["Ана Петрова"], people["José Núñez"], people["Mei 王"]
    assert [e["email"] for e in ana["emails"]] == ["ana@example.ru", "ana.petrova@work.example"]
    assert [p["number"] for p in ana["phones"]] == ["+7 495 555-01-01"]
    assert ana["linkedin_url"] == "https://www.linkedin.com/in/ana-petrova"
    assert ana["birthday"] == "1990-05-03"
    assert ana["met_on"] == "2012-09-01"
    assert ana["introduced_by"] == jose["id"]  # "met through"
    assert ana["tags"] == ["climbing", "friends"]
    assert [(p["company"], p["title"]) for p in ana["positions"]] == [("Яндекс", "Инженер")]
    assert ana["trust_level"] is None
    assert sorted((d["label"], d["date"], d["yearly"]) for d in ana["custom_dates"]) == [
        ("Visa expires", "2027-02-01", False),
        ("Wedding anniversary", "2015-06-20", True),
    ]
    notes = ana["notes"]
    for expected in (
        "From Monica: about\nNickname: Аня",
        "Food preferences: Vegetarian",
        "From Monica: contact fields\nTwitter: @anap",
        "From Monica: addresses\nHome: Тверская ул., 1, 125009 Москва, RU",
        "From Monica: relationships\nPartner of José Núñez\nParent of Lili Петрова",
        "From Monica: notes\n★ 2023-06-01: Loves bouldering",
        "From Monica: tasks\n[ ] Return her book — Dune\n[done 2024-02-12] Send photos",
        "From Monica: gifts\nIdea: Climbing chalk bag — 15 — She lost hers",
        "From Monica: debts\nYou owe them 20.00 — EUR",
        "From Monica: pets\nБарсик — Cat",  # noqa: RUF001 (a Russian name)
        "From Monica: life events\n2024-04-01: Moved to Berlin — New job",
        "Every 2 week(s) from 2024-01-07: Call",
        "Wedding anniversary: Send flowers",
    ):
        assert expected in notes
    assert jose["birthday"] == "--12-24"  # year unknown in Monica
    assert "Partner of Ана Петрова" in jose["notes"]
    assert mei["birthday"] is None
    assert "Born around 1985 (Monica knew only their age)" in mei["notes"]
    assert "Deceased on 2022-11-11" in people["Søren"]["notes"]
    interactions = {i["summary"]: i for i in document["interactions"]}
    dinner = interactions["Dinner at Chez Panisse"]
    assert dinner["kind"] == "meal"
    assert sorted(dinner["contacts"]) == sorted([ana["id"], mei["id"]])  # every participant
    assert interactions["Went to a museum"]["kind"] == "event"
    assert interactions["They called"]["notes"] == (
        "Talked about her move to Berlin.\nEmotions: happy"
    )
    assert interactions["Conversation"]["notes"] == "Me: Are you coming Saturday?\nThem: Yes! 🧗"
    assert report.extra["monica"] == {"introductions": 1, "interactions": 4, "dates": 2}
    fields = report.extra["fields"]
    assert fields["headings"]["From Monica: relationships"] == 3
    assert fields["in_notes"] == sum(fields["headings"].values())


@pytest.mark.django_db
def test_a_second_import_of_the_same_export_changes_nothing(user: User) -> None:
    load(user)
    before = exported(user)
    again = load(user)
    assert again.summary == "created=0 updated=0 job_changes=0 skipped=1"
    assert again.extra["monica"] == {"introductions": 0, "interactions": 0, "dates": 0}
    after = exported(user)
    assert after["contacts"] == before["contacts"]
    assert after["interactions"] == before["interactions"]


@pytest.mark.django_db
def test_a_contact_already_here_is_matched_by_email_and_keeps_their_notes(user: User) -> None:
    ana = ContactFactory(owner=user, first_name="Anna", last_name="P", notes="My own words.")
    ContactEmailFactory(contact=ana, email="ana@example.ru")
    namesake = ContactFactory(owner=user, first_name="José", last_name="Núñez")
    report = load(user)
    assert len(report.created) == 3
    ana.refresh_from_db()
    assert ana.notes.startswith("My own words.\n\nFrom Monica: about")
    assert ana.first_name == "Anna"  # never overwritten
    assert Interaction.objects.filter(contacts=ana, kind="call").exists()
    assert Contact.objects.filter(owner=user, first_name="José").count() == 2  # not by name
    assert not namesake.interactions.exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b'{"version": "1.0", "people": []}', "not a Monica export"),
        (b'{"version": "1.0", "account": {', "not valid JSON"),
        (b'{"version": "1.0", "account": {"data": []}}', "holds no contacts"),
    ],
)
def test_a_bad_export_is_a_400_and_exit_2_and_nothing_saved(
    auth_client: Client, user: User, tmp_path: Path, content: bytes, message: str
) -> None:
    path = tmp_path / "monica.json"
    path.write_bytes(content)
    with path.open("rb") as upload:
        response = auth_client.post(
            reverse("contacts:import"), {"source": "monica", "file": upload}
        )
    assert response.status_code == 400
    assert message in response.content.decode()
    with pytest.raises(CommandError, match=message) as error:
        call_command("import_monica", str(path), user="alice")
    assert error.value.returncode == 2
    assert not Contact.objects.filter(owner=user).exists()
    assert not ImportJob.objects.filter(owner=user).exists()


@pytest.mark.django_db
def test_the_import_page_detects_a_monica_export_and_offers_sort(
    auth_client: Client, user: User, django_capture_on_commit_callbacks: Any
) -> None:
    with FIXTURE.open("rb") as upload:
        response = auth_client.post(reverse("contacts:import"), {"source": "auto", "file": upload})
    job = ImportJob.objects.get(owner=user)
    assert response.status_code == 302
    assert job.source == "monica"
    page = auth_client.get(reverse("contacts:import_preview", args=[job.pk]))
    assert "From Monica: relationships" in page.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        auth_client.post(reverse("contacts:import_preview", args=[job.pk]), {"action": "commit"})
    result = auth_client.get(reverse("contacts:import_job", args=[job.pk])).content.decode()
    assert "Import finished" in result
    assert "Sort these 4 people now" in result


@pytest.mark.django_db
def test_the_command_imports_an_export(user: User) -> None:
    out = StringIO()
    call_command("import_monica", str(FIXTURE), user="alice", stdout=out)
    assert out.getvalue().startswith("created=4 updated=0 job_changes=0 skipped=1\nfields: ")


@pytest.mark.django_db
def test_where_they_met_lands_in_the_place_when_monica_has_it(user: User) -> None:
    """Monica 4 keeps `first_met_where` (set by its introduction form) though its JSON
    exporter and API leave it out; a document that has it fills the place met."""
    document = {
        "people": [
            {"id": "u-1", "first_name": "Ines", "first_met_where": "PyCon Lisboa"},
            {"id": "u-2", "first_name": "Ola", "first_met_additional_info": "Via Ines"},
        ],
        "activities": [],
        "relationships": [],
    }
    data = json.dumps(document).encode()
    run_import(owner=user, source="monica_api", data=data, today=TODAY)
    assert Contact.objects.get(owner=user, first_name="Ines").met_at == "PyCon Lisboa"
    assert Contact.objects.get(owner=user, first_name="Ola").how_we_met == "Via Ines"
