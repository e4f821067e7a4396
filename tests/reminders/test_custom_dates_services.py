"""Custom date services (reminders.services): the writes of reminders/views/dates.py."""

from datetime import date

import pytest
from django.contrib.auth.models import User

from reminders.models import CustomDate, Reminder, ReminderKind
from reminders.services import custom_date_create, custom_date_delete, custom_date_update
from tests.factories import ContactFactory, ReminderFactory


@pytest.mark.django_db
def test_custom_date_create_and_update(user: User) -> None:
    ada = ContactFactory(owner=user)
    item = custom_date_create(contact=ada, label="Wedding", date=date(2015, 6, 1), yearly=True)
    assert CustomDate.objects.get(pk=item.pk).contact == ada
    custom_date_update(custom_date=item, label="Move", date=date(2027, 1, 2), yearly=False)
    fresh = CustomDate.objects.get(pk=item.pk)
    assert (fresh.label, fresh.date, fresh.yearly) == ("Move", date(2027, 1, 2), False)


@pytest.mark.django_db
def test_custom_date_delete_takes_its_reminders_along(user: User) -> None:
    ada = ContactFactory(owner=user)
    item = custom_date_create(contact=ada, label="Wedding", date=date(2015, 6, 1), yearly=True)
    ReminderFactory(contact=ada, kind=ReminderKind.CUSTOM, custom_date=item)
    custom_date_delete(custom_date=item)
    assert not CustomDate.objects.filter(pk=item.pk).exists()
    assert not Reminder.objects.filter(contact=ada, kind=ReminderKind.CUSTOM).exists()
