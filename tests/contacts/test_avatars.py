"""contacts.templatetags.avatars: initials and a colour that stays with the person."""

import datetime as dt

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from contacts.models import Contact, TrustLevel
from contacts.templatetags.avatars import PALETTE_SIZE, avatar, colour_index, initials
from tests.factories import ContactFactory


@pytest.mark.parametrize(
    ("first", "last", "expected"),
    [("Maya", "Okafor", "MO"), ("élodie", "", "ÉL"), ("", "Berg", "BE"), ("", "", "?")],
)
def test_initials(first: str, last: str, expected: str) -> None:
    assert initials(Contact(first_name=first, last_name=last)) == expected


def test_neighbouring_ids_spread_over_the_palette() -> None:
    colours = {colour_index(pk) for pk in range(1, 13)}
    assert len(colours) >= PALETTE_SIZE // 2
    assert colour_index(7) == colour_index(7)


def test_the_avatar_is_decorative_and_escapes_the_name() -> None:
    html = avatar(Contact(pk=3, first_name="<b>", last_name="x"), "sm")
    assert html.startswith('<span class="avatar avatar--sm avatar--c')
    assert 'aria-hidden="true">&lt;X</span>' in html


@pytest.mark.django_db
@pytest.mark.parametrize("page", ["contacts:list", "contacts:losing_touch", "contacts:detail"])
def test_the_same_face_shows_on_the_lists_and_the_contact_page(
    auth_client: Client, user: User, page: str
) -> None:
    contact = ContactFactory(
        owner=user,
        first_name="Maya",
        last_name="Okafor",
        trust_level=TrustLevel.CLOSE,
        last_interaction_on=dt.date(2020, 1, 1),
    )
    args = [contact.pk] if page == "contacts:detail" else []
    html = auth_client.get(reverse(page, args=args)).content.decode()
    size = "lg" if page == "contacts:detail" else "sm"
    expected = f'avatar avatar--{size} avatar--c{colour_index(contact.pk)}" aria-hidden="true">MO'
    assert expected in html
