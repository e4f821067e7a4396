"""contacts.templatetags.avatars: initials and a colour that stays with the person."""

import pytest

from contacts.models import Contact
from contacts.templatetags.avatars import PALETTE_SIZE, avatar, colour_index, initials


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
