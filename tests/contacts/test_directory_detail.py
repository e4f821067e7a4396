"""The contact page and deleting a contact."""

from datetime import date

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from contacts.models import Contact, ContactEmail, Interaction
from tests.factories import (
    ContactEmailFactory,
    ContactFactory,
    contact_with_everything,
    log_interaction,
)

pytestmark = pytest.mark.django_db


def test_it_shows_everything_with_how_we_met_first(auth_client: Client, user: User) -> None:
    contact = contact_with_everything(user)
    introducer = contact.introduced_by
    assert introducer is not None
    html = auth_client.get(reverse("contacts:detail", args=[contact.pk])).content.decode()
    story = html.index("She gave a talk on compilers.")
    assert story < html.index("grace@navy.example") < html.index("Loves COBOL.")
    for text in (
        "4 May 2019",
        "PyCon Berlin",
        f'Introduced by <a href="{introducer.get_absolute_url()}">Alan Turing</a>',
        "Know well",
        "I would vouch for them and introduce them.",
        'href="mailto:grace@navy.example"',
        'href="tel:+14155550100"',
        'href="https://www.linkedin.com/in/gracehopper"',
        "9 December",
        "Every 45 days",
        ">navy</a>",
        "Rear Admiral at US Navy",
        reverse("contacts:edit", args=[contact.pk]),
        reverse("contacts:delete", args=[contact.pk]),
    ):
        assert text in html, text


def test_the_introducers_page_lists_who_they_introduced(auth_client: Client, user: User) -> None:
    introducer = ContactFactory(owner=user, first_name="Alan", last_name="Turing")
    ContactFactory(owner=user, first_name="Grace", last_name="Hopper", introduced_by=introducer)
    ContactFactory(owner=user, first_name="Ada", last_name="Lovelace", introduced_by=introducer)
    html = auth_client.get(reverse("contacts:detail", args=[introducer.pk])).content.decode()
    section = html[html.index("Introduced you to") :]
    assert section.index("Grace Hopper") < section.index("Ada Lovelace")  # by last name
    assert f"{reverse('contacts:new')}?introduced_by={introducer.pk}" in html


def test_it_invites_the_story_when_how_we_met_is_missing(auth_client: Client, user: User) -> None:
    contact = ContactFactory(owner=user, first_name="Ada", how_we_met="")
    html = auth_client.get(reverse("contacts:detail", args=[contact.pk])).content.decode()
    assert "You haven't noted how you met Ada." in html


def test_it_renders_the_sections_other_areas_register(auth_client: Client, user: User) -> None:
    from contacts.detail_sections import SECTIONS

    contact = ContactFactory(owner=user)
    response = auth_client.get(reverse("contacts:detail", args=[contact.pk]))
    columns = ("top_sections", "main_sections", "side_sections")
    assert sum(len(response.context[name]) for name in columns) == len(SECTIONS)


def test_delete_asks_first_then_deletes_with_details_and_solo_interactions(
    auth_client: Client, user: User
) -> None:
    contact = ContactFactory(owner=user, first_name="Ada", last_name="Lovelace")
    friend = ContactFactory(owner=user, first_name="Alan")
    ContactEmailFactory(contact=contact)
    solo = log_interaction(user, [contact], on=date(2026, 1, 2), summary="Solo")
    shared = log_interaction(
        user, [contact, friend], on=date(2026, 1, 3), summary="Shared", kind="meal"
    )
    url = reverse("contacts:delete", args=[contact.pk])
    page = auth_client.get(url)
    assert page.status_code == 200
    assert "1 interaction</strong> logged only with Ada" in page.content.decode()
    assert Contact.objects.filter(pk=contact.pk).exists()

    response = auth_client.post(url)
    assert response.status_code == 302
    assert response["Location"] == reverse("contacts:list")
    assert not Contact.objects.filter(pk=contact.pk).exists()
    assert not ContactEmail.objects.filter(contact_id=contact.pk).exists()
    assert not Interaction.objects.filter(pk=solo.pk).exists()
    assert list(Interaction.objects.get(pk=shared.pk).contacts.all()) == [friend]


def test_delete_over_htmx_redirects_the_browser(auth_client: Client, user: User) -> None:
    contact = ContactFactory(owner=user)
    response = auth_client.post(
        reverse("contacts:delete", args=[contact.pk]), HTTP_HX_REQUEST="true"
    )
    assert response["HX-Redirect"] == reverse("contacts:list")
    assert not Contact.objects.filter(pk=contact.pk).exists()


def test_detail_refuses_post(auth_client: Client, user: User) -> None:
    contact = ContactFactory(owner=user)
    assert auth_client.post(reverse("contacts:detail", args=[contact.pk])).status_code == 405


def test_both_vcard_downloads_are_buttons_named_by_version(auth_client: Client, user: User) -> None:
    contact = ContactFactory(owner=user)
    url = reverse("contacts:export_contact", args=[contact.pk])

    html = auth_client.get(contact.get_absolute_url()).content.decode()

    assert f'<a class="button button--small" href="{url}" download>vCard 3.0</a>' in html
    assert (
        f'<a class="button button--small" href="{url}?version=4.0" download>vCard 4.0</a>' in html
    )
