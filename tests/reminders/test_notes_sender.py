"""Who notes come from: a display name and sign-off, asked on the first visit, used in templates."""

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from crm.models import UserSettings
from reminders.models import ReminderKind
from reminders.notes import draft_for
from tests.factories import ContactFactory, ReminderFactory

pytestmark = pytest.mark.django_db


def test_the_first_visit_asks_how_you_sign_your_notes(auth_client: Client, user: User) -> None:
    html = auth_client.get(reverse("reminders:dashboard")).content.decode()

    assert "How do you sign your notes?" in html
    assert f'action="{reverse("reminders:note_sender")}"' in html
    assert '<label for="id_display_name">Your name</label>' in html
    assert 'value="alice"' in html, "the username is offered to start from"


def test_saving_the_answer_returns_to_the_dashboard_and_asks_no_more(
    auth_client: Client, user: User
) -> None:
    response = auth_client.post(
        reverse("reminders:note_sender"),
        {
            "display_name": "  Alice   Moreau ",
            "signature": "Warmly,\r\nAlice",
            "next": reverse("reminders:dashboard"),
        },
    )

    assert response.status_code == 302 and response["Location"] == reverse("reminders:dashboard")
    prefs = UserSettings.for_user(user)
    assert (prefs.display_name, prefs.signature, prefs.sender_asked) == (
        "Alice Moreau",
        "Warmly,\nAlice",
        True,
    )
    html = auth_client.get(reverse("reminders:dashboard")).content.decode()
    assert "How do you sign your notes?" not in html


def test_not_now_is_an_answer_too(auth_client: Client, user: User) -> None:
    response = auth_client.post(
        reverse("reminders:note_sender"), {"skip": "1", "next": reverse("reminders:dashboard")}
    )
    assert response["Location"] == reverse("reminders:dashboard")
    prefs = UserSettings.for_user(user)
    assert prefs.sender_asked and prefs.display_name == ""


@pytest.mark.parametrize("next_url", ["https://evil.example/", "//evil.example/", "dashboard"])
def test_it_never_redirects_off_site(auth_client: Client, next_url: str) -> None:
    response = auth_client.post(reverse("reminders:note_sender"), {"skip": "1", "next": next_url})
    assert response["Location"] == reverse("reminders:note_sender")


def test_bad_input_comes_back_with_errors_and_saves_nothing(
    auth_client: Client, user: User
) -> None:
    response = auth_client.post(
        reverse("reminders:note_sender"),
        {"display_name": "x" * 101, "signature": "\n".join(["line"] * 7)},
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "Ensure this value has at most 100 characters" in html
    assert "Keep the sign-off to 6 lines or fewer." in html
    prefs = UserSettings.for_user(user)
    assert (prefs.display_name, prefs.signature, prefs.sender_asked) == ("", "", False)


def test_templates_sign_with_the_display_name_and_signature(user: User) -> None:
    contact = ContactFactory(owner=user, first_name="Maya")
    reminder = ReminderFactory(contact=contact, kind=ReminderKind.BIRTHDAY)
    _, body = draft_for(user=user, contact=contact, reminder=reminder)
    assert body.endswith("All the best,\nalice"), "the username until a name is set"

    prefs = UserSettings.for_user(user)
    prefs.display_name = "Alice Moreau"
    prefs.save()
    _, body = draft_for(user=user, contact=contact, reminder=reminder)
    assert body.endswith("All the best,\nAlice Moreau")

    prefs.signature = "Warmly,\nAl"
    prefs.save()
    _, body = draft_for(user=user, contact=contact, reminder=reminder)
    assert body.endswith("Warmly,\nAl")
    assert "alice" not in body


def test_settings_show_the_page_in_the_settings_nav(auth_client: Client) -> None:
    html = auth_client.get(reverse("reminders:note_sender")).content.decode()
    assert f'<a href="{reverse("reminders:note_sender")}" aria-current="page">' in html
