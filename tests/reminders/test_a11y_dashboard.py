"""The dashboard's summary names the trust filter as the select shows it."""

import datetime as dt

from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from contacts.models import TrustLevel
from tests.factories import ContactFactory, ReminderFactory


def test_it_keeps_the_filters_capital_i(auth_client: Client, user: User) -> None:
    contact = ContactFactory(owner=user, trust_level=TrustLevel.CLOSE)
    ReminderFactory(contact=contact, due_on=dt.date.today())
    response = auth_client.get(reverse("reminders:dashboard"), {"trust": "know_well"})
    html = response.content.decode()
    assert "Show: People I know well and close." in html
    assert "people i know" not in html
