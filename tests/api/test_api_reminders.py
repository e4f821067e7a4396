"""/api/v1/reminders: this week as the dashboard selects it; snooze, dismiss, done, reopen."""

import datetime as dt

import pytest
from django.contrib.auth.models import User
from django.db import connection
from django.test.utils import CaptureQueriesContext

from crm.data_version import data_changed
from reminders.models import Reminder, ReminderKind, ReminderStatus
from tests.api.conftest import ApiClient
from tests.factories import (
    ContactFactory,
    CustomDateFactory,
    PositionFactory,
    ReminderFactory,
    log_interaction,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen")]

WEEK = "/api/v1/reminders/this-week"


def test_this_week_lists_due_and_overdue_reminders_in_date_order(
    api: ApiClient, user: User
) -> None:
    ana = ContactFactory(owner=user, first_name="Ana", last_name="Lima", birthday_year=1986)
    bo = ContactFactory(owner=user, first_name="Bo", last_name="Berg")
    position = PositionFactory(contact=bo, company="Northwind", title="CTO")
    birthday = ReminderFactory(contact=ana, kind=ReminderKind.BIRTHDAY, due_on=dt.date(2026, 12, 4))
    overdue = ReminderFactory(
        contact=bo, kind=ReminderKind.JOB_CHANGE, position=position, due_on=dt.date(2026, 11, 1)
    )
    ReminderFactory(contact=ana, due_on=dt.date(2027, 1, 20))  # next year: not this week
    ReminderFactory(contact=ana, due_on=dt.date(2026, 12, 3), status=ReminderStatus.DONE)
    ReminderFactory(contact=ContactFactory(trust_level="following"), due_on=dt.date(2026, 12, 3))
    body = api.get(WEEK).json()
    assert [r["id"] for r in body["items"]] == [overdue.pk, birthday.pk]
    first, second = body["items"]
    assert first["company"] == "Northwind" and first["title"] == "CTO"
    assert first["contact"] == {"id": bo.pk, "name": "Bo Berg"}
    assert second["when"] == "in 2 days" and "turns 40" in second["context"]
    assert body["week"]["today"] == "2026-12-02"


def _one_of_each_kind(user: User, due_on: dt.date) -> None:
    """A reminder of every kind, with what its context line reads (job, dates, history)."""
    for kind in ReminderKind.values:
        contact = ContactFactory(owner=user, birthday_year=1980, met_at="PyCon",
                                 met_on=dt.date(2019, 5, 1))  # fmt: skip
        PositionFactory(contact=contact, start_date=dt.date(2015, 1, 1),
                        end_date=dt.date(2020, 1, 1))  # fmt: skip
        position = PositionFactory(contact=contact, start_date=None, detected_on=due_on)
        log_interaction(user, [contact], on=dt.date(2026, 10, 1))
        ReminderFactory(
            contact=contact, kind=kind, due_on=due_on, years=3,
            position=position if kind in CAREER else None,
            custom_date=CustomDateFactory(contact=contact) if kind == ReminderKind.CUSTOM else None,
        )  # fmt: skip


CAREER = {ReminderKind.JOB_CHANGE, ReminderKind.PROMOTION, ReminderKind.WORK_ANNIVERSARY}


def test_this_week_costs_the_same_queries_for_one_or_many_of_every_kind(
    api: ApiClient, user: User
) -> None:
    """Every kind's context line reads only what the list loaded: no query per row."""

    def queries() -> int:
        data_changed(user.pk)  # the page built afresh, not read from the cache (api/read_cache.py)
        with CaptureQueriesContext(connection) as captured:
            response = api.get(WEEK)
        assert response.status_code == 200
        assert all(item["context"] for item in response.json()["items"])
        return len(captured)

    _one_of_each_kind(user, dt.date(2026, 12, 3))
    queries()
    few = queries()
    for _ in range(3):
        _one_of_each_kind(user, dt.date(2026, 12, 4))
    assert len(api.get(WEEK).json()["items"]) == 4 * len(ReminderKind.values)
    assert queries() == few


def test_the_cursor_walks_this_weeks_reminders_once_in_date_order(
    api: ApiClient, user: User
) -> None:
    due = [dt.date(2026, 12, day) for day in (5, 1, 3, 3, 6)]
    made = [ReminderFactory(contact=ContactFactory(owner=user), due_on=day) for day in due]
    expected = [r.pk for r in sorted(made, key=lambda r: (r.due_on, r.pk))]
    seen: list[int] = []
    cursor = None
    while True:
        body = api.get(WEEK, {"limit": "2", **({"cursor": cursor} if cursor else {})}).json()
        seen += [item["id"] for item in body["items"]]
        cursor = body["next_cursor"]
        if cursor is None:
            break
    assert seen == expected


def test_snooze_dismiss_done_and_reopen_use_the_dashboards_rules(
    api: ApiClient, user: User
) -> None:
    reminder = ReminderFactory(contact=ContactFactory(owner=user), due_on=dt.date(2026, 12, 3))
    url = f"/api/v1/reminders/{reminder.pk}"
    snoozed = api.post(f"{url}/snooze", {"days": 7}).json()
    assert snoozed["status"] == "snoozed" and snoozed["snoozed_until"] == "2026-12-09"
    assert (
        api.post(f"{url}/snooze", {"until": "2026-12-20"}).json()["snoozed_until"] == "2026-12-20"
    )
    assert api.get(WEEK).json()["items"] == []
    assert api.post(f"{url}/reopen").json()["status"] == "open"
    assert api.post(f"{url}/dismiss").json()["status"] == "dismissed"
    assert api.post(f"{url}/done").json()["status"] == "done"
    reminder.refresh_from_db()
    assert reminder.status == ReminderStatus.DONE and reminder.completed_at is not None


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"until": "2026-12-01"}, "until"),  # not after today
        ({"until": "2028-01-01"}, "until"),  # more than a year
        ({}, "until"),
        ({"until": "2026-12-20", "days": 3}, "until"),
        ({"days": 0}, "days"),
        ({"until": "someday"}, "until"),
    ],
)
def test_a_bad_snooze_is_422_and_changes_nothing(
    api: ApiClient, user: User, body: dict, field: str
) -> None:
    reminder = ReminderFactory(contact=ContactFactory(owner=user), due_on=dt.date(2026, 12, 3))
    response = api.post(f"/api/v1/reminders/{reminder.pk}/snooze", body)
    assert response.status_code == 422
    assert field in response.json()["errors"]
    reminder.refresh_from_db()
    assert reminder.status == ReminderStatus.OPEN


def test_another_users_reminder_is_404_for_every_action(api: ApiClient, other_user: User) -> None:
    theirs = ReminderFactory(contact=ContactFactory(owner=other_user), due_on=dt.date(2026, 12, 3))
    url = f"/api/v1/reminders/{theirs.pk}"
    assert api.get(url).status_code == 404
    for action in ("snooze", "dismiss", "done", "reopen"):
        assert api.post(f"{url}/{action}", {"days": 7}).status_code == 404
    assert Reminder.objects.get(pk=theirs.pk).status == ReminderStatus.OPEN


def test_a_read_token_lists_but_cannot_act(read_api: ApiClient, user: User) -> None:
    reminder = ReminderFactory(contact=ContactFactory(owner=user), due_on=dt.date(2026, 12, 3))
    assert len(read_api.get(WEEK).json()["items"]) == 1
    assert read_api.post(f"/api/v1/reminders/{reminder.pk}/done").status_code == 403
    reminder.refresh_from_db()
    assert reminder.status == ReminderStatus.OPEN
