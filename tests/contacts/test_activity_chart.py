"""The contact page's activity chart names the months and shows its scale."""

import datetime as dt

import pytest
import time_machine
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from contacts.sparkline import build_sparkline, month_starts
from tests.factories import ContactFactory, InteractionFactory

pytestmark = pytest.mark.django_db


def test_every_sixth_month_is_named_ending_with_this_one() -> None:
    months = month_starts(dt.date(2026, 11, 18))
    spark = build_sparkline(months, {(2026, 3): 4, (2025, 7): 1})
    assert [bar.short_month for bar in spark.labelled] == [
        "May \u201925",
        "Nov \u201925",
        "May \u201926",
        "Nov \u201926",
    ]
    assert spark.peak == 4


def test_the_chart_shows_months_and_a_scale_on_the_page(auth_client: Client, user: User) -> None:
    contact = ContactFactory(owner=user)
    with time_machine.travel(dt.datetime(2026, 11, 18, 12, tzinfo=dt.UTC), tick=False):
        for day in (dt.date(2026, 3, 2), dt.date(2026, 3, 9), dt.date(2026, 3, 20)):
            InteractionFactory(owner=user, contacts=[contact], occurred_on=day)
        html = auth_client.get(reverse("contacts:detail", args=[contact.pk])).content.decode()
    chart = html[html.index('<svg class="sparkline"') : html.index("</svg>")]
    assert 'text-anchor="end">3</text>' in chart, "the scale's top is the busiest month"
    assert 'text-anchor="end">0</text>' in chart
    assert ">Nov \u201926</text>" in chart and ">May \u201926</text>" in chart
    assert 'preserveAspectRatio="none"' not in chart, "text must not be stretched"
