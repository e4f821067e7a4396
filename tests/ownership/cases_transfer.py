"""Ownership cases for the import/export, duplicates and merge pages."""

from typing import Any

from django.contrib.auth.models import User

from tests.factories import ContactEmailFactory, ContactFactory, ImportJobFactory
from tests.ownership import OwnedUrl, Snapshot, row_snapshot


def _import_job(victim: User) -> tuple[dict[str, Any], Snapshot]:
    job = ImportJobFactory(owner=victim, payload=b"First Name,Last Name\nA,B\n", total_rows=1)
    return {"pk": job.pk}, row_snapshot(job)


def _contact(victim: User) -> tuple[dict[str, Any], Snapshot]:
    contact = ContactFactory(owner=victim)
    return {"pk": contact.pk}, row_snapshot(contact)


def _merge_pair(victim: User) -> tuple[dict[str, Any], Snapshot]:
    survivor = ContactFactory(owner=victim, first_name="Jill", last_name="Okafor")
    duplicate = ContactFactory(owner=victim, first_name="Jill", last_name="Okafor")
    ContactEmailFactory(contact=duplicate)
    first, second = row_snapshot(survivor), row_snapshot(duplicate)
    return {"pk": survivor.pk, "other_pk": duplicate.pk}, lambda: (first(), second())


CASES = {
    "contacts:import_preview": OwnedUrl(make=_import_job),
    "contacts:import_job": OwnedUrl(make=_import_job, methods=("get",)),
    "contacts:export_contact": OwnedUrl(make=_contact, methods=("get",)),
    "contacts:merge": OwnedUrl(make=_merge_pair),
}
