"""Typed dates and long texts have bounds (contacts/limits.py): every form answers 200 with
the message next to the field, never a 500, and saves nothing."""

import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest
import time_machine
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from contacts import limits
from contacts.models import Contact, Interaction, Position, TrustLevel
from tests.factories import ContactFactory, NoteDraftFactory, contact_form_data

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 6, 15)
TOO_EARLY = "Enter a date in 1900 or later."
OUT_OF_RANGE = "Enter a date between 1900 and 2036."


@pytest.fixture(autouse=True)
def _today() -> Iterator[None]:
    with time_machine.travel(dt.datetime(2026, 6, 15, 12, 0, tzinfo=dt.UTC), tick=False):
        yield


def _too_long(limit: int) -> str:
    return "x" * (limit + 1)


def _length_error(limit: int) -> str:
    return f"Ensure this value has at most {limit} characters (it has {limit + 1})."


# --- The contact form ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"met_on": "1899-12-31"}, TOO_EARLY),
        ({"met_on": "0001-01-01"}, TOO_EARLY),
        ({"met_on": "9999-12-31"}, "That date is in the future."),
        ({"birthday_day": "1", "birthday_month": "1", "birthday_year": "1899"}, "1900"),
        ({"birthday_day": "1", "birthday_month": "1", "birthday_year": "2027"}, "in the future"),
        ({"notes": _too_long(limits.NOTES_MAX)}, _length_error(limits.NOTES_MAX)),
        ({"how_we_met": _too_long(limits.HOW_WE_MET_MAX)}, _length_error(limits.HOW_WE_MET_MAX)),
    ],
    ids=["met-1899", "met-year-1", "met-9999", "born-1899", "born-future", "notes", "story"],
)
def test_a_new_contact_out_of_bounds_comes_back_with_the_error(
    auth_client: Client, user: User, overrides: dict[str, Any], message: str
) -> None:
    response = auth_client.post(reverse("contacts:new"), contact_form_data(**overrides))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Contact.objects.exists()


def test_the_limits_themselves_are_accepted(auth_client: Client, user: User) -> None:
    data = contact_form_data(
        met_on="1900-01-01",
        notes="n" * limits.NOTES_MAX,
        how_we_met="h" * limits.HOW_WE_MET_MAX,
        birthday_day="1",
        birthday_month="1",
        birthday_year="1900",
    )
    response = auth_client.post(reverse("contacts:new"), data)
    assert response.status_code == 302
    contact = Contact.objects.get(owner=user)
    assert len(contact.notes) == limits.NOTES_MAX
    assert len(contact.how_we_met) == limits.HOW_WE_MET_MAX
    assert contact.met_on == dt.date(1900, 1, 1) and contact.birthday_year == 1900


def test_editing_with_too_long_notes_changes_nothing(auth_client: Client, user: User) -> None:
    contact = ContactFactory(owner=user, first_name="Grace", notes="Short.")
    response = auth_client.post(
        reverse("contacts:edit", args=[contact.pk]),
        contact_form_data(first_name="Renamed", notes=_too_long(limits.NOTES_MAX)),
    )
    assert response.status_code == 200
    assert _length_error(limits.NOTES_MAX) in response.content.decode()
    contact.refresh_from_db()
    assert (contact.first_name, contact.notes) == ("Grace", "Short.")


def test_the_text_areas_and_date_tell_the_browser_their_limits(auth_client: Client) -> None:
    html = auth_client.get(reverse("contacts:new")).content.decode()
    assert f'maxlength="{limits.NOTES_MAX}"' in html
    assert f'maxlength="{limits.HOW_WE_MET_MAX}"' in html
    assert 'min="1900-01-01"' in html and 'max="2026-06-15"' in html


# --- Interactions and introductions --------------------------------------------------


def _interaction(contact: Contact, **overrides: Any) -> dict[str, Any]:
    data = {
        "kind": "meal",
        "occurred_on": "2026-06-01",
        "occurred_at": "",
        "summary": "Lunch",
        "notes": "",
        "contact": [contact.pk],
    }
    data.update(overrides)
    return data


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"occurred_on": "1899-12-31"}, TOO_EARLY),
        ({"occurred_on": "9999-12-31"}, "That date is in the future."),
        ({"notes": _too_long(limits.NOTES_MAX)}, _length_error(limits.NOTES_MAX)),
    ],
    ids=["1899", "9999", "notes"],
)
def test_an_interaction_out_of_bounds_is_refused(
    auth_client: Client, user: User, overrides: dict[str, Any], message: str
) -> None:
    ann = ContactFactory(owner=user)
    url = reverse("contacts:contact_interaction_new", args=[ann.pk])
    response = auth_client.post(url, _interaction(ann, **overrides))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Interaction.objects.exists()


@pytest.mark.parametrize(
    ("day", "message"),
    [("0001-01-01", TOO_EARLY), ("1899-12-31", TOO_EARLY), ("9999-12-31", "in the future")],
)
def test_an_introduction_dated_out_of_bounds_is_refused(
    auth_client: Client, user: User, day: str, message: str
) -> None:
    jill = ContactFactory(owner=user, first_name="Jill")
    omar = ContactFactory(owner=user, first_name="Omar", met_on=None, how_we_met="")
    response = auth_client.post(
        reverse("contacts:introduce", args=[jill.pk]),
        {"other": omar.pk, "occurred_on": day, "note": "Both into climate", "introduced_me": "on"},
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Interaction.objects.exists()
    omar.refresh_from_db()
    assert omar.met_on is None and omar.introduced_by is None


def test_an_introduction_note_over_the_limit_is_refused(auth_client: Client, user: User) -> None:
    jill, omar = ContactFactory(owner=user), ContactFactory(owner=user)
    response = auth_client.post(
        reverse("contacts:introduce", args=[jill.pk]),
        {"other": omar.pk, "occurred_on": "2026-06-01", "note": _too_long(limits.SHORT_NOTE_MAX)},
    )
    assert response.status_code == 200
    assert _length_error(limits.SHORT_NOTE_MAX) in response.content.decode()
    assert not Interaction.objects.exists()


def test_i_know_them_now_refuses_a_meeting_before_1900(auth_client: Client, user: User) -> None:
    contact = ContactFactory(owner=user, trust_level=TrustLevel.FOLLOWING, met_on=None)
    response = auth_client.post(
        reverse("contacts:know_now", kwargs={"pk": contact.pk}),
        {"trust_level": TrustLevel.MET, "how_we_met": "PyCon", "met_on": "1899-12-31"},
    )
    assert response.status_code == 200
    assert TOO_EARLY in response.content.decode()
    contact.refresh_from_db()
    assert contact.trust_level == TrustLevel.FOLLOWING and contact.met_on is None


# --- Careers ----------------------------------------------------------------------------


# A job dated just outside the bounds: tests/reminders/test_robust_extreme_dates.py.


def test_a_position_on_the_last_allowed_day_is_saved(auth_client: Client, user: User) -> None:
    contact = ContactFactory(owner=user)
    url = reverse("contacts:position_add", kwargs={"contact_id": contact.pk})
    response = auth_client.post(url, {"company": "Acme", "start_date": "2036-12-31"})
    assert response.status_code == 302
    assert Position.objects.get().start_date == dt.date(2036, 12, 31)


# --- Note drafts ---------------------------------------------------------------------------


@pytest.mark.parametrize("htmx", [False, True], ids=["page", "autosave"])
def test_a_note_draft_over_the_limit_is_not_saved(
    auth_client: Client, user: User, htmx: bool
) -> None:
    draft = NoteDraftFactory(contact=ContactFactory(owner=user), body="Well done!")
    headers = {"HX-Request": "true"} if htmx else {}
    response = auth_client.post(
        reverse("reminders:note_edit", args=[draft.pk]),
        {"subject": "Hi", "body": _too_long(limits.NOTES_MAX)},
        headers=headers,
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "Not saved" in html
    if not htmx:
        assert _length_error(limits.NOTES_MAX) in html
    draft.refresh_from_db()
    assert draft.body == "Well done!"


# --- Merging -----------------------------------------------------------------------------------


def test_merging_offers_keep_both_only_when_the_notes_fit_together(
    auth_client: Client, user: User
) -> None:
    half = limits.NOTES_MAX // 2
    keep = ContactFactory(owner=user, first_name="Jill", last_name="Okafor", notes="a" * half)
    dupe = ContactFactory(owner=user, first_name="Jill", last_name="Okafor", notes="b" * half)
    url = reverse("contacts:merge", args=[keep.pk, dupe.pk])
    html = auth_client.get(url).content.decode()
    assert "Keep both" not in html and "Together they are longer than 10,000" in html
    response = auth_client.post(url, {"notes": "both"})
    assert response.status_code == 200 and b"errors" in response.content
    assert Contact.objects.count() == 2

    dupe.notes = "b" * (half - 2)
    dupe.save()
    assert "Keep both" in auth_client.get(url).content.decode()
    response = auth_client.post(url, {"notes": "both"})
    assert response.status_code == 302
    keep.refresh_from_db()
    assert len(keep.notes) == limits.NOTES_MAX
