"""A contact never has two current jobs: merges ask which one stays, the database refuses
a second one, old data is repaired by the migration, and old backups are settled on import."""

import importlib
from datetime import date

import pytest
from django.apps import apps
from django.contrib.auth.models import User
from django.db import IntegrityError, connection, transaction
from django.test import Client
from django.urls import reverse

from contacts.duplicates import CURRENT_JOB, contact_merge, merge_preview
from contacts.importers import run_import
from contacts.models import Contact, Position
from tests.factories import ContactFactory, PositionFactory, backup_json

pytestmark = pytest.mark.django_db
repair = importlib.import_module("contacts.migrations.0005_position_one_current_per_contact")


def two_ingrids(user: User) -> tuple[Contact, Contact, Position, Position]:
    kept = ContactFactory(owner=user, first_name="Ingrid", last_name="Torres")
    other = ContactFactory(owner=user, first_name="Ingrid", last_name="Torres")
    old = PositionFactory(
        contact=kept, company="Acme", title="Engineer", start_date=date(2018, 3, 1)
    )
    new = PositionFactory(
        contact=other, company="Contoso", title="CTO", start_date=date(2024, 5, 1)
    )
    return kept, other, old, new


def current_jobs(contact: Contact) -> list[str]:
    return [str(p) for p in contact.positions.filter(end_date__isnull=True)]


def test_without_a_choice_the_job_that_began_last_stays_current(user: User) -> None:
    kept, other, old, _new = two_ingrids(user)
    merged = contact_merge(survivor=kept, duplicate=other)
    assert current_jobs(merged) == ["CTO at Contoso"]
    old.refresh_from_db()
    assert old.end_date == date(2024, 4, 30)
    assert merged.positions.count() == 2


def test_the_chosen_job_stays_current_and_the_other_ends_but_not_before_it_began(
    user: User,
) -> None:
    kept, other, old, new = two_ingrids(user)
    merged = contact_merge(survivor=kept, duplicate=other, choices={CURRENT_JOB: str(old.pk)})
    assert current_jobs(merged) == ["Engineer at Acme"]
    new.refresh_from_db()
    # Acme began before Contoso, so Contoso cannot end the day before: it ends as it began.
    assert new.end_date == date(2024, 5, 1)


def test_the_merge_page_asks_which_job_is_current_and_keeps_only_that_one(
    auth_client: Client, user: User
) -> None:
    kept, other, old, new = two_ingrids(user)
    url = reverse("contacts:merge", args=[kept.pk, other.pk])
    html = auth_client.get(url).content.decode()
    assert "Current job" in html
    assert "Engineer at Acme, since 1 Mar 2018 — from the contact kept" in html
    assert "CTO at Contoso, since 1 May 2024 — from the one merged in (began last)" in html
    assert f'value="{new.pk}" required id="id_current_job_1" checked' in html
    response = auth_client.post(url, {CURRENT_JOB: str(old.pk)})
    assert response.status_code == 302
    assert current_jobs(Contact.objects.get(pk=kept.pk)) == ["Engineer at Acme"]
    # And the job is editable again (it was "still their current job" twice before).
    edit = reverse("contacts:position_edit", args=[old.pk])
    response = auth_client.post(
        edit, {"company": "Acme", "title": "Staff engineer", "start_date": "2018-03-01"}
    )
    assert response.status_code == 302
    old.refresh_from_db()
    assert old.title == "Staff engineer"


def test_a_choice_of_someone_elses_job_is_refused(auth_client: Client, user: User) -> None:
    kept, other, _old, _new = two_ingrids(user)
    stranger = PositionFactory(company="Elsewhere")
    url = reverse("contacts:merge", args=[kept.pk, other.pk])
    response = auth_client.post(url, {CURRENT_JOB: str(stranger.pk)})
    assert response.status_code == 200 and Contact.objects.filter(pk=other.pk).exists()


def test_no_question_when_only_one_has_a_current_job(user: User) -> None:
    kept, other, old, _new = two_ingrids(user)
    old.end_date = date(2020, 1, 1)
    old.save()
    assert merge_preview(survivor=kept, duplicate=other).current_jobs == []


def test_the_database_refuses_a_second_current_job(user: User) -> None:
    kept, _other, _old, _new = two_ingrids(user)
    with pytest.raises(IntegrityError), transaction.atomic():
        PositionFactory(contact=kept, company="Second")


def test_the_migration_ends_all_but_the_newest_current_job(user: User) -> None:
    ingrid = ContactFactory(owner=user)
    with connection.cursor() as cursor:  # as before the constraint (rolled back with the test)
        cursor.execute('DROP INDEX "position_one_current_per_contact"')
    first = PositionFactory(contact=ingrid, company="A", start_date=date(2019, 1, 1))
    noticed = PositionFactory(
        contact=ingrid, company="B", start_date=None, detected_on=date(2023, 6, 1)
    )
    newest = PositionFactory(contact=ingrid, company="C", start_date=date(2025, 2, 1))
    repair.end_extra_current_jobs(apps, None)
    assert current_jobs(ingrid) == [str(newest)]
    first.refresh_from_db()
    noticed.refresh_from_db()
    assert (first.end_date, noticed.end_date) == (date(2025, 1, 31), date(2025, 1, 31))


def test_a_backup_with_two_current_jobs_restores_one_with_a_warning(user: User) -> None:
    positions = [
        {"id": 1, "company": "Acme", "start_date": "2018-03-01"},
        {"id": 2, "company": "Contoso", "start_date": "2024-05-01"},
    ]
    data = backup_json(contacts=[{"id": 1, "first_name": "Ingrid", "positions": positions}])
    report = run_import(owner=user, source="json", data=data)
    ingrid = Contact.objects.get(owner=user)
    assert current_jobs(ingrid) == ["Contoso"]
    assert ingrid.positions.get(company="Acme").end_date == date(2024, 4, 30)
    assert report.warnings == [
        'Contact 1 (Ingrid): "Acme" was a second current job, so it now ends on 2024-04-30, '
        "before “Contoso”."
    ]
