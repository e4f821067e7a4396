"""Custom dates on a contact: one-off or yearly, with a label, edited in place."""

import datetime as dt

import pytest
import time_machine
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from contacts.models import Contact
from reminders.models import CustomDate, Reminder, ReminderKind
from reminders.scan import scan_user
from tests.factories import ContactFactory, CustomDateFactory
from tests.htmx import HX, delete_in_place


@pytest.fixture
def ada(user: User) -> Contact:
    return ContactFactory(owner=user, first_name="Ada")


@pytest.mark.django_db
def test_it_adds_a_yearly_date_in_place_and_reminds_of_it(
    auth_client: Client, ada: Contact, user: User
) -> None:
    url = reverse("reminders:custom_date_add", args=[ada.pk])
    form = auth_client.get(url, **HX)
    assert form.status_code == 200 and 'id="custom-dates"' in form.text
    response = auth_client.post(
        url, {"label": "Wedding anniversary", "date": "2015-12-02", "yearly": "on"}, **HX
    )
    assert response.status_code == 200
    assert "Wedding anniversary" in response.text and "every 2 December" in response.text
    item = CustomDate.objects.get(contact=ada)
    assert item.yearly
    assert scan_user(user=user, today=dt.date(2026, 11, 30)) == 1
    reminder = Reminder.objects.get(kind=ReminderKind.CUSTOM)
    assert (reminder.due_on, reminder.years, reminder.custom_date) == (
        dt.date(2026, 12, 2),
        11,
        item,
    )


@pytest.mark.django_db
def test_a_one_off_date_is_reminded_once(auth_client: Client, ada: Contact, user: User) -> None:
    response = auth_client.post(
        reverse("reminders:custom_date_add", args=[ada.pk]),
        {"label": "Moves to Lisbon", "date": "2026-12-05"},
    )
    assert response.status_code == 302
    assert not CustomDate.objects.get().yearly
    scan_user(user=user, today=dt.date(2026, 11, 30))
    scan_user(user=user, today=dt.date(2027, 11, 30))
    [reminder] = Reminder.objects.filter(kind=ReminderKind.CUSTOM)
    assert (reminder.due_on, reminder.years) == (dt.date(2026, 12, 5), None)


@pytest.mark.django_db
def test_it_edits_and_deletes_a_date(auth_client: Client, ada: Contact) -> None:
    item = CustomDateFactory(contact=ada, label="Kid's birthday")
    edit = reverse("reminders:custom_date_edit", args=[item.pk])
    assert 'value="Kid&#x27;s birthday"' in auth_client.get(edit, **HX).text
    auth_client.post(edit, {"label": "Emma's birthday", "date": "2018-04-02", "yearly": "on"}, **HX)
    item.refresh_from_db()
    assert (item.label, item.date) == ("Emma's birthday", dt.date(2018, 4, 2))
    delete = reverse("reminders:custom_date_delete", args=[item.pk])
    delete_in_place(auth_client, delete, "Delete “Emma&#x27;s birthday”?")
    assert not CustomDate.objects.exists()


@pytest.mark.django_db
def test_it_explains_a_missing_label_or_bad_date(auth_client: Client, ada: Contact) -> None:
    response = auth_client.post(
        reverse("reminders:custom_date_add", args=[ada.pk]),
        {"label": "  ", "date": "2026-02-30"},
        **HX,
    )
    assert response.status_code == 200
    assert "Say what the date is" in response.text or "This field is required" in response.text
    assert "Enter a valid date" in response.text
    assert not CustomDate.objects.exists()


@pytest.mark.parametrize("day", ["0001-01-01", "1899-12-31", "2037-01-01", "9999-12-31"])
@pytest.mark.parametrize("htmx", [True, False], ids=["htmx", "page"])
@pytest.mark.django_db
def test_a_year_outside_1900_to_ten_years_ahead_is_refused(
    auth_client: Client, ada: Contact, day: str, htmx: bool
) -> None:
    with time_machine.travel(dt.datetime(2026, 6, 15, 12, 0, tzinfo=dt.UTC), tick=False):
        response = auth_client.post(
            reverse("reminders:custom_date_add", args=[ada.pk]),
            {"label": "Wedding anniversary", "date": day, "yearly": "on"},
            **(HX if htmx else {}),
        )
    assert response.status_code == 200
    assert "Enter a date between 1900 and 2036." in response.text
    assert not CustomDate.objects.exists()


@pytest.mark.django_db
def test_editing_a_date_out_of_range_keeps_the_old_one(auth_client: Client, ada: Contact) -> None:
    item = CustomDateFactory(contact=ada, label="Wedding", date=dt.date(2001, 6, 2))
    response = auth_client.post(
        reverse("reminders:custom_date_edit", args=[item.pk]),
        {"label": "Wedding", "date": "0001-06-02", "yearly": "on"},
    )
    assert response.status_code == 200
    assert "Enter a date between 1900" in response.text
    item.refresh_from_db()
    assert item.date == dt.date(2001, 6, 2)


@pytest.mark.parametrize("day", ["1900-01-01", "2036-12-31"])
@pytest.mark.django_db
def test_the_first_and_last_allowed_days_are_saved(
    auth_client: Client, ada: Contact, day: str
) -> None:
    with time_machine.travel(dt.datetime(2026, 6, 15, 12, 0, tzinfo=dt.UTC), tick=False):
        response = auth_client.post(
            reverse("reminders:custom_date_add", args=[ada.pk]),
            {"label": "Launch", "date": day},
        )
    assert response.status_code == 302
    assert CustomDate.objects.get().date == dt.date.fromisoformat(day)


@pytest.mark.django_db
def test_the_page_works_without_javascript(auth_client: Client, ada: Contact) -> None:
    CustomDateFactory(contact=ada, label="Graduation", date=dt.date(2020, 6, 1), yearly=False)
    page = auth_client.get(reverse("reminders:custom_dates", args=[ada.pk]))
    assert page.status_code == 200 and "<html" in page.text
    assert "Graduation" in page.text and "1 June 2020, once" in page.text


@pytest.mark.django_db
def test_another_user_cannot_add_a_date_to_my_contact(other_client: Client, ada: Contact) -> None:
    add = reverse("reminders:custom_date_add", args=[ada.pk])
    response = other_client.post(add, {"label": "x", "date": "2020-01-01"})
    assert response.status_code == 404
    assert not CustomDate.objects.exists()
