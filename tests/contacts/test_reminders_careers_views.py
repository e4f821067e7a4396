"""Career history on the contact page: add, edit, delete in place, and job changes."""

import datetime as dt
from typing import cast

import pytest
from django.contrib.auth.models import User
from django.test import Client, RequestFactory
from django.urls import get_resolver, reverse

from contacts.careers import record_job_change
from contacts.detail_sections import SECTIONS, sections_for
from contacts.models import CareerMove, Contact, Position
from contacts.search import search_filter
from crm.http import AuthenticatedHttpRequest
from reminders.models import Reminder, ReminderKind
from tests.factories import ContactFactory, PositionFactory
from tests.htmx import HX, delete_in_place


@pytest.fixture
def ada(user: User) -> Contact:
    return ContactFactory(owner=user, first_name="Ada", last_name="Lovelace")


@pytest.mark.django_db
def test_it_registers_the_career_section_in_the_main_column(
    ada: Contact, rf: RequestFactory
) -> None:
    assert get_resolver().url_patterns  # sections register as the URLconf imports the views
    [section] = [s for s in SECTIONS if s.template == "contacts/_positions.html"]
    assert (section.column, section.order) == ("main", 20)
    PositionFactory(contact=ada, company="Analytical Engines", end_date=None)
    request = rf.get("/")
    request.user = ada.owner
    sections = sections_for(cast(AuthenticatedHttpRequest, request), ada)
    rendered = next(r for r in sections if r.template == section.template)
    assert [p.company for p in rendered.context["positions"]] == ["Analytical Engines"]


@pytest.mark.django_db
def test_it_records_a_job_change_in_place(
    auth_client: Client, ada: Contact, django_capture_on_commit_callbacks
) -> None:
    old = PositionFactory(contact=ada, company="Babbage & Co", title="Analyst")
    url = reverse("contacts:job_change", args=[ada.pk])
    form = auth_client.get(url, **HX)
    assert form.status_code == 200
    assert 'id="positions"' in form.text and "<html" not in form.text
    with django_capture_on_commit_callbacks(execute=True):
        response = auth_client.post(
            url,
            {"company": "Analytical Engines", "title": "CTO", "start_date": dt.date.today()},
            **HX,
        )
    assert response.status_code == 200
    assert "Job change recorded" in response.text and "Analytical Engines" in response.text
    new = Position.objects.get(contact=ada, end_date__isnull=True)
    assert (new.company, new.move, new.start_date) == (
        "Analytical Engines",
        CareerMove.JOB_CHANGE,
        dt.date.today(),
    )
    old.refresh_from_db()
    assert old.end_date == dt.date.today() - dt.timedelta(days=1)
    # Search finds them by their new company, and the queued scan raised the occasion.
    assert list(search_filter(Contact.objects.all(), "analytical cto")) == [ada]
    assert Reminder.objects.filter(kind=ReminderKind.JOB_CHANGE, position=new).exists()


@pytest.mark.django_db
def test_a_new_title_at_the_same_company_is_a_promotion(auth_client: Client, ada: Contact) -> None:
    PositionFactory(contact=ada, company="Acme", title="Engineer")
    auth_client.post(
        reverse("contacts:job_change", args=[ada.pk]),
        {"company": "ACME", "title": "Staff engineer", "start_date": "2026-11-20"},
    )
    assert Position.objects.get(contact=ada, end_date__isnull=True).move == CareerMove.PROMOTION


@pytest.mark.django_db
def test_the_job_change_form_defaults_to_today_and_works_without_javascript(
    auth_client: Client, ada: Contact
) -> None:
    url = reverse("contacts:job_change", args=[ada.pk])
    page = auth_client.get(url)
    assert page.status_code == 200 and "<html" in page.text
    assert f'value="{dt.date.today().isoformat()}"' in page.text
    response = auth_client.post(
        url, {"company": "Initech", "title": "", "start_date": "2026-11-20"}
    )
    assert response.status_code == 302
    assert response["Location"].startswith(f"/contacts/{ada.pk}/")
    assert Position.objects.get(contact=ada).company == "Initech"


@pytest.mark.django_db
def test_it_refuses_an_unchanged_or_empty_job_change_with_a_message(
    auth_client: Client, ada: Contact
) -> None:
    PositionFactory(contact=ada, company="Acme", title="Engineer")
    url = reverse("contacts:job_change", args=[ada.pk])
    same = auth_client.post(
        url, {"company": "Acme", "title": "Engineer", "start_date": "2026-11-20"}, **HX
    )
    assert same.status_code == 200 and "already their current job" in same.text
    empty = auth_client.post(url, {"company": " ", "title": "", "start_date": "nope"}, **HX)
    assert empty.status_code == 200
    assert "Give at least the new company or title" in empty.text
    assert "Enter a valid date" in empty.text
    assert Position.objects.filter(contact=ada).count() == 1


@pytest.mark.django_db
def test_it_adds_edits_and_deletes_a_position_in_place(auth_client: Client, ada: Contact) -> None:
    add = reverse("contacts:position_add", args=[ada.pk])
    response = auth_client.post(
        add,
        {
            "company": "Old Co",
            "title": "Intern",
            "start_date": "2010-01-01",
            "end_date": "2011-01-01",
        },
        **HX,
    )
    assert response.status_code == 200 and "Old Co" in response.text
    position = Position.objects.get(contact=ada)
    edit = reverse("contacts:position_edit", args=[position.pk])
    assert 'name="company"' in auth_client.get(edit, **HX).text
    response = auth_client.post(
        edit,
        {
            "company": "Old Co",
            "title": "Analyst",
            "start_date": "2010-01-01",
            "end_date": "2011-01-01",
        },
        **HX,
    )
    assert "Analyst" in response.text
    position.refresh_from_db()
    assert position.title == "Analyst"
    delete = reverse("contacts:position_delete", args=[position.pk])
    delete_in_place(auth_client, delete, "Delete “Analyst at Old Co”")
    assert not Position.objects.exists()


@pytest.mark.django_db
def test_it_rejects_bad_dates_and_a_second_current_job(auth_client: Client, ada: Contact) -> None:
    PositionFactory(contact=ada, company="Acme", title="Engineer")
    add = reverse("contacts:position_add", args=[ada.pk])
    backwards = auth_client.post(
        add, {"company": "X", "start_date": "2012-01-01", "end_date": "2011-01-01"}, **HX
    )
    assert backwards.status_code == 200 and "before the start date" in backwards.text
    second = auth_client.post(add, {"company": "Y", "start_date": "2012-01-01"}, **HX)
    assert "is still their current job" in second.text
    nothing = auth_client.post(add, {"company": "", "title": ""}, **HX)
    assert "at least a company or a title" in nothing.text
    assert Position.objects.count() == 1


@pytest.mark.django_db
def test_the_career_page_lists_history_newest_first_with_its_source(
    auth_client: Client, ada: Contact
) -> None:
    PositionFactory(
        contact=ada, company="First", start_date=dt.date(2010, 1, 1), end_date=dt.date(2015, 1, 1)
    )
    record_job_change(
        contact=ada,
        company="Detected Inc",
        title="Lead",
        start_date=None,
        source="detected",
        detected_on=dt.date(2026, 11, 2),
    )
    page = auth_client.get(reverse("contacts:positions", args=[ada.pk]))
    assert page.status_code == 200
    text = page.text
    assert text.index("Detected Inc") < text.index("First")
    assert "noticed by an import on 2 Nov 2026" in text
    assert "present" in text


@pytest.mark.django_db
def test_another_users_contact_cannot_get_a_job(other_client: Client, ada: Contact) -> None:
    response = other_client.post(
        reverse("contacts:job_change", args=[ada.pk]),
        {"company": "Evil", "title": "Boss", "start_date": "2026-11-20"},
    )
    assert response.status_code == 404
    assert not Position.objects.exists()


@pytest.mark.django_db
def test_the_section_escapes_what_users_typed(auth_client: Client, ada: Contact) -> None:
    PositionFactory(contact=ada, company="<script>alert(1)</script>")
    page = auth_client.get(reverse("contacts:positions", args=[ada.pk]))
    assert "<script>alert(1)</script>" not in page.text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page.text


@pytest.mark.django_db
def test_the_contact_page_shows_career_and_dates_sections(
    auth_client: Client, ada: Contact
) -> None:
    PositionFactory(contact=ada, company="Analytical Engines")
    page = auth_client.get(ada.get_absolute_url())
    assert page.status_code == 200
    assert 'id="positions"' in page.text and "Analytical Engines" in page.text
    assert 'id="custom-dates"' in page.text
