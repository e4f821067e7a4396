"""Finding possible duplicates and merging them without losing anything."""

from datetime import date
from functools import partial

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from contacts.duplicates import contact_merge, find_duplicate_groups, merge_preview
from contacts.models import Contact, ContactEmail, Interaction, Position
from reminders.models import CustomDate, NoteDraft, Reminder
from tests.factories import (
    ConnectionRequestFactory,
    ContactEmailFactory,
    ContactFactory,
    ContactPhoneFactory,
    CustomDateFactory,
    InteractionFactory,
    NoteDraftFactory,
    PositionFactory,
    ReminderFactory,
)
from tests.queries import assert_flat, queries_to_get


@pytest.mark.django_db
def test_it_groups_by_email_linkedin_url_and_normalised_name(user: User, other_user: User) -> None:
    a = ContactFactory(owner=user, first_name="Zoë", last_name="Lefèvre")
    b = ContactFactory(owner=user, first_name="zoe", last_name="LEFEVRE ")
    c = ContactFactory(owner=user, first_name="Jill", linkedin_url="https://www.linkedin.com/in/j")
    d = ContactFactory(owner=user, first_name="J.", linkedin_url="https://www.linkedin.com/in/j")
    e = ContactFactory(owner=user, first_name="Tom", last_name="One")
    f = ContactFactory(owner=user, first_name="Thomas", last_name="Two")
    ContactEmailFactory(contact=e, email="tom@example.org")
    ContactEmailFactory(contact=f, email="tom@example.org")
    ContactFactory(owner=user, first_name="Unique", last_name="Person")
    theirs = ContactFactory(owner=other_user, first_name="Zoe", last_name="Lefevre")
    groups = {frozenset(x.pk for x in g.contacts): g.reasons for g in find_duplicate_groups(user)}
    assert groups == {
        frozenset({a.pk, b.pk}): ["same name"],
        frozenset({c.pk, d.pk}): ["same LinkedIn profile"],
        frozenset({e.pk, f.pk}): ["same email tom@example.org"],
    }
    assert theirs.pk not in {pk for ids in groups for pk in ids}


@pytest.mark.django_db
def test_the_duplicates_page_lists_groups_in_fixed_queries(auth_client: Client, user: User) -> None:
    for n in range(2):
        ContactFactory(owner=user, first_name="Twin", last_name=f"N{n % 1}")

    def more() -> None:
        for n in range(10):
            ContactFactory(owner=user, first_name="Pair", last_name=f"P{n // 2}")

    assert_flat(partial(queries_to_get, auth_client, reverse("contacts:duplicates")), more)
    html = auth_client.get(reverse("contacts:duplicates")).content.decode()
    assert "Merge into the first…" in html


@pytest.mark.django_db
def test_the_merge_button_says_which_one_goes_where_when_names_are_the_same(
    auth_client: Client, user: User
) -> None:
    kept = ContactFactory(owner=user, first_name="Tariq", last_name="Abbott")
    other = ContactFactory(owner=user, first_name="Tariq", last_name="Abbott")

    html = auth_client.get(reverse("contacts:duplicates")).content.decode()

    url = reverse("contacts:merge", args=[kept.pk, other.pk])
    assert f'href="{url}">Merge into the first…' in html
    assert "into Tariq Abbott)</span>" in html
    assert html.index('<span class="badge">Kept</span>') < html.index(url)


@pytest.mark.django_db
def test_a_merge_moves_everything_and_drops_a_duplicate_occasion(user: User) -> None:
    introducer = ContactFactory(owner=user, first_name="Ines")
    keep = ContactFactory(owner=user, first_name="Jill", last_name="Okafor", notes="Kept notes")
    dupe = ContactFactory(
        owner=user,
        first_name="Jill",
        last_name="Okafor-Smith",
        notes="Other notes",
        introduced_by=introducer,
        birthday_month=7,
        birthday_day=4,
        tags=["vc"],
        connected_on=date(2019, 3, 14),
    )
    ContactEmailFactory(contact=keep, email="jill@example.org")
    ContactEmailFactory(contact=dupe, email="jill@example.org")
    ContactEmailFactory(contact=dupe, email="jill@home.example")
    ContactPhoneFactory(contact=dupe, number="+1 555 0100")
    position = PositionFactory(contact=dupe, company="Contoso")
    both = InteractionFactory(owner=user, contacts=[keep, dupe], occurred_on=date(2026, 1, 5))
    only = InteractionFactory(owner=user, contacts=[dupe], occurred_on=date(2026, 2, 1))
    ReminderFactory(contact=keep, kind="birthday", occasion_key="birthday:2027")
    twin = ReminderFactory(contact=dupe, kind="birthday", occasion_key="birthday:2027")
    draft = NoteDraftFactory(contact=dupe, reminder=twin)
    moved = ReminderFactory(contact=dupe, kind="job_change", occasion_key=f"position:{position.pk}")
    custom = CustomDateFactory(contact=dupe)
    introduced = ContactFactory(owner=user, first_name="Kid", introduced_by=dupe)
    request = ConnectionRequestFactory(owner=user, contact=dupe)

    preview = merge_preview(survivor=keep, duplicate=dupe)
    assert {c.name for c in preview.choices} >= {"last_name", "notes", "birthday", "introduced_by"}
    assert preview.moves["reminders"] == 1 and preview.moves["reminders_dropped"] == 1
    assert preview.moves["emails"] == 1 and preview.moves["interactions"] == 2

    merged = contact_merge(
        survivor=keep,
        duplicate=dupe,
        choices={
            "last_name": "duplicate",
            "notes": "both",
            "birthday": "duplicate",
            "introduced_by": "duplicate",
        },
    )
    assert not Contact.objects.filter(pk=dupe.pk).exists()
    assert merged.last_name == "Okafor-Smith"
    assert merged.notes == "Kept notes\n\nOther notes"
    assert (merged.birthday_month, merged.birthday_day) == (7, 4)
    assert merged.introduced_by == introducer
    assert merged.connected_on == date(2019, 3, 14)
    assert sorted(merged.emails.values_list("email", flat=True)) == [
        "jill@example.org",
        "jill@home.example",
    ]
    assert list(merged.phones.values_list("number", flat=True)) == ["+1 555 0100"]
    assert list(merged.tags.values_list("name", flat=True)) == ["vc"]
    assert Position.objects.get(pk=position.pk).contact == merged
    assert set(merged.interactions.all()) == {both, only}
    assert list(both.contacts.all()) == [merged]
    assert merged.last_interaction_on == date(2026, 2, 1)
    assert Reminder.objects.filter(contact=merged).count() == 2
    assert Reminder.objects.get(pk=moved.pk).contact == merged
    assert NoteDraft.objects.get(pk=draft.pk).contact == merged
    reminder = NoteDraft.objects.get(pk=draft.pk).reminder
    assert reminder is not None and reminder.contact == merged
    assert CustomDate.objects.get(pk=custom.pk).contact == merged
    assert Contact.objects.get(pk=introduced.pk).introduced_by == merged
    request.refresh_from_db()
    assert request.contact == merged
    assert "contoso" in merged.search_text
    assert ContactEmail.objects.filter(contact__owner=user).count() == 2
    assert Interaction.objects.count() == 2


@pytest.mark.django_db
def test_the_merge_page_previews_then_merges_with_the_chosen_values(
    auth_client: Client, user: User
) -> None:
    keep = ContactFactory(owner=user, first_name="Jill", last_name="Okafor", trust_level="met")
    dupe = ContactFactory(owner=user, first_name="Jill", last_name="Okafor", trust_level="close")
    url = reverse("contacts:merge", args=[keep.pk, dupe.pk])
    page = auth_client.get(url)
    assert page.status_code == 200
    html = page.content.decode()
    assert "Trust level" in html and "Close" in html and "Last name" not in html
    assert Contact.objects.count() == 2
    response = auth_client.post(url, {"trust_level": "duplicate"})
    assert response.status_code == 302
    assert response["Location"] == reverse("contacts:detail", args=[keep.pk])
    keep.refresh_from_db()
    assert keep.trust_level == "close"
    assert not Contact.objects.filter(pk=dupe.pk).exists()


@pytest.mark.django_db
def test_a_tampered_merge_choice_merges_nothing(auth_client: Client, user: User) -> None:
    keep = ContactFactory(owner=user, trust_level="met")
    dupe = ContactFactory(owner=user, trust_level="close")
    response = auth_client.post(
        reverse("contacts:merge", args=[keep.pk, dupe.pk]), {"trust_level": "both"}
    )
    assert response.status_code == 200 and b"errors" in response.content
    assert Contact.objects.count() == 2


@pytest.mark.django_db
def test_merging_a_contact_with_itself_is_refused(auth_client: Client, user: User) -> None:
    contact = ContactFactory(owner=user)
    response = auth_client.post(reverse("contacts:merge", args=[contact.pk, contact.pk]))
    assert response.status_code == 302
    assert Contact.objects.filter(pk=contact.pk).exists()


@pytest.mark.django_db
def test_merging_with_another_users_contact_is_a_404(
    auth_client: Client, user: User, other_user: User
) -> None:
    mine = ContactFactory(owner=user)
    theirs = ContactFactory(owner=other_user)
    for url in (
        reverse("contacts:merge", args=[mine.pk, theirs.pk]),
        reverse("contacts:merge", args=[theirs.pk, mine.pk]),
    ):
        assert auth_client.post(url).status_code == 404
    assert Contact.objects.filter(pk=theirs.pk).exists()
