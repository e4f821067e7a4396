"""The dashboard's cached overdue count and weekly chart follow writes outside web requests.

The count is cached for a few minutes (reminders.charts.overdue_close_people). Signals
drop it when a contact, interaction or reminder is saved one by one; imports and the
reminder scan write in bulk, in the worker, so they must drop it themselves.
"""

import datetime as dt

import pytest
from django.contrib.auth.models import User
from django.core.cache import cache
from django.db import transaction
from django.test import Client
from django.urls import reverse

from contacts.importers.jobs import import_job_confirm
from contacts.importers.previews import import_job_create
from contacts.models import ImportStatus, Interaction, TrustLevel
from contacts.tasks import run_import_job
from crm.models import UserSettings
from reminders.charts import _glance_key, forget_glance, overdue_close_people
from reminders.models import Reminder, ReminderKind
from reminders.tasks import scan_user
from tests.factories import ContactFactory, log_interaction

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen")]

TODAY = dt.date(2026, 11, 18)
CSV = (
    b"First Name,Last Name,URL,Email Address,Company,Position,Connected On\r\n"
    b"Jill,Okafor,https://www.linkedin.com/in/jill-okafor,,Northwind,Partner,14 Mar 2019\r\n"
    b"Tom,Brien,https://www.linkedin.com/in/tobrien,,Initech,Dev,01 Jul 2016\r\n"
)


def _overdue(client: Client) -> dict:
    return client.get(reverse("reminders:dashboard")).context["overdue"]


def _overdue_contact(user: User) -> None:
    ContactFactory(
        owner=user,
        trust_level=TrustLevel.CLOSE,
        last_interaction_on=TODAY - dt.timedelta(days=400),
    )


def _pretend_the_cached_count_is(user: User, overdue: int) -> None:
    """What a dashboard rendered before the write left in the cache."""
    key = _glance_key(user, TODAY, UserSettings.for_user(user))
    stale = {"close": overdue, "know_well": 0, "overdue": overdue, "total": overdue}
    cache.set(key, stale, 300)


def test_a_worker_import_shows_on_the_next_dashboard(auth_client: Client, user: User) -> None:
    _overdue_contact(user)
    assert _overdue(auth_client)["total"] == 1  # now cached for five minutes
    job = import_job_create(
        owner=user, source="linkedin", filename="Connections.csv", data=CSV, trust_level="close"
    )
    import_job_confirm(job)
    assert run_import_job(job.pk) == "done"  # what the worker runs, here inline
    job.refresh_from_db()
    assert job.status == ImportStatus.DONE and job.created_count == 2
    assert _overdue(auth_client)["total"] == 3


def test_a_preview_leaves_the_cached_count_alone(auth_client: Client, user: User) -> None:
    _overdue_contact(user)
    _pretend_the_cached_count_is(user, 7)
    import_job_create(
        owner=user, source="linkedin", filename="Connections.csv", data=CSV, trust_level="close"
    )
    assert _overdue(auth_client)["overdue"] == 7  # a dry run changed nothing


def test_a_scan_that_writes_reminders_drops_the_cached_count(
    auth_client: Client, user: User
) -> None:
    _overdue_contact(user)
    _pretend_the_cached_count_is(user, 7)
    assert scan_user(user.pk, False) == 1  # the worker's task, here inline
    assert Reminder.objects.filter(owner=user, kind=ReminderKind.KEEP_IN_TOUCH).count() == 1
    assert _overdue(auth_client)["overdue"] == 1


def test_a_scan_with_nothing_new_keeps_the_cache(auth_client: Client, user: User) -> None:
    _overdue_contact(user)
    scan_user(user.pk, False)
    _pretend_the_cached_count_is(user, 7)
    assert scan_user(user.pk, False) == 0
    assert _overdue(auth_client)["overdue"] == 7


def test_it_forgets_again_when_the_writing_transaction_commits(
    user: User, django_capture_on_commit_callbacks
) -> None:
    """Until the commit, another process still counts the old rows and may cache them."""
    _overdue_contact(user)
    prefs = UserSettings.for_user(user)
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        forget_glance(user.pk)
        _pretend_the_cached_count_is(user, 7)  # a dashboard rendered before the commit
    assert overdue_close_people(owner=user, settings=prefs, today=TODAY)["overdue"] == 1


def test_sorting_someone_in_triage_drops_the_cached_count(auth_client: Client, user: User) -> None:
    unrated = ContactFactory(
        owner=user, trust_level=None, last_interaction_on=TODAY - dt.timedelta(days=400)
    )
    assert _overdue(auth_client)["overdue"] == 0  # now cached for five minutes
    response = auth_client.post(
        reverse("contacts:triage_rate", args=[unrated.pk]), {"trust_level": TrustLevel.CLOSE}
    )
    assert response.status_code in {200, 302}
    assert _overdue(auth_client)["overdue"] == 1
    auth_client.post(reverse("contacts:triage_undo", args=[unrated.pk]))
    assert _overdue(auth_client)["overdue"] == 0


def _this_weeks_bar(client: Client) -> int:
    return client.get(reverse("reminders:dashboard")).context["bars"][-1].count


def test_the_cached_weekly_chart_follows_interactions_logged_and_deleted(
    auth_client: Client, user: User
) -> None:
    before = _this_weeks_bar(auth_client)
    interaction = log_interaction(user, [ContactFactory(owner=user)], on=TODAY)
    assert _this_weeks_bar(auth_client) == before + 1
    interaction.delete()
    assert _this_weeks_bar(auth_client) == before


def test_a_bulk_write_moves_the_cached_chart_once_told(auth_client: Client, user: User) -> None:
    before = _this_weeks_bar(auth_client)
    # What an importer's bulk write leaves: rows without signals, then forget_glance.
    made = Interaction.objects.bulk_create(
        [Interaction(owner=user, kind="call", occurred_on=TODAY, summary="Imported")]
    )
    assert _this_weeks_bar(auth_client) == before, "cached until told"
    forget_glance(user.pk)
    assert _this_weeks_bar(auth_client) == before + len(made)
