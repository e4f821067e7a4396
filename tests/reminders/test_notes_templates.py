"""Note templates: defaults, the settings page, and the public render_note API."""

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from crm.models import UserSettings
from reminders.models import ReminderKind
from reminders.notes import DEFAULT_TEMPLATES, fill, render_note, render_subject, unfilled
from tests.types import ClientResponse

pytestmark = pytest.mark.django_db


def _post_all(client: Client, **changes: tuple[str, str]) -> ClientResponse:
    data = {}
    for kind, template in DEFAULT_TEMPLATES.items():
        subject, body = changes.get(kind, (template.subject, template.body))
        data[f"{kind}-subject"] = subject
        data[f"{kind}-body"] = body.replace("\n", "\r\n")  # as browsers send it
    return client.post(reverse("reminders:note_templates"), data)


def test_it_has_a_default_template_for_every_kind_and_introductions() -> None:
    assert set(DEFAULT_TEMPLATES) == {*ReminderKind.values, "introduction"}


def test_it_renders_an_introduction_asking_first(user: User) -> None:
    context = {
        "first_name": "Ana",
        "other_name": "Bo Berg",
        "other_context": "Partner at Northwind Ventures",
        "reason": "you both work on climate",
        "my_name": "Alice",
    }
    body = render_note("introduction", context, user=user)
    assert body.startswith("Hi Ana,")
    assert "Would you like me to introduce you to Bo Berg (Partner at Northwind Ventures)?" in body
    assert "only if you both say yes" in body
    assert render_subject("introduction", context) == ("Would you like an introduction to Bo Berg?")


def test_it_marks_unknown_facts_for_the_writer_and_never_reaches_into_objects() -> None:
    text = fill(
        "Hi {first_name}, {years} years at {company}! {first_name.__class__} {0}",
        {
            "first_name": "Jo",
            "years": 5,
            "company": "",
        },
    )
    assert text == "Hi Jo, 5 years at [company]! {first_name.__class__} {0}"
    assert unfilled(text) == ["company"]


def test_it_shows_the_settings_page_with_the_settings_navigation(auth_client: Client) -> None:
    response = auth_client.get(reverse("reminders:note_templates"))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'aria-current="page">Note templates' in html
    assert "Happy birthday, {first_name}!" in html
    assert "{how_we_met}" in html  # the placeholders are listed


def test_it_stores_only_edited_templates(auth_client: Client, user: User) -> None:
    response = _post_all(
        auth_client, birthday=("Happy day, {first_name}", "Hey {first_name}, {years} already?")
    )
    assert response.status_code == 302
    saved = UserSettings.for_user(user).note_templates
    assert saved == {
        "birthday": {
            "subject": "Happy day, {first_name}",
            "body": "Hey {first_name}, {years} already?",
        }
    }
    assert render_note("birthday", {"first_name": "Jo", "years": 40}, user=user) == (
        "Hey Jo, 40 already?"
    )
    assert render_note("birthday", {"first_name": "Jo"}).startswith("Hi Jo,")  # others: default
    html = auth_client.get(reverse("reminders:note_templates")).content.decode()
    assert "edited" in html and "Happy day, {first_name}" in html


def test_it_rejects_unknown_placeholders_and_saves_nothing(auth_client: Client, user: User) -> None:
    response = _post_all(auth_client, birthday=("Hi {nickname}", "Hi {first_name}"))
    assert response.status_code == 200
    assert "Unknown placeholder {nickname}" in response.content.decode()
    assert UserSettings.for_user(user).note_templates == {}


def test_it_rejects_an_empty_template(auth_client: Client, user: User) -> None:
    response = _post_all(auth_client, birthday=("", ""))
    assert response.status_code == 200
    assert UserSettings.for_user(user).note_templates == {}


def test_it_resets_one_template_to_the_default(auth_client: Client, user: User) -> None:
    settings = UserSettings.for_user(user)
    settings.note_templates = {
        "birthday": {"subject": "a", "body": "b"},
        "promotion": {"subject": "c", "body": "d"},
    }
    settings.save()
    response = auth_client.post(reverse("reminders:note_templates"), {"reset": "birthday"})
    assert response.status_code == 302
    assert UserSettings.for_user(user).note_templates == {
        "promotion": {"subject": "c", "body": "d"}
    }


def test_it_ignores_a_corrupt_stored_template(user: User) -> None:
    settings = UserSettings.for_user(user)
    settings.note_templates = {"birthday": "not a dict", "nonsense": {"body": "x"}}
    settings.save()
    assert render_note("birthday", {"first_name": "Jo"}, user=user).startswith("Hi Jo,")
