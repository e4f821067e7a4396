"""The Relationships overview and the trust-level history behind *promoted lately*
(issue 21)."""

import json
from datetime import date, datetime, timedelta
from itertools import pairwise

import pytest
import time_machine
from django.contrib.auth.models import User
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from contacts import network
from contacts.dunbar import LAYERS, quarter_start, relationships_overview
from contacts.exporters import export_json
from contacts.importers import run_import
from contacts.models import Contact, InteractionKind, TrustLevel
from contacts.relation_models import TrustChange
from contacts.relationships import interaction_create
from contacts.services import contact_update
from crm.models import UserSettings
from reminders.charts import forget_glance
from tests.contacts.conftest import TODAY
from tests.factories import ContactFactory, UserFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_today")]


def _talk(owner: User, contact: Contact, days_ago: int) -> None:
    interaction_create(
        owner=owner,
        kind="call",
        occurred_on=TODAY - timedelta(days=days_ago),
        summary="Call",
        contacts=[contact],
    )


def test_the_layers_are_dunbars_and_nest() -> None:
    assert [layer.dunbar for layer in LAYERS] == [5, 15, 50, 150]
    for inner, outer in pairwise(LAYERS):
        assert set(inner.levels) < set(outer.levels)
    assert quarter_start(date(2026, 11, 20)) == date(2026, 10, 1)
    assert quarter_start(date(2026, 3, 31)) == date(2026, 1, 1)


def test_it_counts_each_layer_cumulatively_and_suggests(user: User) -> None:
    with time_machine.travel(datetime(2025, 1, 1), tick=False):
        close = [ContactFactory(owner=user, trust_level=TrustLevel.CLOSE) for _ in range(12)]
        for _ in range(4):
            ContactFactory(owner=user, trust_level=TrustLevel.KNOW_WELL)
        ContactFactory(owner=user, trust_level=TrustLevel.ACQUAINTANCE)
        ContactFactory(owner=user, trust_level=None)
        ContactFactory(owner=user, trust_level=TrustLevel.FOLLOWING)
    for person in close[:4]:
        _talk(user, person, 10)
    overview = relationships_overview(owner=user, prefs=UserSettings.for_user(user), today=TODAY)
    assert [(row.level_count, row.count) for row in overview.rows] == [
        (12, 12),
        (4, 16),
        (1, 17),
        (0, 17),
    ]
    assert (overview.unrated, overview.following) == (1, 1)
    texts = [s.text for s in overview.suggestions]
    assert "12 people are marked close; you've talked to 4 of them this quarter." in texts
    assert any("Your closest layer holds 12 people" in text for text in texts)
    # The eight close people not talked to since January 2025, and the four know-well.
    assert overview.drifting_total == 12 and len(overview.drifting) == 8


def test_drifting_counts_from_the_last_conversation_and_the_cadence(user: User) -> None:
    with time_machine.travel(datetime(2025, 1, 1), tick=False):
        recent = ContactFactory(owner=user, trust_level=TrustLevel.CLOSE, first_name="Recent")
        quiet = ContactFactory(owner=user, trust_level=TrustLevel.CLOSE, first_name="Quiet")
        kw = ContactFactory(owner=user, trust_level=TrustLevel.KNOW_WELL, first_name="Kw")
    _talk(user, recent, 30)
    _talk(user, quiet, 61)
    _talk(user, kw, 150)  # know well: 2 x 90 days of cadence = 180
    prefs = UserSettings.for_user(user)
    overview = relationships_overview(owner=user, prefs=prefs, today=TODAY)
    assert [p.first_name for p in overview.drifting] == ["Quiet"]


def test_trust_changes_are_recorded_by_the_services_and_undo_forgets_them(user: User) -> None:
    ada = ContactFactory(owner=user, trust_level=TrustLevel.MET)
    contact_update(contact=ada, trust_level=TrustLevel.KNOW_WELL)
    contact_update(contact=ada, first_name="Ada")  # no change of level: nothing recorded
    unrated = ContactFactory(owner=user, trust_level=None)
    network.triage_rate(contact=unrated, trust_level=TrustLevel.CLOSE)
    network.triage_undo(contact=unrated)
    fan = ContactFactory(owner=user, trust_level=TrustLevel.FOLLOWING)
    network.contact_now_known(contact=fan, trust_level=TrustLevel.ACQUAINTANCE, how_we_met="PyCon")
    contact_update(contact=ada, trust_level=TrustLevel.ACQUAINTANCE)
    changes = list(
        TrustChange.objects.order_by("id").values_list(
            "contact_id", "from_level", "to_level", "promotion"
        )
    )
    assert changes == [
        (ada.pk, "met", "know_well", True),
        (fan.pk, "following", "acquaintance", True),
        (ada.pk, "know_well", "acquaintance", False),
    ]


def test_the_page_shows_promotions_drift_the_chart_and_its_table(
    auth_client: Client, user: User
) -> None:
    with time_machine.travel(datetime(2025, 1, 1), tick=False):
        old_friend = ContactFactory(owner=user, first_name="Olga", trust_level=TrustLevel.CLOSE)
    ada = ContactFactory(owner=user, first_name="Ada", trust_level=TrustLevel.MET)
    contact_update(contact=ada, trust_level=TrustLevel.KNOW_WELL)
    fan = ContactFactory(owner=user, first_name="Fan", trust_level=None)
    network.triage_rate(contact=fan, trust_level=TrustLevel.CLOSE)
    html = auth_client.get(reverse("contacts:relationships")).content.decode()
    assert "Met → Know well" in html and "Not rated yet → Close" in html
    assert old_friend.full_name in html  # drifting down
    assert "<svg" in html and "<table" in html and "Dunbar" in html
    assert "Behavioral and Brain Sciences" in html


def test_the_page_query_count_does_not_grow_with_contacts(auth_client: Client, user: User) -> None:
    url = reverse("contacts:relationships")
    ContactFactory(owner=user, trust_level=TrustLevel.CLOSE)
    auth_client.get(url)
    forget_glance(user.pk)  # measure the overview computed, not read from the cache
    with CaptureQueriesContext(connection) as few:
        auth_client.get(url)
    for level in (TrustLevel.CLOSE, TrustLevel.KNOW_WELL, TrustLevel.MET, None):
        for _ in range(5):
            person = ContactFactory(owner=user, trust_level=TrustLevel.MET)
            contact_update(contact=person, trust_level=level)
    forget_glance(user.pk)
    with CaptureQueriesContext(connection) as many:
        auth_client.get(url)
    assert len(many) == len(few)
    with CaptureQueriesContext(connection) as cached:
        auth_client.get(url)
    assert len(cached) <= len(few) - 3  # counts, drifting and promotions come from the cache


def test_the_cached_overview_follows_every_change(auth_client: Client, user: User) -> None:
    url = reverse("contacts:relationships")
    with time_machine.travel(datetime(2025, 1, 1), tick=False):
        olga = ContactFactory(owner=user, first_name="Olga", trust_level=TrustLevel.CLOSE)
    assert "Olga" in auth_client.get(url).content.decode()  # drifting: cached now
    interaction_create(
        owner=user,
        kind=InteractionKind.CALL,
        occurred_on=timezone.localdate(),
        summary="Caught up",
        contacts=[olga],
    )
    html = auth_client.get(url).content.decode()
    assert "Olga" not in html and "Nobody close is drifting" in html
    ada = ContactFactory(owner=user, first_name="Ada", trust_level=TrustLevel.MET)
    auth_client.get(url)
    contact_update(contact=ada, trust_level=TrustLevel.KNOW_WELL)
    assert "Met → Know well" in auth_client.get(url).content.decode()
    Contact.objects.filter(pk=ada.pk).delete()
    assert "Met → Know well" not in auth_client.get(url).content.decode()


def test_trust_history_survives_a_backup_and_restore(user: User) -> None:
    ada = ContactFactory(owner=user, first_name="Ada", trust_level=TrustLevel.MET)
    contact_update(contact=ada, trust_level=TrustLevel.CLOSE)
    document = json.loads("".join(export_json(user)))
    assert document["trust_changes"] == [
        {
            "contact": ada.pk,
            "from_level": "met",
            "to_level": "close",
            "promotion": True,
            "changed_on": "2026-11-20",
        }
    ]
    document["trust_changes"].append({"contact": ada.pk, "to_level": "best friend"})
    other = UserFactory()
    report = run_import(owner=other, source="json", data=json.dumps(document).encode())
    restored = TrustChange.objects.get(owner=other)
    assert (restored.from_level, restored.to_level, restored.promotion) == ("met", "close", True)
    assert any("Trust change 2" in s["reason"] for s in report.skipped)


def test_another_users_people_never_count_or_show(auth_client: Client, user: User) -> None:
    other = UserFactory()
    with time_machine.travel(datetime(2025, 1, 1), tick=False):
        ContactFactory(owner=other, first_name="Zed", trust_level=TrustLevel.CLOSE)
    theirs = ContactFactory(owner=other, first_name="Yan", trust_level=TrustLevel.MET)
    contact_update(contact=theirs, trust_level=TrustLevel.CLOSE)
    ContactFactory(owner=user, first_name="Mine", trust_level=TrustLevel.CLOSE)
    html = auth_client.get(reverse("contacts:relationships")).content.decode()
    assert "Zed" not in html and "Yan" not in html
    overview = relationships_overview(
        owner=user, prefs=UserSettings.for_user(user), today=timezone.localdate()
    )
    assert overview.rows[0].count == 1 and not overview.promoted
