"""The dashboard page: grouping, the window around today, week navigation, filters."""

import datetime as dt
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from contacts.models import TrustLevel
from crm.models import UserSettings
from reminders.dashboard import GROUP_LIMIT, PAGE_SIZE
from reminders.models import Reminder, ReminderKind, ReminderStatus
from tests.factories import ContactFactory, PositionFactory, ReminderFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen")]

TODAY = dt.date(2026, 11, 18)  # a Wednesday


def _due(user: User, days: int, **kwargs: Any) -> Reminder:
    contact = kwargs.pop("contact", None) or ContactFactory(owner=user)
    return ReminderFactory(contact=contact, due_on=TODAY + dt.timedelta(days=days), **kwargs)


def test_it_sends_the_home_page_to_the_dashboard(auth_client: Client) -> None:
    response = auth_client.get(reverse("home"))
    assert response.status_code == 302
    assert response["Location"] == reverse("reminders:dashboard")


def test_a_new_account_is_not_told_zero_of_zero_are_overdue(auth_client: Client) -> None:
    html = auth_client.get(reverse("reminders:dashboard")).content.decode()

    assert "of 0)" not in html
    assert "nobody is rated close or know well yet" in html
    assert f'<a href="{reverse("contacts:triage")}">sort your network</a>' in html


def test_the_overdue_breakdown_shows_once_people_are_rated(auth_client: Client, user: User) -> None:
    ContactFactory(owner=user, trust_level=TrustLevel.CLOSE)

    html = auth_client.get(reverse("reminders:dashboard")).content.decode()

    assert "know well, of 1)" in html
    assert "nobody is rated close or know well yet" not in html


def test_it_groups_open_reminders_by_kind(auth_client: Client, user: User) -> None:
    _due(user, 1, kind=ReminderKind.JOB_CHANGE, contact=ContactFactory(owner=user, first_name="Jo"))
    _due(user, 2, kind=ReminderKind.PROMOTION)
    _due(user, 0, kind=ReminderKind.WORK_ANNIVERSARY)
    _due(user, 3, kind=ReminderKind.BIRTHDAY)
    _due(user, -2, kind=ReminderKind.KEEP_IN_TOUCH)
    _due(user, 5, kind=ReminderKind.CUSTOM)
    response = auth_client.get(reverse("reminders:dashboard"))
    assert response.status_code == 200
    groups = {g.key: g.total for g in response.context["groups"]}
    expected = {"career": 2, "anniversary": 1, "birthday": 1, "touch": 1, "other": 1}
    assert groups == {**expected, "introduction": 0}
    html = response.content.decode()
    for title in ("Job changes and promotions", "Work anniversaries", "Birthdays", "Keep in touch"):
        assert title in html


def test_it_shows_the_window_plus_overdue_and_nothing_far_ahead(
    auth_client: Client, user: User
) -> None:
    old = _due(user, -40)
    recent = _due(user, -7)
    ahead = _due(user, 7)
    too_far = _due(user, 8)
    done = _due(user, 1, status=ReminderStatus.DONE)
    dismissed = _due(user, 1, status=ReminderStatus.DISMISSED)
    response = auth_client.get(reverse("reminders:dashboard"))
    shown = {r.pk for g in response.context["groups"] for r in g.entries}
    assert shown == {old.pk, recent.pk, ahead.pk}
    assert not shown & {too_far.pk, done.pk, dismissed.pk}


def test_it_brings_snoozed_reminders_back_on_their_day(auth_client: Client, user: User) -> None:
    back = _due(user, -3, status=ReminderStatus.SNOOZED, snoozed_until=TODAY)
    later = _due(user, -3, status=ReminderStatus.SNOOZED, snoozed_until=TODAY + dt.timedelta(1))
    response = auth_client.get(reverse("reminders:dashboard"))
    shown = {r.pk for g in response.context["groups"] for r in g.entries}
    assert back.pk in shown and later.pk not in shown


def test_it_hides_following_by_default_and_shows_them_on_request(
    auth_client: Client, user: User
) -> None:
    followed = _due(user, 1, contact=ContactFactory(owner=user, trust_level=TrustLevel.FOLLOWING))
    unrated = _due(user, 1, contact=ContactFactory(owner=user, trust_level=None))
    close = _due(user, 1, contact=ContactFactory(owner=user, trust_level=TrustLevel.CLOSE))
    url = reverse("reminders:dashboard")
    shown = {r.pk for g in auth_client.get(url).context["groups"] for r in g.entries}
    assert shown == {unrated.pk, close.pk}
    response = auth_client.get(url, {"trust": "all"})
    assert followed.pk in {r.pk for g in response.context["groups"] for r in g.entries}
    response = auth_client.get(url, {"trust": "close"})
    assert {r.pk for g in response.context["groups"] for r in g.entries} == {close.pk}


def test_it_navigates_weeks_from_the_users_week_start(auth_client: Client, user: User) -> None:
    settings = UserSettings.for_user(user)
    settings.week_start = 6  # Sunday
    settings.save()
    next_week = _due(user, 12)  # Monday 30 Nov, in the week starting Sunday 29 Nov
    response = auth_client.get(reverse("reminders:dashboard"), {"week": "2026-12-01"})
    week = response.context["week"]
    assert week.starts_on == dt.date(2026, 11, 29)
    assert week.previous == dt.date(2026, 11, 22)
    shown = {r.pk for g in response.context["groups"] for r in g.entries}
    assert shown == {next_week.pk}
    assert "?week=2026-11-22" in response.content.decode()


def test_it_ignores_a_malformed_week(auth_client: Client) -> None:
    response = auth_client.get(reverse("reminders:dashboard"), {"week": "soon", "trust": "x"})
    assert response.status_code == 200
    assert response.context["week"].is_current


def test_it_uses_the_users_time_zone_for_today(auth_client: Client, user: User) -> None:
    settings = UserSettings.for_user(user)
    settings.time_zone = "Pacific/Kiritimati"  # UTC+14: already Thursday 19 Nov there
    settings.save()
    assert auth_client.get(reverse("reminders:dashboard")).context["today"] == dt.date(2026, 11, 19)


def test_it_invites_an_import_when_there_are_no_contacts(auth_client: Client) -> None:
    response = auth_client.get(reverse("reminders:dashboard"))
    assert "Start with the people you know" in response.content.decode()


def test_it_suggests_who_you_have_not_talked_to_longest_when_nothing_is_due(
    auth_client: Client, user: User
) -> None:
    ContactFactory(owner=user, first_name="Recent", last_interaction_on=dt.date(2026, 11, 1))
    ContactFactory(owner=user, first_name="Longago", last_interaction_on=dt.date(2025, 1, 1))
    ContactFactory(
        owner=user,
        first_name="Followed",
        trust_level=TrustLevel.FOLLOWING,
        last_interaction_on=dt.date(2020, 1, 1),
    )
    response = auth_client.get(reverse("reminders:dashboard"))
    quiet = [c.first_name for c in response.context["quiet"]]
    assert quiet == ["Longago", "Recent"]
    assert "Nothing due this week" in response.content.decode()


def test_it_caps_long_groups_and_expands_on_request(auth_client: Client, user: User) -> None:
    for _ in range(12):
        _due(user, 1)
    response = auth_client.get(reverse("reminders:dashboard"))
    birthdays = next(g for g in response.context["groups"] if g.key == "birthday")
    assert (len(birthdays.entries), birthdays.hidden) == (GROUP_LIMIT, 12 - GROUP_LIMIT)
    assert "Show all 12" in response.content.decode()
    response = auth_client.get(reverse("reminders:dashboard"), {"all": "birthday"})
    birthdays = next(g for g in response.context["groups"] if g.key == "birthday")
    assert len(birthdays.entries) == 12


def test_show_all_pages_through_a_long_group_with_plain_links(
    auth_client: Client, user: User
) -> None:
    for _ in range(PAGE_SIZE + 2):
        _due(user, 1)
    url = reverse("reminders:dashboard")

    first = auth_client.get(url, {"all": "birthday"}).content.decode()
    more = "?week=2026-11-16&amp;trust=&amp;all=birthday&amp;page=2#group-birthday"
    assert f"1\N{EN DASH}{PAGE_SIZE} of {PAGE_SIZE + 2}" in first
    assert f'<a href="{more}" rel="next">Show more</a>' in first
    assert first.count('<li class="entry') == PAGE_SIZE

    second = auth_client.get(url, {"all": "birthday", "page": "2"})
    html = second.content.decode()
    assert f"{PAGE_SIZE + 1}\N{EN DASH}{PAGE_SIZE + 2} of {PAGE_SIZE + 2}" in html
    assert 'rel="prev">Previous</a>' in html and 'rel="next"' not in html.split("group__pages")[1]
    assert html.count('<li class="entry') == 2
    assert auth_client.get(url, {"all": "birthday", "page": "x"}).status_code == 200


def test_a_notification_link_shows_its_reminder_even_past_the_first_few(
    auth_client: Client, user: User
) -> None:
    made = [_due(user, 1 + n) for n in range(GROUP_LIMIT + 2)]
    html = auth_client.get(reverse("reminders:dashboard"), {"focus": made[-1].pk}).content.decode()
    assert f'id="reminder-{made[-1].pk}" tabindex="-1" autofocus' in html


def test_it_renders_only_the_board_for_htmx(auth_client: Client, user: User) -> None:
    PositionFactory(contact=ContactFactory(owner=user))
    _due(user, 1)
    response = auth_client.get(reverse("reminders:dashboard"), headers={"HX-Request": "true"})
    html = response.content.decode()
    assert html.lstrip().startswith('<div id="board"')
    assert "<html" not in html


def test_an_overdue_badge_says_when_it_was_due(auth_client: Client, user: User) -> None:
    _due(user, -3, kind=ReminderKind.KEEP_IN_TOUCH)
    _due(user, 2, kind=ReminderKind.BIRTHDAY)
    html = auth_client.get(reverse("reminders:dashboard")).content.decode()
    assert 'badge badge--overdue" title="Due 15 Nov 2026">due 3 days ago</span>' in html
    assert 'title="Due 20 Nov 2026">in 2 days</span>' in html


def _entry_html(html: str, reminder: Reminder) -> str:
    start = html.index(f'id="reminder-{reminder.pk}"')
    return html[start : html.index("</li>", start)]


def test_each_entry_has_one_primary_action_and_the_rest_in_a_menu(
    auth_client: Client, user: User
) -> None:
    birthday = _due(user, 1, kind=ReminderKind.BIRTHDAY)
    touch = _due(user, -9, kind=ReminderKind.KEEP_IN_TOUCH)

    html = auth_client.get(reverse("reminders:dashboard")).content.decode()

    occasion = _entry_html(html, birthday)
    assert occasion.count("button--primary") == 1
    assert 'class="button--small button--primary">Draft note</button>' in occasion
    menu = occasion[occasion.index('<details class="menu entry__menu">') :]
    # One form holds the actions: each button posts to its own URL, with htmx or without.
    snooze = reverse("reminders:reminder_snooze", args=[birthday.pk])
    assert menu.count("<form ") == 1
    assert f'<form method="post" action="{snooze}"' in menu
    assert f'value="day" formnovalidate hx-post="{snooze}"' in menu
    for name in ("reminder_done", "reminder_dismiss"):
        url = reverse(f"reminders:{name}", args=[birthday.pk])
        assert f'formaction="{url}" formnovalidate hx-post="{url}"' in menu, name
    assert "Log an interaction" in menu

    keep = _entry_html(html, touch)
    assert keep.count("button--primary") == 1
    log = reverse("contacts:interaction_new")
    assert (
        f'class="button button--small button--primary" href="{log}?contact={touch.contact_id}'
        in keep
    )
    assert ">Draft a note</button>" in keep[keep.index("<details") :]


def test_keep_in_touch_follows_the_occasions_and_links_to_losing_touch(
    auth_client: Client, user: User
) -> None:
    for days in range(4):
        _due(user, -days - 1, kind=ReminderKind.KEEP_IN_TOUCH)
    _due(user, 2, kind=ReminderKind.CUSTOM)

    html = auth_client.get(reverse("reminders:dashboard")).content.decode()

    assert html.index('id="group-other"') < html.index('id="group-touch"')
    touch = html[html.index('id="group-touch"') :]
    assert touch.count('<li class="entry entry--touch') == 1, "never more than the occasions"
    assert f'<a href="{reverse("contacts:losing_touch")}">All 4 on Losing touch</a>' in touch


def test_the_occasions_come_before_the_chart(auth_client: Client, user: User) -> None:
    """On a phone the first screen shows the first occasions, not charts."""
    _due(user, 1, kind=ReminderKind.BIRTHDAY)
    html = auth_client.get(reverse("reminders:dashboard")).content.decode()
    assert html.index('id="group-birthday"') < html.index('<svg class="chart"')
    assert html.index('class="weekbar"') < html.index('id="group-birthday"')


def test_it_shows_an_initials_avatar_with_a_stable_colour(auth_client: Client, user: User) -> None:
    contact = ContactFactory(owner=user, first_name="maya", last_name="Okafor")
    _due(user, 1, contact=contact)

    first = auth_client.get(reverse("reminders:dashboard")).content.decode()
    again = auth_client.get(reverse("reminders:dashboard")).content.decode()

    avatar = first[
        first.index('<span class="avatar') : first.index(
            "</span>", first.index('<span class="avatar')
        )
    ]
    assert 'aria-hidden="true">MO' in avatar
    assert avatar in again
