"""Merge: every radio button sits beside the first line of its own label, also for notes."""

import pytest
from django.contrib.auth.models import User
from django.urls import reverse
from playwright.sync_api import Page

from tests.e2e.conftest import open_as
from tests.factories import ContactFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_each_radio_sits_beside_its_label(page: Page, owner: User) -> None:
    survivor = ContactFactory(
        owner=owner, first_name="Grace", last_name="Hopper", notes="Navy.\nLoves COBOL."
    )
    duplicate = ContactFactory(
        owner=owner, first_name="Grace", last_name="Hopper", notes="Compilers", how_we_met="Talk"
    )
    open_as(page, owner, reverse("contacts:merge", args=[survivor.pk, duplicate.pk]))
    options = page.locator(".merge-form label:has(input[type=radio])")
    assert options.count() >= 4
    for index in range(options.count()):
        label = options.nth(index)
        radio = label.locator("input").bounding_box()
        text = label.locator(".radio-option__text").bounding_box()
        assert radio is not None and text is not None
        # Beside it: to its right, and the text's first line level with the radio.
        assert text["x"] >= radio["x"] + radio["width"], (index, radio, text)
        assert text["y"] <= radio["y"] + radio["height"] / 2 <= text["y"] + 24, (index, radio, text)
