"""The contact page reads the contact's positions once for the header and the career."""

from datetime import date

import pytest
from django.contrib.auth.models import User
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from tests.factories import ContactFactory, PositionFactory

pytestmark = pytest.mark.django_db


def test_it_reads_positions_once_and_shows_current_and_past_jobs(
    auth_client: Client, user: User
) -> None:
    ann = ContactFactory(owner=user)
    PositionFactory(
        contact=ann,
        company="Oldco",
        title="Intern",
        start_date=date(2015, 1, 1),
        end_date=date(2016, 1, 1),
    )
    PositionFactory(contact=ann, company="Northwind", title="Head of Design")
    auth_client.get(ann.get_absolute_url())  # first visit creates the user's settings

    with CaptureQueriesContext(connection) as queries:
        html = auth_client.get(ann.get_absolute_url()).content.decode()

    assert '<span class="person-job">Head of Design at Northwind</span>' in html
    assert "Oldco" in html and "Intern" in html
    # The header, the career section and the timeline's career moves share one read.
    reads = [q["sql"] for q in queries.captured_queries if 'FROM "contacts_position"' in q["sql"]]
    assert len(reads) == 1, reads
