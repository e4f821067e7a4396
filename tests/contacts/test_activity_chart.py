"""The contact page's activity chart names the months and shows its scale."""

import datetime as dt

import pytest
import time_machine
from django.contrib.auth.models import User
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from contacts.reach_out import Balance, reach_out_balance
from contacts.sparkline import (
    activity_and_balance,
    build_sparkline,
    interactions_per_month,
    month_starts,
)
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


def test_the_chart_and_the_balance_come_from_one_query_and_match_their_own(user: User) -> None:
    today = dt.date(2026, 11, 18)
    ann, bob = ContactFactory(owner=user), ContactFactory(owner=user)
    plan = [(0, "me"), (3, "them"), (40, "mutual"), (364, "me"), (365, "them"), (366, "me")]
    plan += [(400, "them"), (700, "me"), (731, "me"), (900, "them")]
    for days_ago, by in plan:
        on = today - dt.timedelta(days=days_ago)
        InteractionFactory(owner=user, occurred_on=on, initiated_by=by, contacts=[ann])
    InteractionFactory(owner=user, occurred_on=today, initiated_by="them", contacts=[bob])

    with CaptureQueriesContext(connection) as queries:
        spark, balance = activity_and_balance(ann, today)
    assert len(queries.captured_queries) == 1
    assert balance == reach_out_balance(ann, today) == Balance(me=2, them=1, mutual=1)
    assert spark == interactions_per_month(ann, today)
    assert spark.total == 8
