"""crm.urlcache.id_url gives what reverse() gives, under any script prefix."""

import pytest
from django.test import override_settings
from django.urls import NoReverseMatch, reverse, set_script_prefix

from crm.urlcache import id_url

NAMES = ["contacts:detail", "contacts:photo", "reminders:reminder_snooze", "reminders:note_edit"]


@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize("pk", [1, 42, 987654321012, 10**15])
def test_it_matches_reverse(name: str, pk: int) -> None:
    assert id_url(name, pk) == reverse(name, args=[pk])


def test_it_follows_the_script_prefix_of_the_request() -> None:
    try:
        set_script_prefix("/rapport/")
        assert (
            id_url("contacts:detail", 7)
            == "/rapport/contacts/7/"
            == reverse("contacts:detail", args=[7])
        )
    finally:
        set_script_prefix("/")
    assert id_url("contacts:detail", 7) == "/contacts/7/"


def test_it_refuses_a_url_that_takes_no_id() -> None:
    with pytest.raises(NoReverseMatch):
        id_url("reminders:dashboard", 1)


@override_settings(ROOT_URLCONF="crm.urls")
def test_it_keys_on_the_urlconf() -> None:
    assert id_url("contacts:detail", 3) == reverse("contacts:detail", args=[3])
