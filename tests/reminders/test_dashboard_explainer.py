"""This week explains what will appear on it and when, while it has nothing to show."""

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from tests.factories import ContactFactory, ReminderFactory

pytestmark = pytest.mark.django_db

EXPLAINER = "What appears here, and when"


def test_a_new_account_learns_what_will_appear_and_when(auth_client: Client) -> None:
    html = auth_client.get(reverse("reminders:dashboard")).content.decode()
    assert EXPLAINER in html
    assert "once a day, and right after every import" in html
    assert f'href="{reverse("contacts:triage")}"' in html


def test_a_quiet_week_explains_it_too(auth_client: Client, user: User) -> None:
    ContactFactory(owner=user)
    html = auth_client.get(reverse("reminders:dashboard")).content.decode()
    assert "Nothing due this week" in html
    assert EXPLAINER in html


def test_a_busy_week_does_not_repeat_it(auth_client: Client, user: User) -> None:
    from django.utils import timezone

    ReminderFactory(contact=ContactFactory(owner=user), due_on=timezone.localdate())
    html = auth_client.get(reverse("reminders:dashboard")).content.decode()
    assert EXPLAINER not in html
