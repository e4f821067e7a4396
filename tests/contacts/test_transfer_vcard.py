"""Importing vCards (3.0, 4.0, 2.1) and exporting them again."""

import time
from datetime import date
from typing import Any

import pytest
import vobject
from django.contrib.auth.models import User

from contacts.exporters import contact_vcard, export_vcards
from contacts.importers import ImportFileError, ImportReport, run_import
from contacts.importers.vcard import join_soft_breaks, parse_vcards
from contacts.models import Contact
from tests.factories import ContactEmailFactory, ContactFactory, PositionFactory

APPLE = (
    "BEGIN:VCARD\r\n"
    "VERSION:3.0\r\n"
    "N:Okafor;Jill;;;\r\n"
    "FN:Jill Okafor\r\n"
    "ORG:Northwind Ventures;Investments\r\n"
    "TITLE:Partner\r\n"
    "EMAIL;type=INTERNET;type=WORK;type=pref:jill@northwind.example\r\n"
    "item2.EMAIL;type=INTERNET:jill@home.example\r\n"
    "item2.X-ABLabel:_$!<Home>!$_\r\n"
    "TEL;type=CELL;type=VOICE;type=pref:+1 (415) 555-0100\r\n"
    "TEL;type=WORK:+1 415 555 0199\r\n"
    "BDAY:1986-07-04\r\n"
    "item1.URL;type=pref:https://www.linkedin.com/in/Jill-Okafor/\r\n"
    "item1.X-ABLabel:LinkedIn\r\n"
    "URL:https://jill.example\r\n"
    "NOTE:Met at PyCon US 2019 in Cleveland\\, talked about Django migrations \r\n"
    " for an hour.\r\n"
    "CATEGORIES:vc,python\r\n"
    "PHOTO;ENCODING=b;TYPE=JPEG:/9j/4AAQSkZJRgABAQAAAQABAAD/2wBDAAgGBgcGBQgHBwcJCQgKDBQNDAsLDBkS\r\n"
    " Ew8UHRofHh0aHBwgJC4nICIsIxwcKDcpLDAxNDQ0Hyc5PTgyPC4zNDL/wAALCAABAAEBAREA\r\n"
    "END:VCARD\r\n"
    "BEGIN:VCARD\r\n"
    "VERSION:3.0\r\n"
    "N:Moreau;Jane;;;\r\n"
    "FN:Jane Moreau\r\n"
    "BDAY;X-APPLE-OMIT-YEAR=1604:1604-11-02\r\n"
    "END:VCARD\r\n"
)


def vcard(owner: User, text: str | bytes, **kwargs: Any) -> ImportReport:
    data = text.encode("utf-8") if isinstance(text, str) else text
    return run_import(owner=owner, source="vcard", data=data, today=date(2026, 11, 29), **kwargs)


@pytest.mark.django_db
def test_it_imports_apple_cards_keeping_every_email_phone_and_url(user: User) -> None:
    report = vcard(user, APPLE)
    assert report.summary == "created=2 updated=0 job_changes=0 skipped=0"
    jill = Contact.objects.get(owner=user, first_name="Jill")
    assert list(jill.emails.values_list("email", "label")) == [
        ("jill@northwind.example", "work"),
        ("jill@home.example", "home"),
    ]
    assert list(jill.phones.values_list("number", "label")) == [
        ("+1 (415) 555-0100", "cell"),
        ("+1 415 555 0199", "work"),
    ]
    assert jill.linkedin_url == "https://www.linkedin.com/in/jill-okafor"
    assert "Web: https://jill.example" in jill.notes
    assert jill.notes.startswith(
        "Met at PyCon US 2019 in Cleveland, talked about Django migrations"
    )
    assert "for an hour." in jill.notes  # folded line joined
    assert (jill.birthday_year, jill.birthday_month, jill.birthday_day) == (1986, 7, 4)
    assert sorted(jill.tags.values_list("name", flat=True)) == ["python", "vc"]
    position = jill.positions.get()
    assert (position.company, position.title) == ("Northwind Ventures", "Partner")
    jane = Contact.objects.get(owner=user, first_name="Jane")
    assert (jane.birthday_year, jane.birthday_month, jane.birthday_day) == (None, 11, 2)


@pytest.mark.parametrize("bday", ["--0229", "--02-29", "BDAY;X-APPLE-OMIT-YEAR=1604:1604-02-29"])
@pytest.mark.django_db
def test_it_reads_year_less_birthdays(user: User, bday: str) -> None:
    line = bday if bday.startswith("BDAY") else f"BDAY:{bday}"
    vcard(user, f"BEGIN:VCARD\nVERSION:4.0\nFN:Ravi Shankar\n{line}\nEND:VCARD\n")
    ravi = Contact.objects.get(owner=user)
    assert (ravi.first_name, ravi.last_name) == ("Ravi", "Shankar")
    assert (ravi.birthday_year, ravi.birthday_month, ravi.birthday_day) == (None, 2, 29)


@pytest.mark.django_db
def test_it_names_an_org_only_card_after_the_company(user: User) -> None:
    vcard(
        user, "BEGIN:VCARD\r\nVERSION:3.0\r\nORG:Acme Plumbing\r\nTEL:+1 555 0100\r\nEND:VCARD\r\n"
    )
    contact = Contact.objects.get(owner=user)
    assert contact.full_name == "Acme Plumbing"
    assert contact.positions.get().company == "Acme Plumbing"


@pytest.mark.django_db
def test_it_tolerates_vcard_21_quoted_printable_with_charset(user: User) -> None:
    text = (
        "BEGIN:VCARD\r\nVERSION:2.1\r\n"
        "N;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:M=C3=BCller;J=C3=B6rg\r\n"
        "TEL;CELL:+49 151 000\r\n"
        "NOTE;ENCODING=QUOTED-PRINTABLE:first line=0D=0Aa very long second =\r\n"
        "line\r\n"
        "END:VCARD\r\n"
    )
    report = vcard(user, text)
    assert len(report.created) == 1
    contact = Contact.objects.get(owner=user)
    assert (contact.first_name, contact.last_name) == ("Jörg", "Müller")
    assert "a very long second line" in contact.notes
    assert contact.phones.get().number == "+49 151 000"


@pytest.mark.django_db
def test_it_skips_a_card_without_any_name_with_its_line(user: User) -> None:
    report = vcard(user, "BEGIN:VCARD\nVERSION:3.0\nTEL:1\nEND:VCARD\n" + APPLE)
    assert report.skipped == [{"line": 1, "reason": "Card has no name and no company."}]
    assert len(report.created) == 2


@pytest.mark.django_db
def test_a_reimport_adds_new_details_and_detects_a_new_title(user: User) -> None:
    vcard(user, APPLE)
    changed = APPLE.replace("TITLE:Partner", "TITLE:Managing Partner").replace(
        "CATEGORIES:vc,python", "CATEGORIES:vc,python,board"
    )
    report = vcard(user, changed)
    assert report.summary == "created=0 updated=1 job_changes=1 skipped=0"
    jill = Contact.objects.get(first_name="Jill")
    assert jill.positions.get(end_date__isnull=True).move == "promotion"
    assert sorted(jill.tags.values_list("name", flat=True)) == ["board", "python", "vc"]
    assert vcard(user, changed).summary == "created=0 updated=0 job_changes=0 skipped=0"


@pytest.mark.django_db
def test_a_card_with_the_same_company_but_no_title_keeps_the_title(user: User) -> None:
    vcard(user, APPLE)
    without_title = APPLE.replace("TITLE:Partner\r\n", "")

    report = vcard(user, without_title)

    assert report.job_changes == []
    jill = Contact.objects.get(first_name="Jill")
    current = jill.positions.get(end_date__isnull=True)
    assert (current.company, current.title) == ("Northwind Ventures", "Partner")


@pytest.mark.django_db
def test_a_title_for_a_job_known_only_by_its_company_is_filled_in_not_a_promotion(
    user: User,
) -> None:
    vcard(user, APPLE.replace("TITLE:Partner\r\n", ""))
    jill = Contact.objects.get(first_name="Jill")
    untitled = jill.positions.get(end_date__isnull=True)

    report = vcard(user, APPLE)

    assert report.job_changes == []
    assert report.updated[0]["changes"] == ["title"]
    assert list(jill.positions.values_list("pk", "company", "title", "end_date")) == [
        (untitled.pk, "Northwind Ventures", "Partner", None)
    ]
    jill.refresh_from_db()
    assert "partner" in jill.search_text
    assert vcard(user, APPLE).summary == "created=0 updated=0 job_changes=0 skipped=0"


@pytest.mark.django_db
def test_exported_cards_parse_and_keep_everything(user: User) -> None:
    contact = ContactFactory(
        owner=user,
        first_name="Zoë",
        last_name="Lefèvre; Jr",
        linkedin_url="https://www.linkedin.com/in/zoe",
        birthday_month=2,
        birthday_day=29,
        notes="Line one\nLine, two " + "long " * 30,
        tags=["friends", "paris"],
    )
    ContactEmailFactory(contact=contact, email="zoe@example.fr", label="home")
    PositionFactory(contact=contact, company="Société Générale", title="Analyste")
    for version in ("3.0", "4.0"):
        text = contact_vcard(contact, version)
        assert all(len(line.encode()) <= 75 for line in text.split("\r\n"))
        card = vobject.readOne(text)
        assert card.n.value.family == "Lefèvre; Jr" and card.n.value.given == "Zoë"
        assert card.org.value == ["Société Générale"]
        assert card.email.value == "zoe@example.fr"
        assert card.note.value.startswith("Line one\nLine, two")
    assert "BDAY;X-APPLE-OMIT-YEAR=1604:1604-02-29" in contact_vcard(contact, "3.0")
    assert "BDAY:--0229" in contact_vcard(contact, "4.0")


@pytest.mark.django_db
def test_a_vcard_export_imports_back_the_same(user: User, other_user: User) -> None:
    vcard(user, APPLE)
    exported = "".join(export_vcards(user))
    report = vcard(other_user, exported)
    assert len(report.created) == 2
    mine = Contact.objects.get(owner=user, first_name="Jill")
    theirs = Contact.objects.get(owner=other_user, first_name="Jill")
    for field in ("linkedin_url", "birthday_year", "birthday_month", "birthday_day", "notes"):
        assert getattr(mine, field) == getattr(theirs, field)
    assert set(mine.emails.values_list("email", "label")) == set(
        theirs.emails.values_list("email", "label")
    )
    assert set(mine.phones.values_list("number", flat=True)) == set(
        theirs.phones.values_list("number", flat=True)
    )
    jane = Contact.objects.get(owner=other_user, first_name="Jane")
    assert (jane.birthday_year, jane.birthday_month) == (None, 11)


@pytest.mark.django_db
def test_it_skips_vcard_21_base64_photos_spread_over_bare_lines(user: User) -> None:
    text = (
        "BEGIN:VCARD\r\nVERSION:2.1\r\nN:Smith;Ann;;;\r\n"
        "PHOTO;ENCODING=BASE64;JPEG:/9j/4AAQSkZJRgABAQAAAQABAAD\r\n"
        "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA\r\n"
        "BBBBBBBBBB==\r\n"
        "\r\n"
        "TEL;CELL:+1 555 0100\r\n"
        "END:VCARD\r\n"
    )
    report = vcard(user, text)
    assert report.summary == "created=1 updated=0 job_changes=0 skipped=0"
    assert Contact.objects.get(owner=user).phones.get().number == "+1 555 0100"


def test_quoted_printable_soft_breaks_join_like_before() -> None:
    text = (
        "N;ENCODING=QUOTED-PRINTABLE:a=\r\nb=\nc\r\n"
        "NOTE:plain=\r\nnext\r\n"
        "X;encoding=quoted-printable:x=\r\n"
    )
    assert join_soft_breaks(text) == (
        "N;ENCODING=QUOTED-PRINTABLE:abc\r\nNOTE:plain=\r\nnext\r\nX;encoding=quoted-printable:x"
    )


def test_a_quoted_printable_value_over_many_lines_parses_in_linear_time() -> None:
    # Joining one soft break per pass over the whole text took minutes for this
    # (about 200 KB): a web worker hung on the import preview.
    lines = 40_000
    text = (
        "BEGIN:VCARD\r\nVERSION:2.1\r\nN:Doe;Jane\r\n"
        "NOTE;ENCODING=QUOTED-PRINTABLE:a=\r\n" + "b=\r\n" * lines + "c\r\nEND:VCARD\r\n"
    )
    started = time.monotonic()
    parsed = parse_vcards(text.encode())
    assert time.monotonic() - started < 5
    assert parsed.records[0].notes == "a" + "b" * lines + "c"


@pytest.mark.parametrize("version", ["3.0", "4.0"])
@pytest.mark.django_db
def test_line_breaks_in_stored_values_cannot_add_properties_or_cards(
    user: User, version: str
) -> None:
    # Imports keep what a file holds: a lone CR in a name, a line break in an address.
    contact = ContactFactory(
        owner=user,
        first_name="Jill\rEND:VCARD\rBEGIN:VCARD\rFN:Mallory",
        last_name="Doe",
        linkedin_url="https://www.linkedin.com/in/jill\r\nNOTE:planted",
    )
    ContactEmailFactory(contact=contact, email="jill@example.org\nNOTE:planted")
    text = contact_vcard(contact, version)
    cards = list(vobject.readComponents(text))
    assert len(cards) == 1
    card = cards[0]
    assert "note" not in card.contents
    assert card.n.value.given == "Jill\nEND:VCARD\nBEGIN:VCARD\nFN:Mallory"
    assert card.email.value == "jill@example.org\nNOTE:planted"
    assert card.url.value == "https://www.linkedin.com/in/jillNOTE:planted"


def test_too_many_cards_are_refused_before_any_is_parsed(
    settings: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings.IMPORT_MAX_ROWS = 2
    read: list[str] = []
    monkeypatch.setattr(vobject, "readOne", lambda chunk, **kwargs: read.append(chunk))
    text = "".join(f"BEGIN:VCARD\r\nFN:A{i} B\r\nEND:VCARD\r\n" for i in range(3))
    with pytest.raises(ImportFileError, match="at most 2 at a time") as caught:
        parse_vcards(text.encode())
    assert caught.value.status == 413
    assert read == []
