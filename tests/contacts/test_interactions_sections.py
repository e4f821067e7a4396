"""This area's sections on the contact page: timeline, activity, keeping in touch."""

from datetime import UTC, date, datetime, timedelta

import pytest
import time_machine
from django.contrib.auth.models import User
from django.db import connection
from django.template.loader import render_to_string
from django.test import Client, RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from contacts.models import Contact, TrustLevel
from contacts.promise_forms import PromiseForm
from contacts.timeline_sections import (
    LOG_FIELDS,
    PROMISE_ADD_FIELDS,
    blank_fields,
    blank_log_form,
    blank_promise_form,
)
from crm.data_version import data_changed
from tests.factories import ContactFactory, log_interaction

pytestmark = pytest.mark.django_db


def _log_many(owner: User, contact: Contact, count: int, others: list[Contact]) -> None:
    for i in range(count):
        log_interaction(
            owner,
            [contact, *others],
            on=date.today() - timedelta(days=i),
            summary=f"Call number {i}",
        )


def test_it_shows_timeline_log_form_activity_and_keep_in_touch(
    auth_client: Client, user: User
) -> None:
    ann = ContactFactory(owner=user, trust_level=TrustLevel.CLOSE, met_on=date(2019, 4, 2))
    _log_many(user, ann, 25, [])
    html = auth_client.get(ann.get_absolute_url()).content.decode()
    assert 'id="timeline"' in html
    assert f'action="/contacts/{ann.pk}/interactions/new/"' in html
    assert f'hx-post="/contacts/{ann.pk}/interactions/new/"' in html
    assert "Call number 0" in html and "Call number 24" not in html
    assert f'href="/contacts/{ann.pk}/timeline/?page=2"' in html
    assert '<svg class="sparkline" role="img"' in html
    assert "25 interactions from" in html
    assert 'id="keep-in-touch"' in html and "Next due on" in html
    assert "style=" not in html.split('id="timeline"')[1].split("</section>")[0]


def test_it_says_when_a_contact_is_due_or_never(auth_client: Client, user: User) -> None:
    with time_machine.travel(datetime(2019, 6, 1, tzinfo=UTC)):
        due = ContactFactory(owner=user, trust_level=TrustLevel.CLOSE, met_on=date(2019, 1, 1))
    never = ContactFactory(owner=user, trust_level=TrustLevel.CLOSE, keep_in_touch_days=0)
    assert "<strong>Overdue by " in auth_client.get(due.get_absolute_url()).content.decode()
    assert "never to be reminded" in auth_client.get(never.get_absolute_url()).content.decode()


def _detail_queries(client: Client, contact: Contact) -> int:
    """The queries of the page rendered (not read from the cache: the version moves on)."""
    data_changed(contact.owner_id)
    with CaptureQueriesContext(connection) as captured:
        assert client.get(contact.get_absolute_url()).status_code == 200
    return len(captured.captured_queries)


def test_it_keeps_the_contact_page_query_count_flat(auth_client: Client, user: User) -> None:
    ann = ContactFactory(owner=user)
    _log_many(user, ann, 3, [ContactFactory(owner=user)])
    _detail_queries(auth_client, ann)  # first visit creates the user's settings row
    few = _detail_queries(auth_client, ann)
    crowd = [ContactFactory(owner=user) for _ in range(5)]
    _log_many(user, ann, 40, crowd)
    assert _detail_queries(auth_client, ann) == few


def test_it_shows_a_snooze_on_the_contact_page(auth_client: Client, user: User) -> None:
    with time_machine.travel(datetime(2019, 6, 1, tzinfo=UTC)):
        due = ContactFactory(owner=user, trust_level=TrustLevel.CLOSE, met_on=date(2019, 1, 1))
    url = reverse("contacts:keep_in_touch_snooze", args=[due.pk])
    assert "Snooze 2 weeks" in auth_client.get(due.get_absolute_url()).content.decode()
    auth_client.post(url, {"days": "7", "next": due.get_absolute_url()})
    html = auth_client.get(due.get_absolute_url()).content.decode()
    assert "Snoozed until" in html and "Snooze 2 weeks" not in html


def test_it_renders_the_blank_forms_once_for_every_contact_as_the_forms_would(
    user: User, rf: RequestFactory
) -> None:
    request = rf.get("/")
    request.user = user
    today = date(2026, 3, 14)
    for contact in (ContactFactory(owner=user), ContactFactory(owner=user)):
        log = blank_fields(LOG_FIELDS, contact, today)
        assert log == render_to_string(
            LOG_FIELDS,
            {
                "form": blank_log_form(request, contact, today),  # type: ignore[arg-type]
                "pf": blank_promise_form(contact, today),
            },
        )
        assert f'id="id_log_{contact.pk}_summary"' in log and 'value="2026-03-14"' in log
        add = blank_fields(PROMISE_ADD_FIELDS, contact, today)
        form = PromiseForm(today=today, prefix=f"add-{contact.pk}")
        assert add == render_to_string(PROMISE_ADD_FIELDS, {"pf": form})
        assert f'name="add-{contact.pk}-text"' in add
