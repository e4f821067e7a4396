"""Drafting notes: start from a reminder, autosave, personal touch, mark as sent."""

import datetime as dt
from urllib.parse import unquote

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from contacts.models import Interaction, InteractionKind
from reminders.models import NoteDraft, Reminder, ReminderStatus
from reminders.notes import (
    DEFAULT_TEMPLATES,
    History,
    TouchCheck,
    load_history,
    note_context,
    personal_touch,
)
from tests.factories import (
    ContactEmailFactory,
    ContactFactory,
    NoteDraftFactory,
    ReminderFactory,
    log_interaction,
    maya_started_at_northwind,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen")]


@pytest.fixture
def job_change(user: User) -> Reminder:
    reminder = maya_started_at_northwind(
        user,
        on=dt.date(2026, 11, 14),
        met_at="PyCon Berlin",
        linkedin_url="https://www.linkedin.com/in/maya-okafor",
    )
    ContactEmailFactory(contact=reminder.contact, email="maya@example.org")
    log_interaction(
        user,
        [reminder.contact],
        on=dt.date(2026, 8, 13),
        summary="Coffee about her move to Lisbon",
        kind=InteractionKind.MEAL,
    )
    return reminder


def _start(client: Client, reminder: Reminder) -> NoteDraft:
    response = client.post(reverse("reminders:note_start"), {"reminder": reminder.pk})
    assert response.status_code == 302
    draft = NoteDraft.objects.get(reminder=reminder)
    assert response["Location"] == reverse("reminders:note_edit", args=[draft.pk])
    return draft


def test_it_starts_a_draft_prefilled_from_the_template(
    auth_client: Client, job_change: Reminder
) -> None:
    draft = _start(auth_client, job_change)
    assert draft.subject == "Congratulations on the move to Northwind Ventures"
    assert draft.body.startswith("Hi Maya,")
    assert "started at Northwind Ventures as Partner" in draft.body
    assert "alice" in draft.body  # signed with the user's name


def test_it_reopens_the_same_draft_instead_of_starting_another(
    auth_client: Client, job_change: Reminder
) -> None:
    first = _start(auth_client, job_change)
    assert _start(auth_client, job_change).pk == first.pk
    assert NoteDraft.objects.count() == 1


def test_it_uses_the_users_own_template(
    auth_client: Client, user: User, job_change: Reminder
) -> None:
    from crm.models import UserSettings

    settings = UserSettings.for_user(user)
    settings.note_templates = {"job_change": {"subject": "Yo {first_name}", "body": "{title}!"}}
    settings.save()
    draft = _start(auth_client, job_change)
    assert (draft.subject, draft.body) == ("Yo Maya", "Partner!")


def test_it_shows_the_composer_with_mail_and_linkedin_links(
    auth_client: Client, job_change: Reminder
) -> None:
    draft = _start(auth_client, job_change)
    response = auth_client.get(reverse("reminders:note_edit", args=[draft.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    mailto = response.context["mailto"]
    assert mailto.startswith("mailto:maya@example.org?subject=Congratulations%20on%20the%20move")
    assert "%0D%0A" in mailto and " " not in mailto
    assert unquote(mailto.split("body=")[1]).replace("\r\n", "\n") == draft.body
    assert 'href="https://www.linkedin.com/in/maya-okafor"' in html
    assert 'data-copy-target="#id_body"' in html
    assert 'hx-trigger="keyup changed delay:1s, change"' in html
    # The history is offered to work in.
    assert "PyCon Berlin" in html and "Coffee about her move to Lisbon" in html


def test_it_autosaves_over_htmx_and_answers_with_status_and_advice(
    auth_client: Client, job_change: Reminder
) -> None:
    draft = _start(auth_client, job_change)
    url = reverse("reminders:note_edit", args=[draft.pk])
    body = "Hi Maya, congrats! Hope Lisbon is treating you well."
    response = auth_client.post(
        url, {"subject": "Congrats", "body": body}, headers={"HX-Request": "true"}
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert html.lstrip().startswith('<p id="note-status"')
    assert "Saved at" in html
    assert 'id="touch"' in html and 'hx-swap-oob="true"' in html
    assert "<html" not in html
    draft.refresh_from_db()
    assert (draft.subject, draft.body) == ("Congrats", body)


def test_it_saves_with_a_plain_post_too(auth_client: Client, job_change: Reminder) -> None:
    draft = _start(auth_client, job_change)
    url = reverse("reminders:note_edit", args=[draft.pk])
    response = auth_client.post(url, {"subject": "S", "body": "B"})
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.body == "B"


def test_it_rejects_an_overlong_subject_without_saving(
    auth_client: Client, job_change: Reminder
) -> None:
    draft = _start(auth_client, job_change)
    before = draft.body
    response = auth_client.post(
        reverse("reminders:note_edit", args=[draft.pk]), {"subject": "x" * 300, "body": "new"}
    )
    assert response.status_code == 200
    assert "errors" in response.content.decode()
    draft.refresh_from_db()
    assert draft.body == before


def test_it_marks_a_note_as_sent(auth_client: Client, user: User, job_change: Reminder) -> None:
    draft = _start(auth_client, job_change)
    body = "Hi Maya, congrats on Northwind! Still thinking about our coffee and Lisbon."
    response = auth_client.post(
        reverse("reminders:note_sent", args=[draft.pk]), {"subject": "Congrats!", "body": body}
    )
    assert response.status_code == 302
    assert response["Location"] == (
        reverse("reminders:dashboard") + f"?unsend={draft.pk}#reminder-{job_change.pk}"
    )
    draft.refresh_from_db()
    job_change.refresh_from_db()
    contact = job_change.contact
    contact.refresh_from_db()
    assert draft.sent_at is not None
    assert job_change.status == ReminderStatus.DONE and job_change.completed_at is not None
    sent = Interaction.objects.get(kind=InteractionKind.NOTE_SENT)
    assert draft.interaction == sent
    assert (sent.summary, sent.notes, sent.occurred_on) == (
        "Congrats!",
        body,
        dt.date(2026, 11, 18),
    )
    assert list(sent.contacts.all()) == [contact]
    assert contact.last_interaction_on == dt.date(2026, 11, 18)  # keep-in-touch clock reset
    # Sending twice records nothing more.
    auth_client.post(reverse("reminders:note_sent", args=[draft.pk]), {"subject": "x", "body": "y"})
    assert Interaction.objects.filter(kind=InteractionKind.NOTE_SENT).count() == 1


def test_after_sending_the_list_confirms_it_in_the_entrys_place_with_undo(
    auth_client: Client, user: User, job_change: Reminder
) -> None:
    draft = _start(auth_client, job_change)
    sent = auth_client.post(
        reverse("reminders:note_sent", args=[draft.pk]), {"subject": "S", "body": "Hi Maya"}
    )

    html = auth_client.get(sent["Location"]).content.decode()

    start = html.index(f'<li class="entry entry--settled" id="reminder-{job_change.pk}"')
    line = html[start : html.index("</li>", start)]
    assert "Marked your note to Maya Okafor as sent" in line and "autofocus" in line
    assert f'action="{reverse("reminders:note_unsend", args=[draft.pk])}"' in line
    assert "message--success" not in html, "the confirmation shows once, in place"


def test_undo_after_sending_makes_it_a_draft_again_and_reopens_the_reminder(
    auth_client: Client, user: User, job_change: Reminder
) -> None:
    contact = job_change.contact
    contact.refresh_from_db()
    before = contact.last_interaction_on
    assert before is not None and before < dt.date(2026, 11, 18)
    draft = _start(auth_client, job_change)
    auth_client.post(
        reverse("reminders:note_sent", args=[draft.pk]), {"subject": "S", "body": "Hi Maya"}
    )

    response = auth_client.post(
        reverse("reminders:note_unsend", args=[draft.pk]), headers={"HX-Request": "true"}
    )

    assert response.status_code == 200
    assert (
        response.content.decode()
        .lstrip()
        .startswith(
            f'<li class="entry entry--overdue" id="reminder-{job_change.pk}" '
            'tabindex="-1" autofocus>'
        )
    )
    draft.refresh_from_db()
    job_change.refresh_from_db()
    contact.refresh_from_db()
    assert (draft.sent_at, draft.interaction) == (None, None)
    assert draft.body == "Hi Maya", "the text is kept to send again"
    assert job_change.status == ReminderStatus.OPEN
    assert not Interaction.objects.filter(kind=InteractionKind.NOTE_SENT).exists()
    assert contact.last_interaction_on == before, "the keep-in-touch clock is put back"
    again = auth_client.post(reverse("reminders:note_unsend", args=[draft.pk]))
    assert again.status_code == 302 and again["Location"].endswith(
        reverse("reminders:note_edit", args=[draft.pk])
    )


def test_it_refuses_to_mark_an_empty_note_as_sent(
    auth_client: Client, job_change: Reminder
) -> None:
    draft = _start(auth_client, job_change)
    response = auth_client.post(
        reverse("reminders:note_sent", args=[draft.pk]), {"subject": "x", "body": "  "}
    )
    assert response.status_code == 200
    assert not Interaction.objects.filter(kind=InteractionKind.NOTE_SENT).exists()
    job_change.refresh_from_db()
    assert job_change.status == ReminderStatus.OPEN


def test_it_discards_a_draft(auth_client: Client, job_change: Reminder) -> None:
    draft = _start(auth_client, job_change)
    response = auth_client.post(reverse("reminders:note_delete", args=[draft.pk]))
    assert response.status_code == 302
    assert not NoteDraft.objects.exists()


def test_it_starts_a_draft_for_a_person_without_a_reminder(auth_client: Client, user: User) -> None:
    contact = ContactFactory(owner=user, first_name="Ola")
    response = auth_client.post(reverse("reminders:note_start"), {"contact": contact.pk})
    draft = NoteDraft.objects.get(contact=contact)
    assert response.status_code == 302 and draft.reminder is None
    assert draft.body.startswith("Hi Ola,")


@pytest.mark.parametrize("field", ["reminder", "contact"])
def test_it_404s_for_another_users_reminder_or_contact(
    auth_client: Client, other_user: User, field: str
) -> None:
    theirs = ReminderFactory(contact=ContactFactory(owner=other_user))
    pk = theirs.pk if field == "reminder" else theirs.contact.pk
    response = auth_client.post(reverse("reminders:note_start"), {field: pk})
    assert response.status_code == 404
    assert not NoteDraft.objects.exists()


def test_it_404s_for_garbage_ids(auth_client: Client) -> None:
    assert auth_client.post(reverse("reminders:note_start"), {"contact": "abc"}).status_code == 404
    assert auth_client.post(reverse("reminders:note_start"), {}).status_code == 404


def test_it_404s_for_another_users_draft(auth_client: Client, other_user: User) -> None:
    draft = NoteDraftFactory(contact=ContactFactory(owner=other_user), body="secret")
    for name in ("reminders:note_edit", "reminders:note_sent", "reminders:note_delete"):
        assert auth_client.post(reverse(name, args=[draft.pk]), {"body": "x"}).status_code == 404
    assert auth_client.get(reverse("reminders:note_edit", args=[draft.pk])).status_code == 404
    draft.refresh_from_db()
    assert draft.body == "secret" and draft.sent_at is None


# --- Personal touch on real-looking drafts -------------------------------------------------


def _check(job_change: Reminder, user: User, body: str) -> TouchCheck:
    history: History = load_history(job_change.contact)
    context = note_context(
        contact=job_change.contact, history=history, reminder=job_change, user=user
    )
    return personal_touch(
        body, template=DEFAULT_TEMPLATES["job_change"], context=context, facts=history.facts()
    )


def test_it_flags_the_bare_template(auth_client: Client, user: User, job_change: Reminder) -> None:
    draft = _start(auth_client, job_change)
    check = _check(job_change, user, draft.body)
    assert not check.personal
    labels = [f.label for f in check.suggestions]
    assert "How you met" in labels
    assert any("Coffee or meal" in label for label in labels)


def test_it_flags_stock_flattery_with_name_and_job_facts(user: User, job_change: Reminder) -> None:
    body = (
        "Hey Maya!\n\nHuge congratulations on the new role as Partner at Northwind Ventures, "
        "so well deserved. Wishing you every success!\n\nCheers,\nAlice"
    )
    assert not _check(job_change, user, body).personal


def test_it_accepts_a_draft_mentioning_where_you_met(user: User, job_change: Reminder) -> None:
    body = (
        "Hi Maya,\n\nI just saw that you started at Northwind Ventures as Partner. "
        "Congratulations! Who would have thought, back in that PyCon queue.\n\nAll the best,\nalice"
    )
    check = _check(job_change, user, body)
    assert check.personal
    assert [f.label for f in check.used_facts][:1] == ["How you met"]


def test_it_accepts_a_draft_mentioning_what_you_last_talked_about(
    user: User, job_change: Reminder
) -> None:
    body = "Hi Maya, congratulations on Northwind! Did the Lisbon plan survive the new job?"
    assert _check(job_change, user, body).personal


def test_it_accepts_a_draft_with_enough_words_of_ones_own(user: User, job_change: Reminder) -> None:
    body = "Maya! Northwind is lucky. Your sourdough starter deserves a corner office too."
    assert _check(job_change, user, body).personal


def test_it_shows_the_flag_on_the_composer(auth_client: Client, job_change: Reminder) -> None:
    draft = _start(auth_client, job_change)
    html = auth_client.get(reverse("reminders:note_edit", args=[draft.pk])).content.decode()
    assert "This still reads like a form letter" in html
    response = auth_client.post(
        reverse("reminders:note_edit", args=[draft.pk]),
        {"subject": "Hi", "body": "Congrats! Remember queueing at PyCon Berlin?"},
        headers={"HX-Request": "true"},
    )
    assert "reads like it comes from you" in response.content.decode()


def test_it_shows_drafts_and_sent_notes_on_the_contact_page(
    auth_client: Client, job_change: Reminder
) -> None:
    draft = _start(auth_client, job_change)
    html = auth_client.get(job_change.contact.get_absolute_url()).content.decode()
    assert reverse("reminders:note_edit", args=[draft.pk]) in html
    assert "Write a note" in html
    auth_client.post(
        reverse("reminders:note_sent", args=[draft.pk]), {"subject": "Sent one", "body": "Hi"}
    )
    html = auth_client.get(job_change.contact.get_absolute_url()).content.decode()
    assert "Recently sent" in html and "Sent one" in html


def test_the_contact_page_lists_the_newest_five_drafts_and_three_sent_notes(
    auth_client: Client, user: User
) -> None:
    ada = ContactFactory(owner=user)
    start = dt.datetime(2026, 10, 1, 12, tzinfo=dt.UTC)
    for n in range(7):
        draft = NoteDraftFactory(contact=ada, subject=f"Draft {n}")
        NoteDraft.objects.filter(pk=draft.pk).update(updated_at=start + dt.timedelta(days=n))
    for n in range(5):
        NoteDraftFactory(contact=ada, subject=f"Sent {n}", sent_at=start + dt.timedelta(days=n))

    html = auth_client.get(ada.get_absolute_url()).content.decode()
    section = html.split('class="card contact-drafts"')[1].split("</section>")[0]
    drafts = [f"Draft {n}" for n in (6, 5, 4, 3, 2)]
    sent = [f"Sent {n}" for n in (4, 3, 2)]
    positions = [section.index(f">{subject}<") for subject in drafts + sent]
    assert positions == sorted(positions)
    assert ">Draft 1<" not in section and ">Sent 1<" not in section
