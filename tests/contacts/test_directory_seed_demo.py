import pytest
from django.contrib.auth.models import User
from django.core.management import CommandError, call_command
from django.db import connection
from django.db.models import Count, Max
from django.test.utils import CaptureQueriesContext

from contacts.models import (
    Contact,
    ContactEmail,
    Initiator,
    Interaction,
    InteractionKind,
    Position,
    Tag,
)
from contacts.relationships import refresh_last_interaction
from contacts.search import build_search_text

pytestmark = pytest.mark.django_db


def _seed(username: str = "demo", **options: object) -> User:
    params: dict[str, object] = {"contacts": 150, "interactions": 600, "seed": 7, "verbosity": 0}
    params.update(options)
    call_command("seed_demo", user=username, **params)
    return User.objects.get(username=username)


def _fingerprint(user: User) -> list[tuple]:
    return list(
        Contact.objects.filter(owner=user)
        .order_by("id")
        .values_list(
            "first_name",
            "last_name",
            "trust_level",
            "met_on",
            "met_at",
            "birthday_year",
            "birthday_month",
            "birthday_day",
            "last_interaction_on",
            "search_text",
        )
    )


def test_it_creates_the_requested_counts_for_a_new_user_without_a_password() -> None:
    user = _seed(contacts=150, interactions=600)
    assert not user.has_usable_password()
    assert Contact.objects.filter(owner=user).count() == 150
    assert Interaction.objects.filter(owner=user).count() == 600
    # One to three people per interaction.
    sizes = (
        Interaction.objects.filter(owner=user)
        .annotate(n=Count("contacts"))
        .values_list("n", flat=True)
    )
    assert set(sizes) <= {1, 2, 3}
    assert min(sizes) == 1


def test_it_keeps_an_existing_users_password() -> None:
    User.objects.create_user("demo", password="secret password 1")
    user = _seed()
    assert user.check_password("secret password 1")


def test_it_gives_one_in_three_contacts_a_current_position_and_some_past_ones() -> None:
    user = _seed(contacts=300, interactions=0)
    positions = Position.objects.filter(contact__owner=user)
    assert positions.filter(end_date__isnull=True).count() == 100
    assert positions.filter(end_date__isnull=False).exists()
    assert Contact.objects.filter(owner=user, positions__end_date__isnull=True).distinct().count()


def test_it_makes_a_realistic_mix_of_fields() -> None:
    user = _seed(contacts=400, interactions=0)
    contacts = Contact.objects.filter(owner=user)
    levels = set(contacts.values_list("trust_level", flat=True))
    assert None in levels and "following" in levels and "close" in levels
    with_birthday = contacts.filter(birthday_month__isnull=False).count()
    assert 120 < with_birthday < 280
    assert contacts.filter(birthday_month__isnull=False, birthday_year__isnull=True).exists()
    assert contacts.filter(birthday_month=2, birthday_day=29).exists()
    assert contacts.exclude(how_we_met="").filter(met_on__isnull=False).exclude(met_at="").exists()
    assert contacts.filter(introduced_by__owner=user).exists()
    assert contacts.filter(connected_on__isnull=False).exists()
    assert contacts.annotate(n=Count("emails")).filter(n__gte=2).exists()
    assert contacts.filter(phones__isnull=False).exists()
    assert Tag.objects.filter(owner=user).count() > 5


def test_it_sets_last_interaction_and_search_text_as_the_services_would() -> None:
    user = _seed(contacts=60, interactions=300)
    contacts = Contact.objects.filter(owner=user).prefetch_related(
        "emails", "phones", "tags", "positions"
    )
    newest = dict(
        contacts.annotate(newest=Max("interactions__occurred_on")).values_list("pk", "newest")
    )
    for contact in contacts:
        assert contact.last_interaction_on == newest[contact.pk]
        assert contact.search_text == build_search_text(contact)
    # The newest interaction itself is the one the services would pick.
    before = dict(contacts.values_list("pk", "last_interaction_id"))
    assert any(before.values())
    refresh_last_interaction(before)
    assert dict(contacts.values_list("pk", "last_interaction_id")) == before


def test_nobody_gets_the_same_email_twice() -> None:
    user = _seed(contacts=3000, interactions=0)
    emails = ContactEmail.objects.filter(contact__owner=user)
    assert emails.count() > 3000  # some have several
    repeated = emails.values("contact", "email").annotate(n=Count("id")).filter(n__gt=1)
    assert not repeated.exists(), list(repeated[:5])


def test_it_is_deterministic_for_a_seed_and_differs_between_seeds() -> None:
    first = _seed("one", seed=3)
    second = _seed("two", seed=3)
    third = _seed("three", seed=4)
    assert _fingerprint(first) == _fingerprint(second)
    assert _fingerprint(first) != _fingerprint(third)


def test_it_refuses_to_seed_over_existing_contacts_unless_asked_to_replace() -> None:
    user = _seed(contacts=20, interactions=40)
    with pytest.raises(CommandError, match="--replace"):
        _seed(contacts=20, interactions=40)
    _seed(contacts=30, interactions=50, replace=True)
    assert Contact.objects.filter(owner=user).count() == 30
    assert Interaction.objects.filter(owner=user).count() == 50


def test_it_seeds_in_a_fixed_number_of_queries() -> None:
    """Set-based, not row by row: what keeps 30,000 contacts well under a minute.

    Counted in queries, not seconds, so a busy machine cannot make it fail. A write per
    contact or interaction would be thousands; batching (SQLite's smaller batches, a
    COPY on PostgreSQL) stays in the tens.
    """
    with CaptureQueriesContext(connection) as queries:
        _seed(contacts=1000, interactions=10000)
    assert Interaction.objects.count() == 10000
    assert len(queries) <= 60, len(queries)


def test_it_mixes_who_reached_out_and_notes_sent_are_always_mine() -> None:
    user = _seed(contacts=60, interactions=400)
    interactions = Interaction.objects.filter(owner=user)
    assert set(interactions.values_list("initiated_by", flat=True)) == set(Initiator.values)
    notes = interactions.filter(kind=InteractionKind.NOTE_SENT)
    assert notes.exists() and set(notes.values_list("initiated_by", flat=True)) == {Initiator.ME}
