"""Context lines, the glance chart, constant query counts, and inert user text."""

import datetime as dt

import pytest
from django.contrib.auth.models import User
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from contacts.models import CareerMove, InteractionKind, TrustLevel
from crm.models import UserSettings
from reminders.models import Reminder, ReminderKind
from tests.conftest import clear_test_cache
from tests.factories import (
    ContactFactory,
    CustomDateFactory,
    InteractionFactory,
    NoteDraftFactory,
    PositionFactory,
    ReminderFactory,
    log_interaction,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen")]

TODAY = dt.date(2026, 11, 18)


def _line(client: Client, reminder: Reminder) -> str:
    response = client.get(reverse("reminders:dashboard"), {"trust": "all"})
    entries = {r.pk: r for g in response.context["groups"] for r in g.entries}
    return entries[reminder.pk].context_line


def test_it_describes_a_work_anniversary(auth_client: Client, user: User) -> None:
    contact = ContactFactory(owner=user)
    position = PositionFactory(
        contact=contact, company="Acme", title="VP Engineering", start_date=dt.date(2021, 11, 20)
    )
    reminder = ReminderFactory(
        contact=contact,
        kind=ReminderKind.WORK_ANNIVERSARY,
        position=position,
        years=5,
        due_on=dt.date(2026, 11, 20),
    )
    assert _line(auth_client, reminder) == "5 years at Acme as VP Engineering, since 20 Nov 2021"


def test_it_describes_a_job_change_with_the_previous_job(auth_client: Client, user: User) -> None:
    contact = ContactFactory(owner=user)
    PositionFactory(
        contact=contact,
        company="Acme",
        title="Director",
        start_date=dt.date(2019, 1, 1),
        end_date=dt.date(2026, 10, 31),
    )
    new = PositionFactory(
        contact=contact,
        company="Northwind Ventures",
        title="Partner",
        start_date=dt.date(2026, 11, 14),
        move=CareerMove.JOB_CHANGE,
    )
    reminder = ReminderFactory(
        contact=contact, kind=ReminderKind.JOB_CHANGE, position=new, due_on=dt.date(2026, 11, 14)
    )
    assert _line(auth_client, reminder) == (
        "started at Northwind Ventures as Partner 4 days ago, after Director at Acme"
    )


def test_it_describes_a_promotion(auth_client: Client, user: User) -> None:
    contact = ContactFactory(owner=user)
    PositionFactory(
        contact=contact, company="Acme", title="Engineer", end_date=dt.date(2026, 11, 1)
    )
    new = PositionFactory(
        contact=contact,
        company="Acme",
        title="Staff Engineer",
        start_date=None,
        detected_on=dt.date(2026, 11, 17),
    )
    reminder = ReminderFactory(
        contact=contact, kind=ReminderKind.PROMOTION, position=new, due_on=TODAY - dt.timedelta(1)
    )
    # An import noticed it yesterday: that is not when the promotion happened.
    assert _line(auth_client, reminder) == (
        "now Staff Engineer at Acme (was Engineer), noticed yesterday (start date unknown)"
    )
    new.start_date = dt.date(2026, 11, 17)
    new.save()
    assert _line(auth_client, reminder) == (
        "promoted to Staff Engineer at Acme yesterday (was Engineer)"
    )


def test_it_describes_keep_in_touch_with_the_last_conversation(
    auth_client: Client, user: User
) -> None:
    contact = ContactFactory(owner=user)
    log_interaction(
        user,
        [contact],
        on=TODAY - dt.timedelta(days=97),
        summary="coffee about their move to Berlin",
        kind=InteractionKind.MEAL,
    )
    InteractionFactory(
        owner=user, contacts=[contact], occurred_on=TODAY - dt.timedelta(days=200), summary="old"
    )
    reminder = ReminderFactory(contact=contact, kind=ReminderKind.KEEP_IN_TOUCH, due_on=TODAY)
    assert _line(auth_client, reminder) == (
        "last talked 97 days ago: coffee about their move to Berlin"
    )


def test_it_describes_keep_in_touch_with_no_conversation_yet(
    auth_client: Client, user: User
) -> None:
    contact = ContactFactory(owner=user, met_at="PyCon Berlin", met_on=dt.date(2019, 5, 1))
    reminder = ReminderFactory(contact=contact, kind=ReminderKind.KEEP_IN_TOUCH, due_on=TODAY)
    assert _line(auth_client, reminder) == (
        "no conversation logged since you met at PyCon Berlin May 2019"
    )


def test_it_describes_a_birthday_with_age(auth_client: Client, user: User) -> None:
    contact = ContactFactory(owner=user, birthday_year=1986, birthday_month=11, birthday_day=20)
    reminder = ReminderFactory(contact=contact, due_on=dt.date(2026, 11, 20))
    assert _line(auth_client, reminder) == "turns 40 on Fri 20 Nov"


def test_it_describes_a_custom_date(auth_client: Client, user: User) -> None:
    contact = ContactFactory(owner=user)
    custom = CustomDateFactory(contact=contact, label="Wedding anniversary")
    reminder = ReminderFactory(
        contact=contact, kind=ReminderKind.CUSTOM, custom_date=custom, years=11, due_on=TODAY
    )
    assert _line(auth_client, reminder) == "Wedding anniversary, 11 years today"


# --- The glance ---------------------------------------------------------------


def test_it_charts_interactions_per_week_with_a_text_alternative(
    auth_client: Client, user: User
) -> None:
    contact = ContactFactory(owner=user)
    for days_ago in (0, 1, 9, 70, 200):
        InteractionFactory(
            owner=user, contacts=[contact], occurred_on=TODAY - dt.timedelta(days=days_ago)
        )
    response = auth_client.get(reverse("reminders:dashboard"))
    bars = response.context["bars"]
    assert len(bars) == 12
    assert bars[-1].starts_on == dt.date(2026, 11, 16)  # Monday of this week
    assert [b.count for b in bars][-3:] == [0, 1, 2]
    assert sum(b.count for b in bars) == 4  # 200 days ago is out of range
    html = response.content.decode()
    # The numbers as a table for screen readers; the drawing itself is hidden from them.
    assert '<svg class="chart"' in html and 'aria-hidden="true" focusable="false"' in html
    assert "<caption>Interactions per week, last 12 weeks</caption>" in html
    assert '<th scope="row">16 Nov 2026 (this week)</th><td>2</td>' in html
    assert "2 this week" in html
    # A scale (0, 1, 2 for a busiest week of 2), weeks named, and this week marked.
    chart = response.context["chart"]
    assert [tick.value for tick in chart.ticks] == [0, 1, 2]
    assert ">This week</text>" in html and ">Interactions per week</text>" in html
    assert [bar.label for bar in chart.bars if bar.labelled] == ["21 Sep", "19 Oct", "16 Nov"]
    assert chart.bars[-1].current and chart.bars[-1].labelled


def test_it_counts_close_and_know_well_people_overdue(auth_client: Client, user: User) -> None:
    settings = UserSettings.for_user(user)
    long_ago = TODAY - dt.timedelta(days=400)
    ContactFactory(owner=user, trust_level=TrustLevel.CLOSE, last_interaction_on=long_ago)
    ContactFactory(owner=user, trust_level=TrustLevel.CLOSE, last_interaction_on=TODAY)
    ContactFactory(owner=user, trust_level=TrustLevel.KNOW_WELL, last_interaction_on=long_ago)
    ContactFactory(
        owner=user,
        trust_level=TrustLevel.KNOW_WELL,
        last_interaction_on=long_ago,
        keep_in_touch_days=0,
    )
    ContactFactory(owner=user, trust_level=TrustLevel.ACQUAINTANCE, last_interaction_on=long_ago)
    assert settings.cadence_close == 30
    overdue = auth_client.get(reverse("reminders:dashboard")).context["overdue"]
    assert (overdue["close"], overdue["know_well"], overdue["overdue"]) == (1, 1, 2)
    assert overdue["total"] == 4


def test_it_updates_the_overdue_count_as_soon_as_you_talk(auth_client: Client, user: User) -> None:
    close = ContactFactory(
        owner=user, trust_level=TrustLevel.CLOSE, last_interaction_on=TODAY - dt.timedelta(400)
    )
    url = reverse("reminders:dashboard")
    assert auth_client.get(url).context["overdue"]["overdue"] == 1
    assert auth_client.get(url).context["overdue"]["overdue"] == 1  # from the cache
    log_interaction(user, [close], on=TODAY, kind=InteractionKind.CALL)
    assert auth_client.get(url).context["overdue"]["overdue"] == 0


# --- Query count ----------------------------------------------------------------


def _populate(user: User, contacts: int, reminders: int) -> None:
    people = ContactFactory.create_batch(contacts, owner=user)
    kinds = [
        ReminderKind.JOB_CHANGE,
        ReminderKind.WORK_ANNIVERSARY,
        ReminderKind.BIRTHDAY,
        ReminderKind.KEEP_IN_TOUCH,
        ReminderKind.CUSTOM,
    ]
    for index, person in enumerate(people[:reminders]):
        position = PositionFactory(contact=person)
        ReminderFactory(
            contact=person,
            kind=kinds[index % len(kinds)],
            position=position,
            due_on=TODAY + dt.timedelta(days=index % 10 - 5),
        )
        InteractionFactory(owner=user, contacts=[person], occurred_on=TODAY)
        NoteDraftFactory(contact=person)


def _count(client: Client) -> int:
    client.get(reverse("reminders:dashboard"))  # fill the overdue-count cache
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("reminders:dashboard")).status_code == 200
    return len(queries)


def test_it_keeps_the_query_count_flat_as_contacts_grow(auth_client: Client, user: User) -> None:
    """Warm and cold (empty cache) alike."""
    _populate(user, 6, 5)
    small = _count(auth_client)
    _populate(user, 60, 40)
    assert _count(auth_client) == small
    clear_test_cache()
    cold = len(_cold(auth_client))
    _populate(user, 20, 10)
    clear_test_cache()
    assert len(_cold(auth_client)) == cold


def _cold(client: Client) -> list:
    with CaptureQueriesContext(connection) as queries:
        client.get(reverse("reminders:dashboard"))
    return queries.captured_queries


# --- User text is inert -------------------------------------------------------------

XSS = '<script>alert("x")</script><img src=x onerror=alert(1)>'


def test_it_escapes_names_and_notes_on_the_dashboard_and_composer(
    auth_client: Client, user: User
) -> None:
    contact = ContactFactory(owner=user, first_name=XSS, last_name="Evil", how_we_met=XSS)
    PositionFactory(contact=contact, company=XSS, title=XSS)
    log_interaction(user, [contact], on=TODAY, summary=XSS, kind=InteractionKind.CALL)
    reminder = ReminderFactory(contact=contact, kind=ReminderKind.KEEP_IN_TOUCH, due_on=TODAY)
    draft = NoteDraftFactory(contact=contact, reminder=reminder, subject=XSS, body=XSS)
    pages = [
        auth_client.get(reverse("reminders:dashboard")),
        auth_client.get(reverse("reminders:note_edit", args=[draft.pk])),
        auth_client.post(
            reverse("reminders:note_edit", args=[draft.pk]),
            {"subject": XSS, "body": XSS},
            headers={"HX-Request": "true"},
        ),
    ]
    for response in pages:
        html = response.content.decode()
        assert response.status_code == 200
        assert "<script>alert" not in html
        assert "<img src=x" not in html
        assert "&lt;script&gt;" in html
