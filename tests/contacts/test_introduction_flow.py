"""Double opt-in introductions: the steps, the trust gate, what each step logs and where,
declines that never reach the other side, stalled-step reminders, This week, the pages
and the backup (issue 21)."""

import json
from datetime import date, datetime, timedelta

import pytest
import time_machine
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from contacts.exporters import export_json
from contacts.importers import run_import
from contacts.introduction_drafts import step_drafts
from contacts.introduction_flow import (
    STEPS,
    actions_from,
    introduction_start,
    introduction_step,
    next_status,
)
from contacts.models import Contact, Interaction, InteractionKind, Introduction, TrustLevel
from contacts.relation_models import IntroStatus
from crm.models import UserSettings
from reminders.models import Reminder, ReminderKind, ReminderStatus
from reminders.notes import load_history
from reminders.scan import scan_user
from tests.contacts.conftest import TODAY
from tests.factories import ContactFactory, UserFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_today")]


def _pair(owner: User) -> tuple[Contact, Contact]:
    ada = ContactFactory(owner=owner, first_name="Ada", last_name="L", trust_level=TrustLevel.CLOSE)
    bob = ContactFactory(
        owner=owner, first_name="Bob", last_name="B", trust_level=TrustLevel.KNOW_WELL
    )
    return ada, bob


def _start(owner: User) -> Introduction:
    ada, bob = _pair(owner)
    return introduction_start(
        owner=owner, first=ada, second=bob, reason="you both build rowing boats", today=TODAY
    )


def _walk(intro: Introduction, *actions: str) -> Introduction:
    for action in actions:
        intro = introduction_step(introduction=intro, action=action, today=TODAY)
    return intro


# --- The state machine -------------------------------------------------------------


def test_the_happy_path_runs_in_order() -> None:
    status: str = IntroStatus.ASK_FIRST
    for action, expected in [
        ("asked_first", IntroStatus.WAITING_FIRST),
        ("first_yes", IntroStatus.ASK_SECOND),
        ("asked_second", IntroStatus.WAITING_SECOND),
        ("second_yes", IntroStatus.SEND),
        ("sent", IntroStatus.SENT),
        ("met", IntroStatus.DONE),
    ]:
        status = next_status(status, action)
        assert status == expected


@pytest.mark.parametrize("status", IntroStatus.values)
def test_every_action_fits_only_where_the_machine_says(status: str) -> None:
    for action in STEPS:
        if action in actions_from(status):
            assert next_status(status, action) in IntroStatus.values
        else:
            with pytest.raises(ValidationError):
                next_status(status, action)


def test_a_side_can_decline_only_once_asked_and_before_the_introduction() -> None:
    assert "first_no" not in actions_from(IntroStatus.ASK_FIRST)
    assert "second_no" not in actions_from(IntroStatus.ASK_SECOND)
    assert {"first_no", "second_no", "withdraw"} <= set(actions_from(IntroStatus.SEND))
    assert actions_from(IntroStatus.SENT) == ["met", "nothing"]
    assert actions_from(IntroStatus.DONE) == actions_from(IntroStatus.DECLINED) == []
    with pytest.raises(ValidationError):
        next_status(IntroStatus.WAITING_FIRST, "teleport")


# --- The trust gate ------------------------------------------------------------------


def test_it_refuses_people_below_know_well_by_default_and_says_why(user: User) -> None:
    ada, _ = _pair(user)
    carl = ContactFactory(owner=user, first_name="Carl", last_name="C", trust_level="acquaintance")
    with pytest.raises(ValidationError) as refused:
        introduction_start(owner=user, first=ada, second=carl, reason="x", today=TODAY)
    assert "know well or closer" in refused.value.messages[0]
    assert "Carl C is acquaintance" in refused.value.messages[0]
    prefs = UserSettings.for_user(user)
    prefs.introduction_min_trust = TrustLevel.ACQUAINTANCE
    prefs.save()
    assert introduction_start(owner=user, first=ada, second=carl, reason="x", today=TODAY).pk
    fan = ContactFactory(owner=user, trust_level=TrustLevel.FOLLOWING)
    with pytest.raises(ValidationError):
        introduction_start(owner=user, first=ada, second=fan, reason="x", today=TODAY)


def test_the_settings_page_changes_the_gate(auth_client: Client, user: User) -> None:
    page = auth_client.get(reverse("settings")).content.decode()
    assert "Who can be introduced" in page
    prefs = UserSettings.for_user(user)
    data = {"time_zone": prefs.time_zone, "week_start": 0, "introduction_min_trust": "close"}
    auth_client.post(reverse("settings"), data)
    assert UserSettings.for_user(user).introduction_min_trust == "close"


def test_the_start_page_shows_the_refusal_and_saves_nothing(
    auth_client: Client, user: User
) -> None:
    ada, _ = _pair(user)
    met = ContactFactory(owner=user, first_name="Meg", last_name="M", trust_level="met")
    url = reverse("contacts:introduce", args=[ada.pk])
    page = auth_client.get(url, {"other": met.pk}).content.decode()
    assert "Meg M is met" in page and "Start the introduction" not in page
    response = auth_client.post(
        reverse("contacts:introduction_new"), {"first": ada.pk, "second": met.pk, "reason": "x"}
    )
    assert response.status_code == 200 and "Meg M is met" in response.content.decode()
    assert not Introduction.objects.exists()


def test_it_refuses_strangers_ids_a_missing_reason_and_a_pair_already_underway(
    auth_client: Client, user: User
) -> None:
    ada, bob = _pair(user)
    stranger = ContactFactory(owner=UserFactory(), trust_level=TrustLevel.CLOSE)
    url = reverse("contacts:introduction_new")
    response = auth_client.post(url, {"first": ada.pk, "second": stranger.pk, "reason": "x"})
    assert "from your own contacts" in response.content.decode()
    response = auth_client.post(url, {"first": ada.pk, "second": bob.pk, "reason": " "})
    assert "Say why they should meet" in response.content.decode()
    assert (
        auth_client.post(url, {"first": ada.pk, "second": bob.pk, "reason": "r"}).status_code == 302
    )
    response = auth_client.post(url, {"first": bob.pk, "second": ada.pk, "reason": "again"})
    assert "already introducing these two" in response.content.decode()
    assert Introduction.objects.count() == 1


# --- Walking it through the pages -------------------------------------------------------


def test_a_full_introduction_logs_each_step_on_the_right_people(
    auth_client: Client, user: User
) -> None:
    intro = _start(user)
    ada, bob = intro.first, intro.second
    page = auth_client.get(
        reverse("contacts:introduction_detail", args=[intro.pk])
    ).content.decode()
    assert "Message to Ada L" in page and "rowing boats" in page
    step = reverse("contacts:introduction_step", args=[intro.pk])
    for action in ("asked_first", "first_yes", "asked_second", "second_yes"):
        assert auth_client.post(step, {"action": action}).status_code == 302
    page = auth_client.get(
        reverse("contacts:introduction_detail", args=[intro.pk])
    ).content.decode()
    assert "Message to Ada L and Bob B" in page and "Ada, meet Bob" in page
    response = auth_client.post(step, {"action": "sent"}, HTTP_HX_REQUEST="true")
    assert 'id="introduction"' in response.content.decode()
    auth_client.post(step, {"action": "met"})
    intro.refresh_from_db()
    assert intro.status == IntroStatus.DONE and intro.outcome == "met"
    on_ada = [i.summary for i in Interaction.objects.filter(contacts=ada).order_by("id")]
    on_bob = [i.summary for i in Interaction.objects.filter(contacts=bob).order_by("id")]
    assert on_ada == [
        "Asked if they'd like an introduction to Bob B",
        "Said yes to an introduction to Bob B",
        "Introduced Ada L and Bob B",
        "Introduction of Ada L and Bob B: they met",
    ]
    assert on_bob == [
        "Asked if they'd like an introduction to Ada L",
        "Said yes to an introduction to Ada L",
        "Introduced Ada L and Bob B",
        "Introduction of Ada L and Bob B: they met",
    ]
    assert Interaction.objects.get(kind=InteractionKind.INTRODUCTION).notes == intro.reason
    for person, other in ((ada, "Bob B"), (bob, "Ada L")):
        html = auth_client.get(person.get_absolute_url()).content.decode()
        assert other in html and "They met" in html
    made = auth_client.get(reverse("contacts:introductions_made")).content.decode()
    assert "They met" in made and "1 met" in made


def test_a_step_that_does_not_fit_changes_nothing(auth_client: Client, user: User) -> None:
    intro = _start(user)
    step = reverse("contacts:introduction_step", args=[intro.pk])
    response = auth_client.post(step, {"action": "sent"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200 and "does not fit" in response.content.decode()
    response = auth_client.post(step, {"action": "nonsense"})
    assert response.status_code == 302
    intro.refresh_from_db()
    assert intro.status == IntroStatus.ASK_FIRST and not Interaction.objects.exists()


def test_a_decline_is_closed_politely_and_never_shown_to_the_other_side(
    auth_client: Client, user: User
) -> None:
    intro = _walk(_start(user), "asked_first", "first_yes", "asked_second", "second_no")
    ada, bob = intro.first, intro.second
    assert intro.status == IntroStatus.DECLINED and intro.declined_by == "second"
    assert [i.summary for i in Interaction.objects.filter(contacts=bob).order_by("id")][-1] == (
        "Declined an introduction to Ada L"
    )
    assert not Interaction.objects.filter(contacts=ada, summary__icontains="declin").exists()
    # Ada's page, and everything her drafted messages draw on, know nothing of it.
    ada_page = auth_client.get(ada.get_absolute_url()).content.decode()
    assert "declin" not in ada_page.lower() and "Double opt-in" not in ada_page
    assert "declin" not in " ".join(f.text for f in load_history(ada).facts()).lower()
    bob_page = auth_client.get(bob.get_absolute_url()).content.decode()
    assert "Double opt-in" in bob_page and "closed" in bob_page
    # The polite close goes to Ada (who said yes), and does not say who declined.
    (close,) = step_drafts(user, intro)
    assert close.recipients == [ada]
    assert "isn't going to happen" in close.body and "declin" not in close.body.lower()


def test_checking_an_edited_draft_answers_in_place(auth_client: Client, user: User) -> None:
    intro = _start(user)
    url = reverse("contacts:introduction_check", args=[intro.pk])
    body = "Ada, remember our Lisbon regatta? Bob restores wooden sculls near Porto harbour."
    response = auth_client.post(url, {"draft": 0, "body": body}, HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert response.status_code == 200 and 'id="touch-0"' in html and "comes from you" in html
    response = auth_client.post(url, {"draft": "x", "body": "hi"})
    assert response.status_code == 200


# --- Stalled steps and This week ------------------------------------------------------------


def test_a_silent_side_becomes_a_reminder_and_answering_settles_it(
    auth_client: Client, user: User
) -> None:
    intro = _walk(_start(user), "asked_first")
    scan_user(user=user, today=TODAY + timedelta(days=6))
    assert not Reminder.objects.exists()
    scan_user(user=user, today=TODAY + timedelta(days=7))
    scan_user(user=user, today=TODAY + timedelta(days=8))
    reminder = Reminder.objects.get()
    assert (reminder.kind, reminder.contact, reminder.introduction_id) == (
        ReminderKind.INTRODUCTION,
        intro.first,
        intro.pk,
    )
    with time_machine.travel(datetime(2026, 11, 29, 12), tick=False):
        html = auth_client.get(reverse("reminders:dashboard")).content.decode()
    assert "Introductions waiting for an answer" in html
    assert "hasn&#x27;t answered about your introduction in 9 days" in html
    assert reverse("contacts:introduction_detail", args=[intro.pk]) in html
    introduction_step(introduction=intro, action="first_yes", today=date(2026, 11, 29))
    reminder.refresh_from_db()
    assert reminder.status == ReminderStatus.DONE


def test_this_week_lists_the_steps_waiting_on_me(auth_client: Client, user: User) -> None:
    intro = _start(user)
    html = auth_client.get(reverse("reminders:dashboard")).content.decode()
    assert "Introductions waiting on you" in html and "Ask Ada L about meeting Bob B" in html
    _walk(intro, "asked_first")
    html = auth_client.get(reverse("reminders:dashboard")).content.decode()
    assert "Introductions waiting on you" not in html


def test_the_pages_query_counts_stay_flat(auth_client: Client, user: User) -> None:
    def count(url: str) -> int:
        auth_client.get(url)
        with CaptureQueriesContext(connection) as queries:
            auth_client.get(url)
        return len(queries)

    intro = _start(user)
    ada = intro.first
    ContactFactory(owner=user, introduced_by=ada)
    urls = [reverse("contacts:introductions_made"), ada.get_absolute_url()]
    urls.append(reverse("reminders:dashboard"))
    before = [count(url) for url in urls]
    for n in range(6):
        other = ContactFactory(owner=user, trust_level=TrustLevel.CLOSE, introduced_by=ada)
        introduction_start(owner=user, first=ada, second=other, reason=f"r{n}", today=TODAY)
    assert [count(url) for url in urls] == before


def test_introductions_survive_a_backup_and_restore(user: User) -> None:
    intro = _walk(_start(user), "asked_first", "first_no")
    document = json.loads("".join(export_json(user)))
    (saved,) = document["introductions"]
    assert saved["status"] == "declined" and saved["declined_by"] == "first"
    document["introductions"].append({"first": saved["first"], "second": saved["first"]})
    document["introductions"].append({"first": saved["first"], "second": 999})
    document["introductions"].append(
        {"first": saved["first"], "second": saved["second"], "status": "teleported"}
    )
    other = UserFactory()
    report = run_import(owner=other, source="json", data=json.dumps(document).encode())
    restored = Introduction.objects.get(owner=other)
    assert (restored.reason, restored.status, restored.declined_by, restored.asked_first_on) == (
        intro.reason,
        "declined",
        "first",
        TODAY,
    )
    assert restored.first.full_name == "Ada L"
    assert len([s for s in report.skipped if "Introduction" in s["reason"]]) == 3


def test_a_restored_waiting_reminder_points_at_the_restored_introduction(user: User) -> None:
    intro = _walk(_start(user), "asked_first")
    scan_user(user=user, today=TODAY + timedelta(days=8))
    assert Reminder.objects.get(owner=user).introduction_id == intro.pk
    document = json.loads("".join(export_json(user)))
    other = UserFactory()
    run_import(owner=other, source="json", data=json.dumps(document).encode())
    restored = Introduction.objects.get(owner=other)
    assert Reminder.objects.get(owner=other).introduction_id == restored.pk
    # Without its introduction (an older reader's export, say) the reminder is dropped.
    del document["introductions"]
    third = UserFactory()
    run_import(owner=third, source="json", data=json.dumps(document).encode())
    assert not Reminder.objects.filter(owner=third).exists()


def test_merging_duplicates_keeps_introductions_promises_and_trust_history(user: User) -> None:
    from contacts.duplicates import contact_merge
    from contacts.promises import promise_create
    from contacts.relation_models import TrustChange
    from contacts.services import contact_update

    intro = _start(user)
    ada, bob = intro.first, intro.second
    ada_twin = ContactFactory(owner=user, first_name="Ada", last_name="L", trust_level="close")
    cara = ContactFactory(owner=user, first_name="Cara", last_name="C", trust_level="close")
    with_twin = introduction_start(
        owner=user, first=ada_twin, second=cara, reason="kayaks", today=TODAY
    )
    promise_create(owner=user, contact=ada_twin, made_by="me", text="The map", today=TODAY)
    contact_update(contact=ada_twin, trust_level=TrustLevel.KNOW_WELL)
    contact_merge(survivor=ada, duplicate=ada_twin)
    with_twin.refresh_from_db()
    assert with_twin.first == ada
    assert Introduction.objects.filter(pk=intro.pk).exists()
    assert ada.promises.get().text == "The map"
    assert TrustChange.objects.get().contact == ada
    contact_merge(survivor=bob, duplicate=cara)
    assert Introduction.objects.get(pk=with_twin.pk).second == bob
    # Two people being introduced to each other, merged: nobody is left to introduce.
    contact_merge(survivor=ada, duplicate=bob)
    assert not Introduction.objects.exists()


def test_your_introductions_say_who_introduced_you_most_first(
    auth_client: Client, user: User
) -> None:
    ada, bob = _pair(user)
    for _ in range(2):
        ContactFactory(owner=user, introduced_by=bob)
    ContactFactory(owner=user, introduced_by=ada)
    stranger = ContactFactory(owner=UserFactory(), first_name="Stranger")
    ContactFactory(owner=stranger.owner, introduced_by=stranger)
    html = auth_client.get(reverse("contacts:introductions_made")).content.decode()
    assert "Who introduced you" in html and "Stranger" not in html
    assert html.index("Bob B") < html.index("Ada L")
    assert "introduced you to 2 people" in html and "introduced you to 1 person" in html
