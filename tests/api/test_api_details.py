"""api.details: a page's tags, emails, phones and positions in one query, exactly as the
per-kind ORM queries give them (order included)."""

import datetime as dt

import pytest
from django.contrib.auth.models import User
from django.db import connection
from django.test.utils import CaptureQueriesContext

from api.details import contact_details
from contacts.models import Contact, ContactEmail, ContactPhone, Position
from tests.factories import (
    ContactEmailFactory,
    ContactFactory,
    ContactPhoneFactory,
    PositionFactory,
)

pytestmark = pytest.mark.django_db


def _by_orm(ids: list[int]) -> dict[int, dict[str, list]]:
    found: dict[int, dict[str, list]] = {
        pk: {"tags": [], "emails": [], "phones": [], "positions": []} for pk in ids
    }
    tags = Contact.tags.through.objects.filter(contact_id__in=ids).order_by("tag__name")
    for contact_id, name in tags.values_list("contact_id", "tag__name"):
        found[contact_id]["tags"].append(name)
    for e in ContactEmail.objects.filter(contact_id__in=ids).order_by("id"):
        found[e.contact_id]["emails"].append({"email": e.email, "label": e.label})
    for p in ContactPhone.objects.filter(contact_id__in=ids).order_by("id"):
        found[p.contact_id]["phones"].append({"number": p.number, "label": p.label})
    for j in Position.objects.filter(contact_id__in=ids).order_by("-start_date", "-id"):
        found[j.contact_id]["positions"].append(
            {"id": j.pk, "company": j.company, "title": j.title, "start_date": j.start_date,
             "end_date": j.end_date, "current": j.end_date is None}
        )  # fmt: skip
    return found


def test_it_matches_the_orm_for_every_kind_and_order(user: User) -> None:
    ada = ContactFactory(owner=user, tags=["zeta", "alpha", "mid"])
    ContactEmailFactory(contact=ada, email="b@example.com", label="work")
    ContactEmailFactory(contact=ada, email="a@example.com", label="")
    ContactPhoneFactory(contact=ada, number="+44 20 1", label="mobile")
    PositionFactory(contact=ada, company="Old", start_date=dt.date(2010, 1, 1),
                    end_date=dt.date(2015, 1, 1))  # fmt: skip
    PositionFactory(contact=ada, company="Unknown start", start_date=None,
                    end_date=dt.date(2019, 1, 1))  # fmt: skip
    PositionFactory(contact=ada, company="Now", title="CTO", start_date=dt.date(2020, 5, 1))
    bo = ContactFactory(owner=user, tags=[])
    PositionFactory(contact=bo, company="Solo", start_date=dt.date(2021, 1, 1))
    nobody = ContactFactory(owner=user, tags=[])
    ids = [ada.pk, bo.pk, nobody.pk]
    with CaptureQueriesContext(connection) as captured:
        found = contact_details(ids)
    assert len(captured) == 1
    assert found == _by_orm(ids)
    assert found[ada.pk]["tags"] == ["alpha", "mid", "zeta"]
    assert found[nobody.pk] == {"tags": [], "emails": [], "phones": [], "positions": []}


def test_no_ids_ask_nothing() -> None:
    with CaptureQueriesContext(connection) as captured:
        assert contact_details([]) == {}
    assert len(captured) == 0
