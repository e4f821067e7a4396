"""Moving in from Google Contacts ("Google CSV") and Outlook (CSV): every field arrives."""

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
from contacts.importers import ImportFileError, ImportReport, run_import
from contacts.importers.detect import detect_source
from contacts.models import Contact, ImportJob, SourceRecord
from tests.factories import ContactEmailFactory, ContactFactory

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
TODAY = date(2026, 11, 29)


def load(owner: User, source: str, name: str) -> ImportReport:
    data = (FIXTURES / name).read_bytes()
    return run_import(owner=owner, source=source, data=data, today=TODAY)


def exported(owner: User) -> dict[str, dict[str, Any]]:
    """The account as Rapport's JSON export has it, by full name."""
    document = json.loads("".join(export_json(owner)))
    return {f"{c['first_name']} {c['last_name']}".strip(): c for c in document["contacts"]}


def imported(owner: User, source: str, name: str) -> tuple[ImportReport, dict[str, dict[str, Any]]]:
    """Import a fixture file, then read the account back as the JSON export has it."""
    report = load(owner, source, name)
    return report, exported(owner)


@pytest.mark.django_db
def test_every_google_field_arrives_in_a_field_or_under_a_heading(user: User) -> None:
    report, people = imported(user, "google_csv", "google-contacts.csv")
    assert report.summary == "created=6 updated=0 job_changes=0 skipped=0"
    kwame = people["Kwame Mensah"]
    assert kwame["emails"] == [{"email": "kwame@volta.example", "label": "work"}]
    assert [p["number"] for p in kwame["phones"]] == ["+233 20 555 0101", "+233 30 555 0199"]
    assert kwame["birthday"] == "--09-21"  # year-less
    assert kwame["linkedin_url"] == "https://www.linkedin.com/in/kwame-mensah"
    assert kwame["tags"] == ["work"]  # "* myContacts" is Google's, not a tag
    assert [(p["company"], p["title"]) for p in kwame["positions"]] == [("Volta Labs", "CTO")]
    assert kwame["trust_level"] is None  # not rated yet: Sort comes next
    elodie = people["Élodie Marchand"]
    assert elodie["birthday"] == "1991-04-02"
    assert [e["email"] for e in elodie["emails"]] == ["elodie@example.fr", "e.marchand@example.org"]
    assert elodie["tags"] == ["climbing", "friends"]
    notes = elodie["notes"]
    assert notes.startswith("Climbing partner.\nAllergic to peanuts.")
    assert "From Google: addresses\nHome: 12 rue des Lilas 69003 Lyon" in notes
    assert "From Google: websites\nBlog: https://elodie.example.fr" in notes
    assert "From Google: relations\nSpouse: Théo" in notes
    assert "From Google: events\nAnniversary: 2015-06-20" in notes
    assert "From Google: custom fields\nShoe Size: 38" in notes
    assert "Nickname: Lo" in notes
    assert people["李 小龙"]["birthday"] == "1980-11-27"
    assert "Phonetic First Name: Xiaolong" in people["李 小龙"]["notes"]
    assert people["Café Zürich GmbH"]["positions"][0]["company"] == "Café Zürich GmbH"
    assert people["only-an-address@example.net"]["emails"][0]["email"] == (
        "only-an-address@example.net"
    )
    zoe = people["Zoë O'Brien-Łukasz"]
    assert zoe["birthday"] is None
    assert "Birthday: sometime in May" in zoe["notes"]
    assert zoe["tags"] == ["starred"]
    assert any("sometime in May" in w for w in report.warnings)
    fields = report.extra["fields"]
    assert fields["in_notes"] == sum(fields["headings"].values()) > 0
    assert fields["headings"]["From Google: addresses"] == 1
    assert fields["mapped"] >= 25


@pytest.mark.django_db
def test_the_older_google_csv_with_type_columns(user: User) -> None:
    report, people = imported(user, "google_csv", "google-contacts-legacy.csv")
    assert report.summary == "created=2 updated=0 job_changes=0 skipped=0"
    ngozi = people["Ngozi Adichie"]
    assert [(e["email"], e["label"]) for e in ngozi["emails"]] == [
        ("ngozi@example.ng", "home"),
        ("n.adichie@work.example", "home"),
    ]
    assert ngozi["positions"][0]["title"] == "Editor"
    assert ngozi["tags"] == ["book club"]
    assert "From Google: other organisations\ndepartment: Fiction" in ngozi["notes"]
    assert "Gender: female" in ngozi["notes"]
    assert people["Søren Kierkegård"]["birthday"] == "--05-05"


@pytest.mark.django_db
def test_every_outlook_field_arrives(user: User) -> None:
    report, people = imported(user, "outlook_csv", "outlook-contacts.csv")
    assert report.summary == "created=3 updated=0 job_changes=0 skipped=0"
    amelie = people["Amélie Dubois-Ngata"]
    assert [e["email"] for e in amelie["emails"]] == [
        "amelie.dubois@chu.example.fr",
        "amelie@perso.example",
    ]
    assert [(p["number"], p["label"]) for p in amelie["phones"]] == [
        ("+33 4 67 55 01 00", "work"),
        ("+33 6 55 01 02 03", "mobile"),
    ]
    assert amelie["birthday"] == "1979-03-14"
    assert amelie["linkedin_url"] == "https://www.linkedin.com/in/amelie-dubois"
    assert amelie["tags"] == ["médecins", "vip"]
    assert amelie["positions"][0]["title"] == "Cheffe de service"
    assert (
        "From Outlook: addresses\nBusiness: 80 avenue Augustin Fliche, 34090 Montpellier, France"
        in amelie["notes"]
    )
    assert "Department: Cardiologie" in amelie["notes"]
    assert "Spouse: Karim" in amelie["notes"]
    bjorn = people["Björn Ægirsson"]
    assert bjorn["birthday"] is None  # Outlook's "0/0/00"
    assert "Hobby: Sailing" in bjorn["notes"]
    assert "Home: Laugavegur 1, 101 Reykjavík, Iceland" in bjorn["notes"]
    assert people["Acme Plumbing"]["phones"][0]["number"] == "+1 555 0100"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("source", "name"),
    [("google_csv", "google-contacts.csv"), ("outlook_csv", "outlook-contacts.csv")],
)
def test_a_second_import_of_the_same_export_changes_nothing(
    user: User, source: str, name: str
) -> None:
    load(user, source, name)
    before = exported(user)
    again = load(user, source, name)
    assert again.summary == "created=0 updated=0 job_changes=0 skipped=0"
    assert exported(user) == before
    assert SourceRecord.objects.filter(owner=user).count() == len(before)


@pytest.mark.django_db
def test_people_are_matched_by_email_never_by_name(user: User) -> None:
    known = ContactFactory(owner=user, first_name="Élodie", last_name="Marchand", notes="Mine.")
    ContactEmailFactory(contact=known, email="elodie@example.fr")
    namesake = ContactFactory(owner=user, first_name="Kwame", last_name="Mensah")
    report = load(user, "google_csv", "google-contacts.csv")
    assert len(report.created) == 5
    known.refresh_from_db()
    assert known.notes.startswith("Mine.\n\nClimbing partner.")  # appended, not replaced
    assert "From Google: addresses" in known.notes
    assert Contact.objects.filter(owner=user, first_name="Kwame").count() == 2
    assert namesake.emails.count() == 0


def test_the_format_is_detected_from_the_file() -> None:
    assert detect_source((FIXTURES / "google-contacts.csv").read_bytes()) == "google_csv"
    assert detect_source((FIXTURES / "google-contacts-legacy.csv").read_bytes()) == "google_csv"
    assert detect_source((FIXTURES / "outlook-contacts.csv").read_bytes()) == "outlook_csv"
    assert detect_source(b"First Name,Last Name,URL,Email Address\n") == "linkedin"
    assert detect_source(b"BEGIN:VCARD\r\nVERSION:3.0\r\n") == "vcard"
    with pytest.raises(ImportFileError, match="could not tell"):
        detect_source(b"name;phone\nAnna;1\n")


@pytest.mark.django_db
def test_the_import_page_detects_a_google_export(auth_client: Client, user: User) -> None:
    upload = (FIXTURES / "google-contacts.csv").open("rb")
    response = auth_client.post(
        reverse("contacts:import"), {"source": "auto", "file": upload, "trust_level": ""}
    )
    job = ImportJob.objects.get(owner=user)
    assert response.status_code == 302
    assert job.source == "google_csv"
    page = auth_client.get(reverse("contacts:import_preview", args=[job.pk]))
    assert "Where every field goes" in page.content.decode()
    assert "From Google: addresses" in page.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("source", "content", "message"),
    [
        ("google_csv", b"Name;Phone\nAnna;1\n", "not a Google Contacts CSV"),
        ("outlook_csv", b"First Name,Last Name\nAnna,B\n", "not an Outlook CSV"),
        ("google_csv", b"\x00\x01\x02", "binary"),
        ("auto", b"just some words\n", "could not tell"),
    ],
)
def test_a_bad_file_is_a_400_with_the_reason_and_nothing_saved(
    auth_client: Client, user: User, source: str, content: bytes, message: str, tmp_path: Path
) -> None:
    path = tmp_path / "contacts.csv"
    path.write_bytes(content)
    with path.open("rb") as upload:
        response = auth_client.post(reverse("contacts:import"), {"source": source, "file": upload})
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Contact.objects.filter(owner=user).exists()
    assert not ImportJob.objects.filter(owner=user).exists()


@pytest.mark.django_db
def test_the_commands_import_and_exit_2_on_a_bad_file(user: User, tmp_path: Path) -> None:
    out = StringIO()
    call_command(
        "import_outlook_csv", str(FIXTURES / "outlook-contacts.csv"), user="alice", stdout=out
    )
    assert "created=3" in out.getvalue()
    assert "kept in the notes: From Outlook: addresses (2)" in out.getvalue()
    bad = tmp_path / "bad.csv"
    bad.write_text("Given;Family\n")
    with pytest.raises(CommandError, match="not a Google Contacts CSV") as error:
        call_command("import_google_csv", str(bad), user="alice")
    assert error.value.returncode == 2


@pytest.mark.django_db
def test_a_merged_person_is_still_found_on_the_next_import(user: User) -> None:
    from contacts.duplicates import contact_merge

    load(user, "google_csv", "google-contacts.csv")
    survivor = Contact.objects.get(owner=user, first_name="Kwame")
    duplicate = Contact.objects.get(owner=user, first_name="李")  # no email: found by its id
    contact_merge(survivor=survivor, duplicate=duplicate, choices={})
    again = load(user, "google_csv", "google-contacts.csv")
    assert again.created == []
    assert SourceRecord.objects.filter(owner=user, contact=survivor).count() == 2


@pytest.mark.django_db
def test_outlooks_defaults_are_dropped_only_in_their_own_columns(user: User) -> None:
    header = "First Name,Last Name,Private,Sensitivity,Birthday,E-mail Address,E-mail Type\r\n"
    row = "Jo,False,False,Normal,0/0/00,jo@example.org,SMTP\r\n"
    run_import(owner=user, source="outlook_csv", data=(header + row).encode(), today=TODAY)
    jo = Contact.objects.get(owner=user)
    assert (jo.first_name, jo.last_name, jo.notes) == ("Jo", "False", "")
