"""Ownership cases for the import/export, duplicates and merge pages."""

from typing import Any

from django.contrib.auth.models import User

from contacts.models import NotDuplicate
from tests.factories import ContactEmailFactory, ContactFactory, ImportJobFactory
from tests.ownership import OwnedUrl, Snapshot, row_snapshot, victims

_import_job = victims(ImportJobFactory, payload=b"First Name,Last Name\nA,B\n", total_rows=1)
_contact = victims(ContactFactory)


def _running_import(victim: User) -> tuple[dict[str, Any], Snapshot]:
    job = ImportJobFactory(
        owner=victim, payload=b"First Name\nA\n", status="running", report={"confirmed": True}
    )
    return {"pk": job.pk}, row_snapshot(job)


def _failed_import(victim: User) -> tuple[dict[str, Any], Snapshot]:
    job = ImportJobFactory(
        owner=victim,
        payload=b"First Name\nA\n",
        status="failed",
        report={"confirmed": True, "retryable": True},
    )
    return {"pk": job.pk}, row_snapshot(job)


def _merge_pair(victim: User) -> tuple[dict[str, Any], Snapshot]:
    survivor = ContactFactory(owner=victim, first_name="Jill", last_name="Okafor")
    duplicate = ContactFactory(owner=victim, first_name="Jill", last_name="Okafor")
    ContactEmailFactory(contact=duplicate)
    first, second = row_snapshot(survivor), row_snapshot(duplicate)
    return {"pk": survivor.pk, "other_pk": duplicate.pk}, lambda: (first(), second())


def _pair_to_mark(victim: User) -> tuple[dict[str, Any], Snapshot]:
    kwargs, contacts = _merge_pair(victim)
    return kwargs, lambda: (contacts(), NotDuplicate.objects.filter(owner=victim).count())


def _marked_pair(victim: User) -> tuple[dict[str, Any], Snapshot]:
    first = ContactFactory(owner=victim, first_name="Ingrid", last_name="Torres")
    second = ContactFactory(owner=victim, first_name="Ingrid", last_name="Torres")
    mark = NotDuplicate.objects.create(owner=victim, first=first, second=second)
    return {"pk": first.pk, "other_pk": second.pk}, lambda: (
        row_snapshot(mark)(),
        NotDuplicate.objects.filter(owner=victim).count(),
    )


CASES = {
    "contacts:import_preview": OwnedUrl(make=_import_job),
    "contacts:import_job": OwnedUrl(make=_import_job, methods=("get",)),
    "contacts:import_cancel": OwnedUrl(make=_running_import, methods=("post",)),
    "contacts:import_retry": OwnedUrl(make=_failed_import, methods=("post",)),
    "contacts:export_contact": OwnedUrl(make=_contact, methods=("get",)),
    "contacts:merge": OwnedUrl(make=_merge_pair),
    "contacts:not_duplicate": OwnedUrl(make=_pair_to_mark, methods=("post",)),
    "contacts:not_duplicate_undo": OwnedUrl(make=_marked_pair, methods=("post",)),
}
