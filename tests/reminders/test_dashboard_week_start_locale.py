"""This week starts where the person's language starts it: Monday in Germany, Sunday in
Brazil, unless they chose a first day in Settings (issue 22)."""

import datetime as dt
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from crm.models import UserSettings, Weekday

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen")]


def _dashboard(client: Client, user: User, **prefs: object) -> Any:
    UserSettings.objects.update_or_create(user=user, defaults={"sender_asked": True, **prefs})
    client.force_login(user)
    return client.get(reverse("reminders:dashboard")).context


@pytest.mark.parametrize(
    ("language", "starts_on"),
    [("de", dt.date(2026, 11, 16)), ("pt-br", dt.date(2026, 11, 15)), ("", dt.date(2026, 11, 16))],
)
def test_the_week_and_the_chart_start_on_the_languages_first_day(
    client: Client, user: User, language: str, starts_on: dt.date
) -> None:
    context = _dashboard(client, user, language=language)
    assert context["week"].starts_on == starts_on
    assert context["bars"][-1].starts_on == starts_on


def test_a_first_day_chosen_in_settings_wins(client: Client, user: User) -> None:
    context = _dashboard(client, user, language="pt-br", week_start=Weekday.MONDAY)
    assert context["week"].starts_on == dt.date(2026, 11, 16)


def test_the_week_heading_is_in_the_language(client: Client, user: User) -> None:
    _dashboard(client, user, language="de")
    html = client.get(reverse("reminders:dashboard")).content.decode()
    assert "16. Nov." in html
