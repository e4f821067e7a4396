"""One tag rule for the form, the importers and the services (contacts.normalize)."""

from datetime import date

import pytest
from django.contrib.auth.models import User

from contacts.forms import ContactForm
from contacts.importers import run_import
from contacts.models import Contact, Tag
from contacts.normalize import normalize_tag, normalize_tags
from contacts.services import contact_tags_add, tags_get_or_create
from tests.factories import ContactFactory


@pytest.mark.parametrize(
    ("raw", "tag"),
    [
        ("Python", "python"),
        ("  Big \t Data ", "big data"),
        ("x" * 60, "x" * 50),
        ("   ", ""),
    ],
)
def test_normalize_tag(raw: str, tag: str) -> None:
    assert normalize_tag(raw) == tag


def test_normalize_tag_can_leave_the_length_alone_for_the_form_to_refuse() -> None:
    assert normalize_tag(" " + "X" * 60, cut=False) == "x" * 60


def test_normalize_tags_keeps_the_first_of_each_and_drops_blanks() -> None:
    assert normalize_tags(["VC", "python", " vc", "", "Big  data"]) == ["vc", "python", "big data"]


@pytest.mark.django_db
def test_the_form_and_a_vcard_import_make_the_same_tag(user: User) -> None:
    form = ContactForm(
        data={"first_name": "Ada", "keep_in_touch": "default", "tags": "Big   Data, VC"}, owner=user
    )
    assert form.is_valid(), form.errors
    assert form.cleaned_data["tags"] == ["big data", "vc"]
    card = "BEGIN:VCARD\r\nVERSION:3.0\r\nN:Hopper;Grace;;;\r\nFN:Grace Hopper\r\n"
    card += "CATEGORIES:big  data,Vc\r\nEND:VCARD\r\n"
    tags_get_or_create(owner=user, names=form.cleaned_data["tags"])
    run_import(owner=user, source="vcard", data=card.encode(), today=date(2026, 11, 29))
    assert sorted(Tag.objects.filter(owner=user).values_list("name", flat=True)) == [
        "big data",
        "vc",
    ]
    grace = Contact.objects.get(owner=user, first_name="Grace")
    assert sorted(grace.tags.values_list("name", flat=True)) == ["big data", "vc"]


@pytest.mark.django_db
def test_the_form_refuses_a_tag_longer_than_the_column(user: User) -> None:
    form = ContactForm(
        data={"first_name": "Ada", "keep_in_touch": "default", "tags": "ok, " + "x" * 51},
        owner=user,
    )
    assert not form.is_valid()
    assert "at most 50 characters" in str(form.errors["tags"])


@pytest.mark.django_db
def test_contact_tags_add_adds_to_many_contacts_and_keeps_what_they_had(user: User) -> None:
    ada = ContactFactory(owner=user, tags=["friends"])
    bob = ContactFactory(owner=user)
    contact_tags_add(owner=user, tags=[(ada.pk, ["Friends", "Paris"]), (bob.pk, ["paris "])])
    assert sorted(ada.tags.values_list("name", flat=True)) == ["friends", "paris"]
    assert list(bob.tags.values_list("name", flat=True)) == ["paris"]
    assert Tag.objects.filter(owner=user).count() == 2
