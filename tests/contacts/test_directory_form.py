"""Adding and editing contacts: every field, validation messages, nothing half-saved."""

from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from contacts.models import Contact, TrustLevel
from tests.factories import ContactEmailFactory, ContactFactory, contact_form_data
from tests.types import ClientResponse

pytestmark = pytest.mark.django_db


def _data(**overrides: Any) -> dict[str, Any]:
    """Grace Hopper with every field of the form filled in; `overrides` replace any of them."""
    every_field = {
        "how_we_met": "She gave a talk on compilers.",
        "met_on": "2019-05-04",
        "met_at": "PyCon Berlin",
        "emails": "Grace@Example.com\ngrace@navy.example",
        "phones": "+1 415 555 0100",
        "linkedin_url": "linkedin.com/in/GraceHopper/",
        "birthday_day": "9",
        "birthday_month": "12",
        "tags": "Navy, compilers, navy",
        "notes": "Loves COBOL.",
        "keep_in_touch": "every",
        "keep_in_touch_days": "45",
    }
    return contact_form_data(**every_field) | overrides


def _edit(client: Client, contact: Contact, **overrides: Any) -> ClientResponse:
    return client.post(reverse("contacts:edit", args=[contact.pk]), _data(**overrides))


def test_it_creates_a_contact_with_every_field(auth_client: Client, user: User) -> None:
    introducer = ContactFactory(owner=user, first_name="Alan", last_name="Turing")
    response = auth_client.post(reverse("contacts:new"), _data(introduced_by=str(introducer.pk)))
    contact = Contact.objects.get(owner=user, first_name="Grace")
    assert response.status_code == 302
    assert response["Location"] == reverse("contacts:detail", args=[contact.pk])
    assert contact.trust_level == TrustLevel.KNOW_WELL
    assert contact.met_at == "PyCon Berlin"
    assert str(contact.met_on) == "2019-05-04"
    assert contact.introduced_by == introducer
    assert contact.linkedin_url == "https://www.linkedin.com/in/gracehopper"
    assert (contact.birthday_year, contact.birthday_month, contact.birthday_day) == (None, 12, 9)
    assert sorted(e.email for e in contact.emails.all()) == [
        "grace@example.com",
        "grace@navy.example",
    ]
    assert [p.number for p in contact.phones.all()] == ["+1 415 555 0100"]
    assert sorted(t.name for t in contact.tags.all()) == ["compilers", "navy"]
    assert contact.keep_in_touch_days == 45
    assert "navy" in contact.search_text and "grace@navy.example" in contact.search_text


def test_it_creates_an_unrated_contact_with_only_a_last_name(
    auth_client: Client, user: User
) -> None:
    response = auth_client.post(
        reverse("contacts:new"),
        {"last_name": "Lovelace", "keep_in_touch": "default", "trust_level": ""},
    )
    assert response.status_code == 302
    contact = Contact.objects.get(owner=user)
    assert contact.trust_level is None
    assert contact.first_name == ""
    assert contact.keep_in_touch_days is None


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"first_name": "", "last_name": " "}, "first_name", "Enter a first name, a last name"),
        ({"birthday_day": "31", "birthday_month": "2"}, "birthday_day", "February has no day 31"),
        ({"birthday_day": "31", "birthday_month": "4"}, "birthday_day", "April has no day 31"),
        (
            {"birthday_day": "29", "birthday_month": "2", "birthday_year": "2023"},
            "birthday_day",
            "2023 was not a leap year",
        ),
        ({"birthday_day": "12", "birthday_month": ""}, "birthday_month", "both a day and a month"),
        (
            {"birthday_day": "", "birthday_month": "", "birthday_year": "1980"},
            "birthday_day",
            "day and month",
        ),
        ({"birthday_year": "2999"}, "birthday_year", "in the future"),
        ({"birthday_year": "99999"}, "birthday_year", "less than or equal to 9999"),
        ({"birthday_day": "0"}, "birthday_day", "greater than or equal to 1"),
        ({"first_name": "x" * 101}, "first_name", "at most 100 characters"),
        ({"linkedin_url": "https://example.com/in/x"}, "linkedin_url", "LinkedIn profile"),
        ({"emails": "ok@example.com\nnot-an-email"}, "emails", "not-an-email"),
        ({"phones": "call me maybe"}, "phones", "Not a phone number"),
        ({"met_on": "2999-01-01"}, "met_on", "in the future"),
        ({"met_on": "yesterday"}, "met_on", "valid date"),
        ({"trust_level": "best_friend"}, "trust_level", "valid choice"),
        ({"keep_in_touch_days": ""}, "keep_in_touch_days", "How many days"),
        ({"keep_in_touch_days": "0"}, "keep_in_touch_days", "greater than or equal to 1"),
        ({"tags": "x" * 51}, "tags", "at most 50 characters"),
        ({"introduced_by": "9" * 30}, "introduced_by", "Choose one of your own contacts."),
        ({"introduced_by": "abc"}, "introduced_by", "Choose one of your own contacts."),
    ],
)
def test_it_shows_clear_errors_and_saves_nothing(
    auth_client: Client, user: User, overrides: dict[str, str], field: str, message: str
) -> None:
    response = auth_client.post(reverse("contacts:new"), _data(**overrides))
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert field in errors, errors
    assert message in " ".join(errors[field])
    assert not Contact.objects.filter(owner=user).exists()
    assert b"nothing was saved" in response.content


def test_it_allows_29_february_without_a_year(auth_client: Client, user: User) -> None:
    response = auth_client.post(
        reverse("contacts:new"), _data(birthday_day="29", birthday_month="2", birthday_year="")
    )
    assert response.status_code == 302
    contact = Contact.objects.get(owner=user)
    assert contact.birthday_display == "29 February"


def test_it_allows_29_february_in_a_leap_year(auth_client: Client, user: User) -> None:
    response = auth_client.post(
        reverse("contacts:new"), _data(birthday_day="29", birthday_month="2", birthday_year="1988")
    )
    assert response.status_code == 302


def test_it_refuses_another_users_contact_as_introducer(
    auth_client: Client, user: User, other_user: User
) -> None:
    theirs = ContactFactory(owner=other_user, first_name="Secret")
    response = auth_client.post(reverse("contacts:new"), _data(introduced_by=str(theirs.pk)))
    assert response.status_code == 200
    assert "Choose one of your own contacts." in response.context["form"].errors["introduced_by"]
    assert not Contact.objects.filter(owner=user).exists()
    assert b"Secret" not in response.content


def test_it_refuses_a_contact_as_their_own_introducer(auth_client: Client, user: User) -> None:
    contact = ContactFactory(owner=user)
    response = _edit(auth_client, contact, introduced_by=str(contact.pk))
    assert response.status_code == 200
    assert "introduced_by" in response.context["form"].errors
    contact.refresh_from_db()
    assert contact.introduced_by is None


def test_it_prefills_the_edit_form_and_updates_everything(auth_client: Client, user: User) -> None:
    contact = ContactFactory(
        owner=user,
        first_name="Ada",
        last_name="Lovelace",
        keep_in_touch_days=0,
        birthday_month=12,
        birthday_day=10,
        tags=["math"],
    )
    ContactEmailFactory(contact=contact, email="ada@example.com")
    page = auth_client.get(reverse("contacts:edit", args=[contact.pk]))
    initial = page.context["form"].initial
    assert initial["emails"] == "ada@example.com"
    assert initial["tags"] == "math"
    assert initial["keep_in_touch"] == "never"
    assert initial["trust_level"] == TrustLevel.ACQUAINTANCE

    response = _edit(
        auth_client, contact, first_name="Augusta Ada", emails="", tags="", keep_in_touch="default"
    )
    assert response.status_code == 302
    contact.refresh_from_db()
    assert contact.first_name == "Augusta Ada"
    assert not contact.emails.exists()
    assert not contact.tags.exists()
    assert contact.keep_in_touch_days is None
    assert "augusta" in contact.search_text


def test_a_failed_edit_changes_nothing(auth_client: Client, user: User) -> None:
    contact = ContactFactory(owner=user, first_name="Ada", last_name="Lovelace")
    ContactEmailFactory(contact=contact, email="ada@example.com")
    broken = {"emails": "broken", "birthday_day": "30", "birthday_month": "2"}
    response = _edit(auth_client, contact, first_name="Changed", **broken)
    assert response.status_code == 200
    contact.refresh_from_db()
    assert contact.first_name == "Ada"
    assert [e.email for e in contact.emails.all()] == ["ada@example.com"]


def test_the_find_button_lists_matching_contacts_without_saving(
    auth_client: Client, user: User
) -> None:
    ContactFactory(owner=user, first_name="Alan", last_name="Turing")
    ContactFactory(owner=user, first_name="Barbara", last_name="Liskov")
    response = auth_client.post(
        reverse("contacts:new"), _data(introducer_q="turing", find_introducer="1")
    )
    assert response.status_code == 200
    assert b"Alan Turing" in response.content
    assert b"Barbara Liskov" not in response.content
    # What was typed so far is kept, and nothing is saved yet.
    assert b"She gave a talk on compilers." in response.content
    assert Contact.objects.filter(owner=user).count() == 2


def test_introducer_options_search_only_the_users_contacts(
    auth_client: Client, user: User, other_user: User
) -> None:
    mine = ContactFactory(owner=user, first_name="Alan", last_name="Turing")
    ContactFactory(owner=other_user, first_name="Alan", last_name="Mallory")
    response = auth_client.get(
        reverse("contacts:introducer_options"), {"introducer_q": "alan"}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="introducer-options"' in html
    assert f'value="{mine.pk}"' in html
    assert "Mallory" not in html
    assert "<html" not in html


def test_introducer_options_keep_the_current_choice_and_leave_out_the_contact_itself(
    auth_client: Client, user: User
) -> None:
    contact = ContactFactory(owner=user, first_name="Alan", last_name="Turing")
    chosen = ContactFactory(owner=user, first_name="Grace", last_name="Hopper")
    response = auth_client.get(
        reverse("contacts:introducer_options"),
        {"introducer_q": "alan", "introduced_by": str(chosen.pk), "exclude": str(contact.pk)},
    )
    html = response.content.decode()
    assert "Grace Hopper" in html and "checked" in html
    assert f'value="{contact.pk}"' not in html


def test_new_contact_form_prefills_the_introducer_from_the_link(
    auth_client: Client, user: User
) -> None:
    introducer = ContactFactory(owner=user, first_name="Alan", last_name="Turing")
    response = auth_client.get(reverse("contacts:new"), {"introduced_by": introducer.pk})
    assert response.status_code == 200
    assert b"Alan Turing" in response.content


def test_every_field_has_a_label(auth_client: Client) -> None:
    response = auth_client.get(reverse("contacts:new"))
    form = response.context["form"]
    html = response.content.decode()
    for name, field in form.fields.items():
        assert field.label, name
        assert f'for="id_{name}' in html or f'id="id_{name}_0"' in html, name


def test_adding_a_contact_with_company_and_title_records_their_first_job(
    auth_client: Client, user: User
) -> None:
    from contacts.models import CareerMove, Position

    response = auth_client.post(
        reverse("contacts:new"), _data(company=" US Navy ", title="Rear Admiral")
    )
    contact = Contact.objects.get(owner=user)
    assert response.status_code == 302
    position = Position.objects.get(contact=contact)
    assert (position.company, position.title, position.end_date) == (
        "US Navy",
        "Rear Admiral",
        None,
    )
    # A first job, not a job change: nothing to congratulate.
    assert position.move == CareerMove.FIRST
    assert "us navy" in contact.__class__.objects.get(pk=contact.pk).search_text.lower()
    page = auth_client.get(contact.get_absolute_url()).content.decode()
    assert "Rear Admiral" in page


def test_adding_a_contact_without_a_job_records_none(auth_client: Client, user: User) -> None:
    from contacts.models import Position

    auth_client.post(reverse("contacts:new"), _data(company="  ", title=""))
    assert not Position.objects.filter(contact__owner=user).exists()


def test_a_company_too_long_is_an_error_and_saves_nothing(auth_client: Client, user: User) -> None:
    response = auth_client.post(reverse("contacts:new"), _data(company="x" * 201))
    assert response.status_code == 200
    assert "at most 200 characters" in response.content.decode()
    assert not Contact.objects.filter(owner=user).exists()


def test_the_edit_form_leaves_jobs_to_the_career_section(auth_client: Client, user: User) -> None:
    contact = ContactFactory(owner=user)
    new_form = auth_client.get(reverse("contacts:new")).content.decode()
    assert 'name="company"' in new_form and 'name="title"' in new_form
    edit_form = auth_client.get(reverse("contacts:edit", args=[contact.pk])).content.decode()
    assert 'name="company"' not in edit_form
