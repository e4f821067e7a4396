"""vCards shaped like real exports: Google Contacts (3.0) and Outlook (2.1).

The files are in tests/fixtures/. Google escapes the colon of every URL
(`https\\://www.linkedin.com/in/…`); Outlook writes quoted-printable notes with
soft line breaks, unescaped commas, and Windows-1252 names.
"""

from pathlib import Path

import pytest
from django.contrib.auth.models import User

from contacts.importers import run_import
from contacts.models import Contact

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"


def _import(user: User, name: str) -> None:
    report = run_import(owner=user, source="vcard", data=(FIXTURES / name).read_bytes())
    assert report.skipped == [] and report.warnings == []


@pytest.mark.django_db
def test_a_google_contacts_export_keeps_the_linkedin_url_behind_an_escaped_colon(
    user: User,
) -> None:
    _import(user, "google-contacts.vcf")
    kwame = Contact.objects.get(last_name="Mensah")
    assert kwame.linkedin_url == "https://www.linkedin.com/in/kwame-mensah"
    # The other web address is kept, unescaped, in the notes.
    assert kwame.notes == (
        "Intro'd by Ama at the Accra meetup, then coffee at Osu.\nWeb: https://volta.example/team"
    )
    elodie = Contact.objects.get(last_name="Marchand")
    assert elodie.linkedin_url == "https://www.linkedin.com/in/elodie-marchand"
    assert elodie.notes == "Climbing partner.\nAllergic to peanuts."


@pytest.mark.django_db
def test_a_google_contacts_export_leaves_out_the_my_contacts_group(user: User) -> None:
    _import(user, "google-contacts.vcf")
    tags = Contact.objects.get(last_name="Mensah").tags.values_list("name", flat=True)
    assert list(tags) == ["work"]


@pytest.mark.django_db
def test_an_outlook_note_keeps_everything_after_soft_line_breaks_and_commas(user: User) -> None:
    _import(user, "outlook-2.1.vcf")
    anna = Contact.objects.get(last_name="Lindqvist")
    assert anna.notes == (
        "Met at the Stockholm partner day, 2024. Prefers calls before 10, never on Fridays.\n"
        "Second line: her team covers Norway, Denmark and Finland, and she asked for the "
        "pricing sheet."
    )
    position = anna.positions.get()
    assert (position.company, position.title) == ("Contoso Ltd.", "Account Manager, Nordics")
    assert anna.linkedin_url == "https://www.linkedin.com/in/anna-lindqvist"
    assert sorted(anna.phones.values_list("number", flat=True)) == [
        "(425) 555-0100",
        "+46 70 555 01 99",
    ]


@pytest.mark.django_db
def test_an_outlook_card_in_windows_1252_quoted_printable_reads_its_accents(user: User) -> None:
    _import(user, "outlook-2.1.vcf")
    renee = Contact.objects.get(emails__email="renee@fabrikam.example")
    assert (renee.first_name, renee.last_name) == ("Renée", "François")
    assert renee.notes == "Café near the office, every second Tuesday."


@pytest.mark.django_db
def test_a_bare_quoted_printable_parameter_joins_soft_breaks_too(user: User) -> None:
    # vCard 2.1 lets parameters go without their name: NOTE;QUOTED-PRINTABLE:…
    card = (
        "BEGIN:VCARD\r\nVERSION:2.1\r\nN:Doe;Jo\r\n"
        "NOTE;QUOTED-PRINTABLE:first half, =\r\nsecond half\r\nEND:VCARD\r\n"
    )
    run_import(owner=user, source="vcard", data=card.encode())
    assert Contact.objects.get().notes == "first half, second half"
