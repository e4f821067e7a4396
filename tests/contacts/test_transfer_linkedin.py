"""Importing LinkedIn's Connections.csv: its quirks, matching and job-change detection."""

import io
import zipfile
from datetime import UTC, date, datetime
from typing import Any

import pytest
from django.contrib.auth.models import User

from contacts.importers import ImportFileError, ImportReport, run_import
from contacts.models import (
    CareerMove,
    ConnectionRequest,
    Contact,
    ContactEmail,
    Position,
    PositionSource,
    TrustLevel,
)
from tests.factories import ContactEmailFactory, ContactFactory, PositionFactory

pytestmark = pytest.mark.django_db

PREAMBLE = (
    "Notes:\r\n"
    '"When exporting your connection data, you may notice that some of the email addresses are '
    'missing. Learn more here https://www.linkedin.com/help/linkedin/answer/261"\r\n'
    "\r\n"
)
HEADER = "First Name,Last Name,URL,Email Address,Company,Position,Connected On\r\n"
ROWS = (
    "Jill,Okafor,https://www.linkedin.com/in/jill-okafor,,Northwind Ventures,Partner,"
    "14 Mar 2019\r\n"
    "Jane,Moreau,https://linkedin.com/in/JaneMoreau/,Jane.Moreau@example.org,Blue Lake,GP,"
    "02 Jan 2021\r\n"
    'Judy,Nakamura,https://www.linkedin.com/in/judy-n,,"Acme, Inc.","VP, Engineering",'
    "30 Nov 2017\r\n"
)
TODAY = date(2026, 11, 29)


def linkedin(owner: User, text: str | bytes, **kwargs: Any) -> ImportReport:
    data = text.encode("utf-8") if isinstance(text, str) else text
    return run_import(owner=owner, source="linkedin", data=data, today=TODAY, **kwargs)


def test_it_reads_the_header_after_a_preamble_with_bom_crlf_and_quoted_commas(user: User) -> None:
    report = linkedin(user, "\ufeff" + PREAMBLE + HEADER + ROWS + "\r\n,,,,,,\r\n\r\n")
    assert report.summary == "created=3 updated=0 job_changes=0 skipped=0"
    judy = Contact.objects.get(owner=user, first_name="Judy")
    position = judy.positions.get()
    assert (position.company, position.title) == ("Acme, Inc.", "VP, Engineering")
    assert position.source == PositionSource.IMPORTED and position.end_date is None
    assert judy.connected_on == date(2017, 11, 30)
    assert judy.trust_level is None  # not rated yet by default
    jane = Contact.objects.get(owner=user, first_name="Jane")
    assert jane.linkedin_url == "https://www.linkedin.com/in/janemoreau"
    assert list(jane.emails.values_list("email", flat=True)) == ["jane.moreau@example.org"]
    assert "acme, inc." in judy.search_text


def test_it_handles_a_longer_preamble_and_no_url_column(user: User) -> None:
    text = (
        "Notes:\nline one\nline two, with a comma\n\n\n"
        "First Name,Last Name,Email Address,Company,Position,Connected On\n"
        "Ravi,Shankar,ravi@example.com,,,08 Aug 2023\n"
    )
    report = linkedin(user, text)
    assert len(report.created) == 1
    ravi = Contact.objects.get(owner=user)
    assert ravi.linkedin_url == "" and ravi.connected_on == date(2023, 8, 8)
    assert not ravi.positions.exists()


def test_it_gives_new_contacts_the_chosen_trust_level(user: User) -> None:
    linkedin(user, HEADER + ROWS, trust_level=TrustLevel.FOLLOWING)
    assert set(Contact.objects.values_list("trust_level", flat=True)) == {"following"}


def test_it_reads_windows_1252_and_says_so(user: User) -> None:
    data = (HEADER + "Zoë,Lefèvre,,,Société Générale,Analyste,19 Feb 2024\r\n").encode("cp1252")
    report = linkedin(user, data)
    assert Contact.objects.get(owner=user).first_name == "Zoë"
    assert any("Windows-1252" in w for w in report.warnings)


def test_it_takes_connections_from_the_export_zip(user: User) -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(
            "Basic_LinkedInDataExport_11-29-2026/Connections.csv", PREAMBLE + HEADER + ROWS
        )
        archive.writestr("Basic_LinkedInDataExport_11-29-2026/Profile.csv", "x,y\n")
    report = linkedin(user, buffer.getvalue())
    assert len(report.created) == 3


def test_it_refuses_a_zip_without_connections(user: User) -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("Profile.csv", "x,y\n")
    with pytest.raises(ImportFileError, match=r"no Connections\.csv"):
        linkedin(user, buffer.getvalue())


def test_it_skips_rows_without_a_name_with_their_line_number(user: User) -> None:
    report = linkedin(
        user, HEADER + ",,https://www.linkedin.com/in/x,,Acme,CEO,01 Jan 2020\r\n" + ROWS
    )
    assert report.skipped == [{"line": 2, "reason": "No first or last name."}]
    assert len(report.created) == 3


def test_it_does_not_create_the_same_person_twice_from_one_file(user: User) -> None:
    report = linkedin(user, HEADER + ROWS + ROWS.splitlines(keepends=True)[0])
    assert len(report.created) == 3
    assert report.skipped == [{"line": 5, "reason": "Same person as line 2."}]


def test_it_changes_nothing_when_the_same_file_is_imported_again(user: User) -> None:
    linkedin(user, PREAMBLE + HEADER + ROWS)
    report = linkedin(user, PREAMBLE + HEADER + ROWS)
    assert report.summary == "created=0 updated=0 job_changes=0 skipped=0"
    assert Position.objects.count() == 3


def test_it_detects_a_job_change_and_a_promotion_on_reimport(user: User) -> None:
    linkedin(user, HEADER + ROWS)
    changed = ROWS.replace("Northwind Ventures,Partner", "Contoso,Partner").replace(
        '"VP, Engineering"', "CTO"
    )
    report = linkedin(user, HEADER + changed)
    assert report.summary == "created=0 updated=2 job_changes=2 skipped=0"
    jill = Contact.objects.get(first_name="Jill")
    old, new = jill.positions.order_by("id")
    assert old.end_date == date(2026, 11, 28) and old.company == "Northwind Ventures"
    assert (new.company, new.move, new.source) == ("Contoso", CareerMove.JOB_CHANGE, "detected")
    assert new.detected_on == TODAY and new.end_date is None
    judy_new = Contact.objects.get(first_name="Judy").positions.get(end_date__isnull=True)
    assert (judy_new.title, judy_new.move) == ("CTO", CareerMove.PROMOTION)
    assert {c["move"] for c in report.job_changes} == {"job_change", "promotion"}
    assert "contoso" in jill.search_text


def test_it_matches_by_email_then_by_name_and_company(user: User) -> None:
    by_email = ContactFactory(owner=user, first_name="J.", last_name="Moreau")
    ContactEmailFactory(contact=by_email, email="jane.moreau@example.org")
    by_name = ContactFactory(owner=user, first_name="Judy", last_name="NAKAMURA")
    PositionFactory(contact=by_name, company="acme, inc.", title="VP, Engineering", start_date=None)
    report = linkedin(user, HEADER + ROWS)
    assert len(report.created) == 1
    by_email.refresh_from_db()
    assert by_email.linkedin_url == "https://www.linkedin.com/in/janemoreau"
    assert by_email.connected_on == date(2021, 1, 2)
    assert by_email.first_name == "J."  # what the user typed is kept
    by_name.refresh_from_db()
    assert by_name.linkedin_url == "https://www.linkedin.com/in/judy-n"
    assert Position.objects.filter(contact=by_name).count() == 1  # same job: unchanged


def test_it_does_not_match_on_a_name_shared_by_two_contacts(user: User) -> None:
    for _ in range(2):
        twin = ContactFactory(owner=user, first_name="Judy", last_name="Nakamura")
        PositionFactory(contact=twin, company="Acme, Inc.", title="VP, Engineering")
    report = linkedin(user, HEADER + ROWS)
    assert len(report.created) == 3


def test_it_closes_a_position_that_started_later_on_its_start_date(user: User) -> None:
    contact = ContactFactory(owner=user, linkedin_url="https://www.linkedin.com/in/jill-okafor")
    PositionFactory(contact=contact, company="Old", title="Partner", start_date=date(2026, 12, 5))
    linkedin(user, HEADER + ROWS)
    old = contact.positions.get(company="Old")
    assert old.end_date == date(2026, 12, 5)


def test_it_never_touches_another_users_contacts(user: User, other_user: User) -> None:
    theirs = ContactFactory(
        owner=other_user, linkedin_url="https://www.linkedin.com/in/jill-okafor"
    )
    report = linkedin(user, HEADER + ROWS)
    assert len(report.created) == 3
    assert not theirs.positions.exists()
    assert ContactEmail.objects.filter(contact__owner=other_user).count() == 0


def test_a_preview_reports_exactly_what_an_import_would_do_and_saves_nothing(user: User) -> None:
    linkedin(user, HEADER + ROWS)
    changed = HEADER + ROWS.replace("Northwind Ventures", "Contoso") + "New,Person,,,,,\r\n"
    preview = linkedin(user, changed, dry_run=True)
    assert preview.summary == "created=1 updated=1 job_changes=1 skipped=0"
    assert preview.preview_rows[0]["name"] == "Jill Okafor"
    assert Contact.objects.count() == 3 and Position.objects.count() == 3
    assert linkedin(user, changed).summary == preview.summary


def test_a_failure_part_way_saves_nothing(user: User, monkeypatch: pytest.MonkeyPatch) -> None:
    linkedin(user, HEADER + ROWS)

    def explode(*args: object, **kwargs: object) -> None:
        raise RuntimeError("disk full")

    monkeypatch.setattr("contacts.importers.people.reindex_contacts", explode)
    changed = HEADER + ROWS.replace("Northwind Ventures", "Contoso") + "New,Person,,,,,\r\n"
    with pytest.raises(RuntimeError):
        linkedin(user, changed)
    assert Contact.objects.count() == 3
    assert Position.objects.filter(end_date__isnull=False).count() == 0
    assert not Position.objects.filter(company="Contoso").exists()


def export_zip(*, invitations: str | None) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("Complete_LinkedInDataExport/Connections.csv", HEADER + ROWS)
        if invitations is not None:
            archive.writestr("Complete_LinkedInDataExport/Invitations.csv", invitations)
    return buffer.getvalue()


INVITATIONS = (
    "From,To,Sent At,Message,Direction,inviterProfileUrl,inviteeProfileUrl\r\n"
    'Marcus Vell,Sam Owner,"9/25/26, 8:52 AM",Hi,INCOMING,'
    "https://www.linkedin.com/in/marcus-vell,https://www.linkedin.com/in/sam-owner\r\n"
)


def test_it_imports_the_zips_invitations_as_connection_requests(user: User) -> None:
    report = linkedin(user, export_zip(invitations=INVITATIONS))
    assert report.extra["invitations"] == "1 created, 0 already imported, 0 skipped"
    request = ConnectionRequest.objects.get(owner=user)
    assert request.name == "Marcus Vell"
    assert len(report.created) == 3


def test_it_says_so_when_invitations_cannot_be_imported(user: User) -> None:
    report = linkedin(user, export_zip(invitations="Not,An,Invitations,Header\r\n1,2,3,4\r\n"))
    assert any("Invitations.csv was left out" in warning for warning in report.warnings)
    assert not ConnectionRequest.objects.exists()
    assert len(report.created) == 3


def test_the_search_text_is_what_the_search_module_would_build(user: User) -> None:
    from contacts.search import build_search_text

    contact = ContactFactory(
        owner=user,
        first_name="Jill",
        last_name="Okafor",
        linkedin_url="https://www.linkedin.com/in/jill-okafor",
        how_we_met="PyCon",
        met_at="Cleveland",
        tags=["vc"],
    )
    ContactEmailFactory(contact=contact, email="jill@example.org")
    PositionFactory(contact=contact, company="Old", title="Partner", start_date=None)
    linkedin(user, HEADER + ROWS)
    for person in Contact.objects.filter(owner=user):
        assert person.search_text == build_search_text(person), person


def test_a_row_without_a_company_is_not_a_job_change(user: User) -> None:
    linkedin(user, HEADER + ROWS)
    hidden = ROWS.replace("Northwind Ventures,Partner", ",Partner")
    assert linkedin(user, HEADER + hidden).summary == (
        "created=0 updated=0 job_changes=0 skipped=0"
    )


def test_it_refuses_a_zip_that_unpacks_beyond_the_size_limit(user: User, settings) -> None:
    settings.IMPORT_MAX_BYTES = 4096
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("Connections.csv", HEADER + ROWS + "\r\n" * 10_000)
    assert len(buffer.getvalue()) < 4096
    with pytest.raises(ImportFileError, match="larger than the import limit") as error:
        linkedin(user, buffer.getvalue())
    assert error.value.status == 413


def test_it_rewrites_a_contact_only_when_it_fills_in_one_of_its_own_fields(user: User) -> None:
    """New emails or a new job are rows of their own; the contact's own fields are
    rewritten only when the file fills in its URL, connected-on date, birthday or notes.
    Either way its updated_at moves, so the API's `updated_since` finds it (issue 19)."""
    long_ago = datetime(2020, 1, 1, tzinfo=UTC)
    jane = ContactFactory(
        owner=user,
        first_name="Jane",
        last_name="Moreau",
        linkedin_url="https://www.linkedin.com/in/janemoreau",
        connected_on=date(2021, 1, 2),
    )
    jill = ContactFactory(
        owner=user,
        first_name="Jill",
        last_name="Okafor",
        linkedin_url="https://www.linkedin.com/in/jill-okafor",
    )
    Contact.objects.filter(pk__in=[jane.pk, jill.pk]).update(updated_at=long_ago)
    report = linkedin(user, HEADER + ROWS)
    jane.refresh_from_db()
    jill.refresh_from_db()
    assert jane.updated_at > long_ago  # only an email and a job were new
    assert jane.connected_on == date(2021, 1, 2)
    assert jane.emails.filter(email="jane.moreau@example.org").exists()
    assert jill.updated_at > long_ago and jill.connected_on == date(2019, 3, 14)
    changes = {row["name"]: row["changes"] for row in report.updated}
    assert "connected on" in changes["Jill Okafor"]
    assert "connected on" not in changes["Jane Moreau"]
