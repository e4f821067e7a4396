"""Imports keep within contacts/limits.py: out-of-range dates and long texts are reported
per record, never a failed import. A person is kept without a value out of range; a
refused record is not saved at all."""

from datetime import date
from html import unescape
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from contacts import connection_requests, limits
from contacts.importers import ImportReport, run_import
from contacts.models import ConnectionRequest, Contact, ImportJob, Interaction, Position
from reminders.models import CustomDate, NoteDraft, Reminder
from tests.factories import backup_json

pytestmark = pytest.mark.django_db

TODAY = date(2026, 6, 15)
RANGE = "outside 1900-01-01 to 2036-12-31"


def restore(owner: User, document: dict[str, Any], **kwargs: Any) -> ImportReport:
    data = backup_json(**document)
    return run_import(owner=owner, source="json", data=data, today=TODAY, **kwargs)


def reasons(report: ImportReport) -> list[str]:
    return [s["reason"] for s in report.skipped]


def _backup(**jill: Any) -> dict[str, Any]:
    """Jill with a position, a custom date, an interaction, a reminder and a note; Omar plain."""
    return {
        "contacts": [
            {
                "id": 1,
                "first_name": "Jill",
                "positions": [{"id": 7, "company": "Contoso", "start_date": "2020-01-01"}],
                "custom_dates": [{"id": 3, "label": "Wedding", "date": "2015-06-02"}],
                **jill,
            },
            {"id": 2, "first_name": "Omar"},
        ],
        "interactions": [
            {"id": 1, "kind": "meal", "occurred_on": "2026-05-01", "contacts": [1]},
            {"id": 2, "kind": "call", "occurred_on": "2026-05-02", "contacts": [2]},
        ],
        "reminders": [
            {"id": 5, "contact": 1, "kind": "job_change", "due_on": "2026-06-10", "position": 7}
        ],
        "notes": [{"id": 9, "contact": 1, "reminder": 5, "subject": "Hi", "body": "Well done"}],
    }


# --- JSON backup: dates --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("jill", "warning"),
    [
        ({"met_on": "0001-01-01"}, f'"met_on" is 0001-01-01, {RANGE}, and was left out'),
        ({"met_on": "1899-12-31"}, f'"met_on" is 1899-12-31, {RANGE}, and was left out'),
        (
            {"connected_on": "9999-12-31"},
            f'"connected_on" is 9999-12-31, {RANGE}, and was left out',
        ),
        (
            {"keep_in_touch_days": 10**12},
            '"keep_in_touch_days" must be a whole number of days from 0 to 3,650, and was left out',
        ),
        (
            {"positions": [{"id": 7, "company": "Contoso", "start_date": "9999-12-31"}]},
            f'"start_date" is 9999-12-31, {RANGE}, and was left out',
        ),
        (
            {"positions": [{"id": 7, "company": "Contoso", "end_date": "2037-01-01"}]},
            f'"end_date" is 2037-01-01, {RANGE}, and was left out',
        ),
    ],
    ids=["met-year-1", "met-1899", "connected-9999", "cadence", "position-start", "position-end"],
)
def test_an_out_of_range_value_is_left_out_and_the_person_kept(
    user: User, jill: dict[str, Any], warning: str
) -> None:
    """A typo in one date (0202 for 2020) must not cost a restore the person and their history."""
    report = restore(user, _backup(**jill))
    assert report.skipped == []
    assert report.warnings == [f"Contact 1 (Jill): {warning}."]
    saved = Contact.objects.get(first_name="Jill")
    assert (saved.met_on, saved.connected_on, saved.keep_in_touch_days) == (None, None, None)
    position = Position.objects.get(contact=saved)
    assert position.company == "Contoso" and position.end_date is None
    assert CustomDate.objects.filter(contact=saved).count() == 1
    assert Interaction.objects.filter(contacts=saved).count() == 1
    assert Reminder.objects.filter(contact=saved, position=position).exists()
    assert NoteDraft.objects.filter(contact=saved).exists()


@pytest.mark.parametrize(
    ("value", "stored", "warning"),
    [
        ("1815-12-10", (None, 12, 10), '"birthday" 1815-12-10 has a year before 1900'),
        ("2026-06-16", (None, 6, 16), '"birthday" 2026-06-16 is in the future'),
        ("2001-02-29", (None, 2, 29), '"birthday" 2001-02-29 is not a real date'),
    ],
    ids=["born-1815", "born-tomorrow", "born-29-feb-2001"],
)
def test_a_birthday_year_out_of_range_is_dropped_and_the_day_kept(
    user: User, value: str, stored: tuple[int | None, int, int], warning: str
) -> None:
    report = restore(user, _backup(birthday=value))
    assert report.skipped == []
    assert report.warnings == [f"Contact 1 (Jill): {warning}: kept without the year."]
    jill = Contact.objects.get(first_name="Jill")
    assert (jill.birthday_year, jill.birthday_month, jill.birthday_day) == stored


def test_a_birthday_that_never_happens_is_left_out(user: User) -> None:
    report = restore(user, _backup(birthday="--02-30"))
    assert report.warnings == [
        'Contact 1 (Jill): "birthday" --02-30 is not a real date, and was left out.'
    ]
    assert Contact.objects.get(first_name="Jill").birthday_month is None


def test_a_date_to_remember_out_of_range_is_left_out_alone(user: User) -> None:
    report = restore(
        user, _backup(custom_dates=[{"id": 3, "label": "Wedding", "date": "0001-06-02"}])
    )
    assert report.skipped == []
    assert report.warnings == [
        f'Contact 1 (Jill): "date" is 0001-06-02, {RANGE}, and was left out.'
    ]
    assert Position.objects.filter(contact__first_name="Jill").exists()
    assert not CustomDate.objects.exists()


def test_a_value_that_is_not_a_date_still_skips_the_contact_whole(user: User) -> None:
    report = restore(user, _backup(met_on="last spring"))
    assert reasons(report)[0] == 'Contact 1: "met_on" is not a date like 2024-03-14.'
    # Nothing of Jill is saved: not her position, custom date, interaction, reminder or note.
    assert list(Contact.objects.values_list("first_name", flat=True)) == ["Omar"]
    assert not Position.objects.exists() and not CustomDate.objects.exists()
    assert list(Interaction.objects.values_list("summary", flat=True)) == ["(no summary)"]
    assert "Interaction 1: none of its contacts was imported." in reasons(report)
    assert "Reminder 1: its contact was not imported." in reasons(report)
    assert "Note 1: its contact was not imported." in reasons(report)
    assert not Reminder.objects.exists() and not NoteDraft.objects.exists()


def test_the_bounds_themselves_are_accepted(user: User) -> None:
    report = restore(
        user,
        _backup(
            met_on="1900-01-01",
            birthday="1900-01-01",
            connected_on="2026-06-15",
            keep_in_touch_days=limits.KEEP_IN_TOUCH_MAX_DAYS,
            positions=[{"id": 7, "company": "Contoso", "start_date": "2036-12-31"}],
        ),
    )
    assert report.skipped == [] and len(report.created) == 2
    jill = Contact.objects.get(first_name="Jill")
    assert jill.met_on == date(1900, 1, 1) and jill.birthday_year == 1900
    assert Position.objects.get().start_date == date(2036, 12, 31)


@pytest.mark.parametrize(
    ("section", "item", "reason"),
    [
        (
            "interactions",
            {"id": 1, "kind": "meal", "occurred_on": "0001-01-01", "contacts": [1]},
            f'Interaction 1: "occurred_on" is 0001-01-01, {RANGE}.',
        ),
        (
            "reminders",
            {"id": 5, "contact": 1, "kind": "birthday", "due_on": "9999-12-31"},
            f'Reminder 1: "due_on" is 9999-12-31, {RANGE}.',
        ),
        (
            "reminders",
            {"id": 5, "contact": 1, "kind": "birthday", "due_on": "2026-06-01", "years": 10**6},
            'Reminder 1: "years" must be a whole number of years from 0 to 200.',
        ),
        (
            # Converting this to UTC for storage used to overflow and fail the whole import.
            "reminders",
            {
                "id": 5,
                "contact": 1,
                "kind": "birthday",
                "due_on": "2026-06-01",
                "status": "done",
                "completed_at": "0001-01-01T00:00:00+05:00",
            },
            f'Reminder 1: "completed_at" is 0001-01-01T00:00:00+05:00, {RANGE}.',
        ),
        (
            "notes",
            {"id": 9, "contact": 1, "body": "Hi", "sent_at": "9999-12-31T23:59:59-05:00"},
            f'Note 1: "sent_at" is 9999-12-31T23:59:59-05:00, {RANGE}.',
        ),
    ],
    ids=["interaction", "reminder-due", "reminder-years", "reminder-completed", "note-sent"],
)
def test_other_items_with_an_out_of_range_value_are_skipped_with_the_reason(
    user: User, section: str, item: dict[str, Any], reason: str
) -> None:
    document = {"contacts": [{"id": 1, "first_name": "Jill"}], section: [item]}
    report = restore(user, document)
    assert reasons(report) == [reason]
    assert Contact.objects.get().first_name == "Jill"
    assert not Interaction.objects.exists()
    assert not Reminder.objects.exists() and not NoteDraft.objects.exists()


def test_the_preview_reports_the_same_and_saves_nothing(user: User) -> None:
    document = _backup(met_on="9999-12-31", keep_in_touch_days=-1)
    preview = restore(user, document, dry_run=True)
    assert preview.warnings == [
        'Contact 1 (Jill): "keep_in_touch_days" must be a whole number of days from 0 to 3,650,'
        " and was left out.",
        f'Contact 1 (Jill): "met_on" is 9999-12-31, {RANGE}, and was left out.',
    ]
    assert not Contact.objects.exists()
    restored = restore(user, document)
    assert restored.warnings == preview.warnings and restored.skipped == preview.skipped


def test_an_uploaded_backup_with_bad_dates_previews_with_the_reasons(
    auth_client: Client, user: User
) -> None:
    document = _backup(birthday="1815-12-10")
    # Omar is imported, but his reminder's date could not even be stored (it used to be a 500).
    document["reminders"].append(
        {
            "id": 6,
            "contact": 2,
            "kind": "birthday",
            "due_on": "2026-06-01",
            "completed_at": "0001-01-01T00:00:00+05:00",
        }
    )
    content = backup_json(**document)
    response = auth_client.post(
        reverse("contacts:import"),
        {"source": "json", "file": SimpleUploadedFile("backup.json", content)},
    )
    assert response.status_code == 302
    page = auth_client.get(response["Location"])
    assert page.status_code == 200
    html = unescape(page.content.decode())
    assert 'Contact 1 (Jill): "birthday" 1815-12-10 has a year before 1900: kept without' in html
    assert 'Reminder 2: "completed_at" is 0001-01-01T00:00:00+05:00' in html
    assert ImportJob.objects.filter(owner=user).exists() and not Contact.objects.exists()


# --- JSON backup: long texts ------------------------------------------------------------------


def test_long_texts_are_cut_to_their_limit_and_reported(user: User) -> None:
    document = _backup(
        notes="n" * (limits.NOTES_MAX + 5), how_we_met="h" * (limits.HOW_WE_MET_MAX + 1)
    )
    document["interactions"][0]["notes"] = "i" * (limits.NOTES_MAX + 1)
    document["notes"][0]["body"] = "b" * (limits.NOTES_MAX + 2)
    report = restore(user, document)
    assert report.skipped == []
    assert report.warnings == [
        'Contact 1 (Jill): "how_we_met" was cut to 5,000 characters (it had 5,001).',
        'Contact 1 (Jill): "notes" was cut to 10,000 characters (it had 10,005).',
        'Interaction 1: "notes" was cut to 10,000 characters (it had 10,001).',
        'Note 1: "body" was cut to 10,000 characters (it had 10,002).',
    ]
    jill = Contact.objects.get(first_name="Jill")
    assert jill.notes == "n" * limits.NOTES_MAX
    assert jill.how_we_met == "h" * limits.HOW_WE_MET_MAX
    assert Interaction.objects.get(contacts=jill).notes == "i" * limits.NOTES_MAX
    assert NoteDraft.objects.get().body == "b" * limits.NOTES_MAX


def test_a_long_note_of_someone_already_here_is_not_reported(user: User) -> None:
    # Found again by her email (a name alone never matches someone already here).
    restore(user, _backup(emails=["jill@example.org"]))
    report = restore(user, _backup(emails=["jill@example.org"], notes="n" * (limits.NOTES_MAX + 1)))
    assert report.warnings == []
    assert Contact.objects.get(first_name="Jill").notes == ""


# --- vCard ------------------------------------------------------------------------------------


def vcard(owner: User, *lines: str) -> ImportReport:
    card = "BEGIN:VCARD\r\nVERSION:3.0\r\nN:Okafor;Jill;;;\r\nFN:Jill Okafor\r\n"
    text = card + "".join(f"{line}\r\n" for line in lines) + "END:VCARD\r\n"
    return run_import(owner=owner, source="vcard", data=text.encode(), today=TODAY)


def test_a_vcard_note_over_the_limit_is_cut_and_reported(user: User) -> None:
    report = vcard(user, "NOTE:" + "n" * (limits.NOTES_MAX + 10))
    assert report.warnings == ["Line 1: notes cut to 10,000 characters (it had 10,010)."]
    assert Contact.objects.get().notes == "n" * limits.NOTES_MAX


def test_a_vcard_company_and_title_over_their_columns_are_cut_and_reported(user: User) -> None:
    report = vcard(user, "ORG:" + "C" * 250, "TITLE:" + "T" * 201)
    assert report.warnings == [
        "Line 1: company cut to 200 characters (it had 250).",
        "Line 1: title cut to 200 characters (it had 201).",
    ]
    assert Position.objects.get().company == "C" * 200


@pytest.mark.parametrize(
    ("bday", "stored", "warning"),
    [
        ("1850-03-01", (None, 3, 1), "birthday 1850-03-01 has a year before 1900; kept the day"),
        ("2030-03-01", (None, 3, 1), "birthday 2030-03-01 is in the future; kept the day"),
        ("1986-02-30", (None, None, None), "birthday 1986-02-30 is not a real date; left empty"),
        ("1986-07-04", (1986, 7, 4), None),
    ],
)
def test_a_vcard_birthday_out_of_range_keeps_its_day_and_month(
    user: User, bday: str, stored: tuple[Any, ...], warning: str | None
) -> None:
    report = vcard(user, f"BDAY:{bday}")
    assert [w for w in report.warnings if warning and warning in w] == (
        [f"Line 1: {warning}{' and month only.' if 'kept' in warning else '.'}"] if warning else []
    )
    jill = Contact.objects.get()
    assert (jill.birthday_year, jill.birthday_month, jill.birthday_day) == stored


# --- LinkedIn -----------------------------------------------------------------------------------

HEADER = "First Name,Last Name,URL,Email Address,Company,Position,Connected On\r\n"


def linkedin(owner: User, *rows: str) -> ImportReport:
    data = (HEADER + "".join(f"{row}\r\n" for row in rows)).encode()
    return run_import(owner=owner, source="linkedin", data=data, today=TODAY)


@pytest.mark.parametrize("connected", ["01/01/9999", "1 Jan 1850", "2040-01-01"])
def test_a_connected_on_date_out_of_range_is_left_empty_and_reported(
    user: User, connected: str
) -> None:
    report = linkedin(user, f"Jill,Okafor,,,Contoso,Partner,{connected}")
    assert len(report.warnings) == 1
    assert report.warnings[0].startswith("Line 2: connected on ")
    assert report.warnings[0].endswith(f"is {RANGE}; left empty.")
    jill = Contact.objects.get()
    assert jill.connected_on is None and jill.first_name == "Jill"


def test_linkedin_fields_over_their_columns_are_cut_and_reported(user: User) -> None:
    report = linkedin(user, f"{'J' * 120},Okafor,,,{'C' * 300},Partner,14 Mar 2019")
    assert report.warnings == [
        "Line 2: first name cut to 100 characters (it had 120).",
        "Line 2: company cut to 200 characters (it had 300).",
    ]
    jill = Contact.objects.get()
    assert jill.first_name == "J" * 100 and jill.connected_on == date(2019, 3, 14)
    assert Position.objects.get(contact=jill).company == "C" * 200


# --- LinkedIn Invitations.csv -------------------------------------------------------------------


def test_invitations_with_impossible_dates_or_huge_messages_still_import(user: User) -> None:
    text = (
        "From,To,Sent At,Message,Direction\r\n"
        f'Ana Lima,Sam Owner,0001-01-01T00:00:00+05:00,"{"m" * 6000}",INCOMING\r\n'
        "Bo Berg,Sam Owner,9999-12-31T23:59:59-05:00,,INCOMING\r\n"
    )
    report = connection_requests.invitations_import(owner=user, text=text)
    assert report.created == 2
    ana = ConnectionRequest.objects.get(name="Ana Lima")
    assert ana.sent_at is None and len(ana.message) == limits.SHORT_NOTE_MAX
    assert ConnectionRequest.objects.get(name="Bo Berg").sent_at is None
