"""Dates at the edges of the calendar (an import typo such as 9999-12-31, or 0001-01-01)
never break the daily scan or the pages, and the forms refuse them with a message."""

from datetime import date

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from contacts.models import Contact, Position, TrustLevel
from reminders.scan import scan_user
from tests.factories import ContactFactory, CustomDateFactory, PositionFactory

EDGES = [date(1, 1, 1), date(1, 2, 28), date(9999, 2, 28), date(9999, 12, 31)]


@pytest.mark.parametrize("day", EDGES, ids=str)
@pytest.mark.django_db
def test_stored_edge_dates_break_neither_the_scan_nor_the_pages(
    day: date, user: User, auth_client: Client
) -> None:
    contact = ContactFactory(owner=user, met_on=day, trust_level=TrustLevel.CLOSE)
    PositionFactory(contact=contact, start_date=day, end_date=None)
    CustomDateFactory(contact=contact, date=day, yearly=True)
    CustomDateFactory(contact=ContactFactory(owner=user, met_on=day), date=day, yearly=False)
    scan_user(user=user)
    pages = [
        reverse("reminders:dashboard"),
        contact.get_absolute_url(),
        reverse("contacts:list"),
        reverse("contacts:losing_touch"),
        reverse("contacts:positions", kwargs={"contact_id": contact.pk}),
        reverse("contacts:timeline", kwargs={"pk": contact.pk}),
    ]
    for url in pages:
        assert auth_client.get(url).status_code == 200, url


@pytest.mark.parametrize("week", ["0001-01-01", "9999-12-31"])
@pytest.mark.django_db
def test_a_week_centuries_away_shows_this_week(auth_client: Client, week: str) -> None:
    response = auth_client.get(reverse("reminders:dashboard"), {"week": week})
    assert response.status_code == 200
    assert "This week" in response.content.decode()


# Far out (an import typo) and just outside the years a working life can span.
@pytest.mark.parametrize("value", ["0001-01-01", "1899-12-31", "2037-01-01", "9999-12-31"])
@pytest.mark.parametrize(
    ("view", "field"),
    [
        ("contacts:position_add", "start_date"),
        ("contacts:position_add", "end_date"),
        ("contacts:job_change", "start_date"),
    ],
)
@pytest.mark.django_db
def test_a_job_dated_outside_a_working_life_is_refused(
    auth_client: Client, user: User, view: str, field: str, value: str
) -> None:
    contact = ContactFactory(owner=user)
    data = {"company": "Acme", "title": "Engineer", "start_date": "2020-01-01", field: value}
    response = auth_client.post(reverse(view, kwargs={"contact_id": contact.pk}), data)
    assert response.status_code == 200
    assert "Enter a date between 1900 and 2036." in response.content.decode()
    assert not Position.objects.exists()


@pytest.mark.django_db
def test_i_know_them_now_refuses_a_meeting_in_the_future(auth_client: Client, user: User) -> None:
    contact = ContactFactory(owner=user, trust_level=TrustLevel.FOLLOWING)
    response = auth_client.post(
        reverse("contacts:know_now", kwargs={"pk": contact.pk}),
        {"trust_level": TrustLevel.MET, "how_we_met": "PyCon", "met_on": "9999-12-31"},
    )
    assert "That date is in the future." in response.content.decode()
    contact.refresh_from_db()
    assert contact.trust_level == TrustLevel.FOLLOWING and contact.met_on != date(9999, 12, 31)
    assert Contact.objects.count() == 1
