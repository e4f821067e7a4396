"""Who could I introduce? Search, trust filter, why it matched, and recording introductions."""

import datetime as dt
from functools import partial

import pytest
from django.conf import settings
from django.contrib.auth.models import User
from django.db import connection
from django.template.loader import render_to_string
from django.test import Client, RequestFactory
from django.urls import reverse

from contacts import network
from contacts.limits import HOW_WE_MET_MAX, SHORT_NOTE_MAX
from contacts.models import Contact, Interaction, InteractionKind, TrustLevel
from contacts.search import reindex_contacts
from contacts.views.introductions import introductions_section
from tests.factories import ContactEmailFactory, ContactFactory, PositionFactory
from tests.queries import assert_flat, queries_to_get

pytestmark = pytest.mark.django_db

XSS = '<script>alert(1)</script>"><img src=x onerror=alert(1)>'


def person(
    owner: User,
    first: str,
    trust: str | None = TrustLevel.KNOW_WELL,
    *,
    title: str = "",
    company: str = "",
    tags: list[str] | None = None,
    notes: str = "",
    how_we_met: str = "",
) -> Contact:
    contact = ContactFactory(
        owner=owner,
        first_name=first,
        last_name="Tester",
        trust_level=trust,
        notes=notes,
        how_we_met=how_we_met,
        tags=tags or [],
    )
    if title or company:
        PositionFactory(contact=contact, title=title, company=company, end_date=None)
    reindex_contacts([contact])
    return contact


def names(response) -> set[str]:
    return {contact.first_name for contact, _ in response.context["rows"]}


def test_it_defaults_to_people_known_well_or_closer(auth_client: Client, user: User) -> None:
    for level in [*TrustLevel.values, None]:
        person(user, f"P{level}", level, title="Partner", company="Northwind Ventures")
    response = auth_client.get(reverse("contacts:introductions"), {"q": "partner"})
    assert response.status_code == 200
    assert names(response) == {"Pknow_well", "Pclose"}


@pytest.mark.parametrize("params", [{"q": "partner"}, {"q": "partner", "min_trust": "bogus"}])
def test_the_trust_select_shows_the_level_the_search_used(
    auth_client: Client, user: User, params: dict[str, str]
) -> None:
    response = auth_client.get(reverse("contacts:introductions"), params)

    html = response.content.decode()
    assert '<option value="know_well" selected>' in html
    assert '<option value="met" selected>' not in html


def test_it_lowers_the_bar_on_request_and_counts_unrated_as_met(
    auth_client: Client, user: User
) -> None:
    for level in [*TrustLevel.values, None]:
        person(user, f"P{level}", level, title="Partner")
    response = auth_client.get(
        reverse("contacts:introductions"), {"q": "partner", "min_trust": "met"}
    )
    assert names(response) == {"Pmet", "Pacquaintance", "Pknow_well", "Pclose", "PNone"}


def test_it_leaves_out_following_unless_opted_in(auth_client: Client, user: User) -> None:
    person(user, "Followed", TrustLevel.FOLLOWING, title="Partner")
    person(user, "Known", TrustLevel.CLOSE, title="Partner")
    url = reverse("contacts:introductions")
    assert names(auth_client.get(url, {"q": "partner"})) == {"Known"}
    opted = auth_client.get(url, {"q": "partner", "include_following": "on"})
    assert names(opted) == {"Known", "Followed"}


def test_it_matches_every_word_and_says_why(auth_client: Client, user: User) -> None:
    person(user, "Jill", title="Partner", company="Northwind Ventures", tags=["vc"])
    person(user, "Noor", title="Partner", company="Law & Co")
    person(user, "Ravi", notes="Former venture partner, now angel investing in climate")
    response = auth_client.get(reverse("contacts:introductions"), {"q": "partner venture"})
    assert names(response) == {"Jill", "Ravi"}
    reasons = {c.first_name: r for c, r in response.context["rows"]}
    assert [(r.label, r.text) for r in reasons["Jill"]] == [
        ("title", "Partner"),
        ("company", "Northwind Ventures"),
    ]
    assert reasons["Ravi"][0].label == "notes"
    assert "venture partner" in reasons["Ravi"][0].text
    body = response.content.decode()
    assert "Partner at Northwind Ventures" in body
    assert "Know well" in body


def test_it_shows_how_we_met_and_the_last_interaction(auth_client: Client, user: User) -> None:
    jill = person(user, "Jill", title="Partner", how_we_met="Sat next to her at PyCon 2019")
    other = person(user, "Omar")
    network.introduction_record(
        owner=user, contact=jill, other=other, occurred_on=dt.date(2026, 10, 2), note="AI"
    )
    response = auth_client.get(reverse("contacts:introductions"), {"q": "northwind"})
    assert names(response) == set()
    response = auth_client.get(reverse("contacts:introductions"), {"q": "partner"})
    body = response.content.decode()
    assert "Sat next to her at PyCon 2019" in body
    assert "2 Oct 2026" in body
    assert "Introduced Jill Tester and Omar Tester" in body


def test_it_never_shows_another_users_contacts(
    auth_client: Client, user: User, other_user: User
) -> None:
    person(other_user, "Secret", TrustLevel.CLOSE, title="Partner")
    response = auth_client.get(reverse("contacts:introductions"), {"q": "partner"})
    assert names(response) == set()
    assert "Secret" not in response.content.decode()


def test_it_answers_htmx_with_the_results_only(auth_client: Client, user: User) -> None:
    person(user, "Jill", title="Partner")
    response = auth_client.get(
        reverse("contacts:introductions"), {"q": "partner"}, headers={"HX-Request": "true"}
    )
    body = response.content.decode()
    assert body.lstrip().startswith('<section id="results"')
    assert "<html" not in body
    assert "Jill Tester" in body


def test_it_answers_a_history_restore_with_the_whole_page(auth_client: Client, user: User) -> None:
    """Back or reload after a search: htmx swaps the answer in as the whole body."""
    person(user, "Jill", title="Partner")
    response = auth_client.get(
        reverse("contacts:introductions"),
        {"q": "partner"},
        headers={"HX-Request": "true", "HX-History-Restore-Request": "true"},
    )
    body = response.content.decode()
    assert "<html" in body
    assert "Jill Tester" in body


def test_it_paginates(auth_client: Client, user: User) -> None:
    for n in range(15):
        person(user, f"P{n:02d}", title="Partner")
    url = reverse("contacts:introductions")
    first = auth_client.get(url, {"q": "partner"})
    second = auth_client.get(url, {"q": "partner", "page": "2"})
    assert len(first.context["rows"]) == 10
    assert len(second.context["rows"]) == 5
    assert "15 people match" in first.content.decode()
    assert "q=partner&amp;page=2" in first.content.decode()


def test_its_query_count_does_not_grow_with_contacts(auth_client: Client, user: User) -> None:
    for n in range(3):
        person(user, f"A{n}", title="Partner", tags=["vc", "climate"])

    def more() -> None:
        for n in range(30):
            person(user, f"B{n}", title="Partner", tags=["vc", "fintech"])

    url = reverse("contacts:introductions")
    assert_flat(partial(queries_to_get, auth_client, url, {"q": "partner"}), more)


def test_it_escapes_what_people_typed(auth_client: Client, user: User) -> None:
    person(user, XSS, title=f"Partner {XSS}", company=XSS, tags=["<b>x</b>"], notes=XSS)
    response = auth_client.get(reverse("contacts:introductions"), {"q": "partner " + XSS})
    body = response.content.decode()
    assert "<script>alert(1)</script>" not in body
    assert "<img src=x" not in body
    assert "&lt;script&gt;" in body


def test_it_rejects_nonsense_filters_without_failing(auth_client: Client, user: User) -> None:
    person(user, "Jill", title="Partner")
    person(user, "Omar", title="Engineer")
    response = auth_client.get(
        reverse("contacts:introductions"), {"q": "partner", "min_trust": "bogus", "page": "x"}
    )
    assert response.status_code == 200
    assert names(response) == {"Jill"}


# --- Recording an introduction ------------------------------------------------------


def test_it_logs_one_introduction_on_both_timelines(auth_client: Client, user: User) -> None:
    jill = person(user, "Jill", title="Partner", company="Northwind Ventures")
    omar = person(user, "Omar")
    url = reverse("contacts:introduce", args=[jill.pk])
    response = auth_client.post(
        url, {"other": omar.pk, "occurred_on": "2026-11-20", "note": "Both into climate"}
    )
    assert response.status_code == 302
    interaction = Interaction.objects.get()
    assert interaction.kind == InteractionKind.INTRODUCTION
    assert set(interaction.contacts.all()) == {jill, omar}
    assert interaction.notes == "Both into climate"
    jill.refresh_from_db()
    omar.refresh_from_db()
    assert jill.last_interaction_on == omar.last_interaction_on == dt.date(2026, 11, 20)
    assert omar.introduced_by is None


def test_it_records_who_introduced_me(auth_client: Client, user: User) -> None:
    jill = person(user, "Jill")
    omar = person(user, "Omar", TrustLevel.MET)
    auth_client.post(
        reverse("contacts:introduce", args=[jill.pk]),
        {
            "other": omar.pk,
            "occurred_on": "2026-11-20",
            "introduced_me": "on",
            "note": "at Web Summit",
        },
    )
    omar.refresh_from_db()
    assert omar.introduced_by == jill
    assert omar.how_we_met == "Jill Tester introduced us. at Web Summit"
    assert omar.met_on == dt.date(2026, 11, 20)
    assert "jill tester introduced us" in omar.search_text


def test_it_keeps_an_existing_how_we_met(user: User) -> None:
    jill = person(user, "Jill")
    omar = person(user, "Omar", how_we_met="University friends")
    network.introduction_record(
        owner=user, contact=jill, other=omar, occurred_on=dt.date(2026, 1, 1), introduced_me=True
    )
    omar.refresh_from_db()
    assert omar.how_we_met == "University friends"
    assert omar.introduced_by == jill


def test_a_long_introduction_note_still_fits_how_we_met(user: User) -> None:
    jill, omar = person(user, "Jill"), person(user, "Omar")
    network.introduction_record(
        owner=user,
        contact=jill,
        other=omar,
        occurred_on=dt.date(2026, 1, 1),
        note="x" * SHORT_NOTE_MAX,
        introduced_me=True,
    )
    omar.refresh_from_db()
    assert omar.how_we_met.startswith("Jill Tester introduced us. xxx")
    assert len(omar.how_we_met) == HOW_WE_MET_MAX


def test_it_refuses_to_introduce_someone_to_themselves(auth_client: Client, user: User) -> None:
    jill = person(user, "Jill")
    response = auth_client.post(
        reverse("contacts:introduce", args=[jill.pk]),
        {"other": jill.pk, "occurred_on": "2026-11-20"},
    )
    assert response.status_code == 200
    assert "Choose two different people." in response.content.decode()
    assert not Interaction.objects.exists()


def test_it_refuses_another_users_contact_as_the_other_person(
    auth_client: Client, user: User, other_user: User
) -> None:
    jill = person(user, "Jill")
    stranger = person(other_user, "Stranger")
    response = auth_client.post(
        reverse("contacts:introduce", args=[jill.pk]),
        {"other": stranger.pk, "occurred_on": "2026-11-20"},
    )
    assert response.status_code == 200
    assert "Stranger" not in response.content.decode()
    assert "Choose someone from your own contacts" in response.content.decode()
    assert not Interaction.objects.exists()


def test_it_needs_a_valid_date(auth_client: Client, user: User) -> None:
    jill, omar = person(user, "Jill"), person(user, "Omar")
    response = auth_client.post(
        reverse("contacts:introduce", args=[jill.pk]), {"other": omar.pk, "occurred_on": "31/02"}
    )
    assert response.status_code == 200
    assert response.context["record_form"].errors["occurred_on"]
    assert not Interaction.objects.exists()


def test_it_drafts_a_double_opt_in_message(auth_client: Client, user: User) -> None:
    jill = person(user, "Jill")
    ContactEmailFactory(contact=jill, email="jill@example.org")
    omar = person(user, "Omar", title="Founder", company="Sunbeam")
    response = auth_client.get(reverse("contacts:introduce", args=[jill.pk]), {"other": omar.pk})
    assert response.status_code == 200
    draft = response.context["draft"]
    assert "introduce you to Omar Tester (Founder at Sunbeam)" in draft
    assert draft.startswith("Hi Jill")
    assert 'href="mailto:jill@example.org?subject=' in response.content.decode()


def test_it_offers_people_to_introduce_to_but_not_the_person_themselves(
    auth_client: Client, user: User
) -> None:
    jill = person(user, "Jill", title="Partner")
    person(user, "Omar", title="Partner")
    response = auth_client.get(reverse("contacts:introduce", args=[jill.pk]), {"q": "partner"})
    assert names(response) == {"Omar"}
    assert f"?other={response.context['rows'][0][0].pk}" in response.content.decode()


def test_the_contact_page_section_offers_to_introduce(user: User) -> None:
    jill, omar = person(user, "Jill"), person(user, "Omar")
    network.introduction_record(
        owner=user, contact=jill, other=omar, occurred_on=dt.date(2026, 11, 2)
    )
    request = RequestFactory().get("/")
    request.user = user
    html = render_to_string(
        "contacts/introductions_section.html",
        {"contact": jill, **introductions_section(request, jill)},
        request=request,
    )
    assert reverse("contacts:introduce", args=[jill.pk]) in html
    assert "Omar Tester" in html


@pytest.mark.postgres
@pytest.mark.skipif(not settings.IS_POSTGRES, reason="the trigram index exists on PostgreSQL only")
def test_the_search_can_use_the_trigram_index(user: User) -> None:
    person(user, "Jill", title="Partner", company="Northwind Ventures")
    results = network.introduction_search(owner=user, query="partner northwind")
    sql, params = results.query.sql_with_params()
    with connection.cursor() as cursor:
        # Tiny test tables make a sequential scan cheapest, and the owner indexes compete:
        # forbid the one and drop the others (inside the test's transaction, so rolled
        # back) to see that the query's shape lets the trigram index serve it.
        cursor.execute(
            "SELECT indexname FROM pg_indexes WHERE tablename = 'contacts_contact' "
            "AND indexname NOT IN ('contacts_contact_pkey', 'contact_search_trgm')"
        )
        for (name,) in cursor.fetchall():
            cursor.execute(f'DROP INDEX "{name}"')
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("EXPLAIN " + sql, params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "contact_search_trgm" in plan
