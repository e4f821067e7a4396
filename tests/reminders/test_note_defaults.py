"""The default note templates in each shipped language (reminders/note_defaults.py)."""

import datetime as dt

import pytest
from django.contrib.auth.models import User
from django.utils import translation

from crm.models import UserSettings
from reminders import services
from reminders.models import ReminderKind
from reminders.note_defaults import DEFAULTS, SIGNATURES, defaults_in
from reminders.notes import (
    DEFAULT_TEMPLATES,
    draft_for,
    fill,
    load_history,
    note_context,
    personal_touch,
    templates_for,
    unknown_placeholders,
)
from tests.factories import ContactFactory, PositionFactory, ReminderFactory

LANGUAGES = ["en", "de", "fr", "es", "pt-br", "nl", "it"]


def test_every_language_has_a_template_for_every_kind_and_a_sign_off() -> None:
    assert set(DEFAULTS) == set(LANGUAGES) == set(SIGNATURES)
    for language in LANGUAGES:
        assert set(DEFAULTS[language]) == set(DEFAULT_TEMPLATES), language
        assert "{name}" in SIGNATURES[language]


@pytest.mark.parametrize("language", LANGUAGES[1:])
def test_each_language_has_its_own_words_and_only_known_placeholders(language: str) -> None:
    for kind, template in DEFAULTS[language].items():
        english = DEFAULTS["en"][kind]
        assert template.subject != english.subject and template.body != english.body
        assert not unknown_placeholders(kind, template.subject + template.body), (language, kind)
        assert "{first_name}" in template.body and template.body.endswith("\n\n{signature}")
        for placeholder in ("{other_name}", "{reason}", "{company}"):
            if placeholder in english.body:
                assert placeholder in template.body, (language, kind, placeholder)


def _birthday(user: User) -> tuple:
    contact = ContactFactory(owner=user, first_name="Ada", birthday_month=12, birthday_day=3)
    return contact, ReminderFactory(
        contact=contact, kind=ReminderKind.BIRTHDAY, due_on=dt.date(2026, 12, 3)
    )


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("language", "subject", "sign_off"),
    [
        ("de", "Alles Gute zum Geburtstag, Ada!", "Viele Grüße\nAlice"),
        ("fr", "Joyeux anniversaire, Ada\u00a0!", "Bien amicalement,\nAlice"),
        ("pt-br", "Feliz aniversário, Ada!", "Abraços,\nAlice"),
        ("", "Happy birthday, Ada!", "All the best,\nAlice"),
    ],
)
def test_a_draft_is_written_in_the_persons_language(
    user: User, language: str, subject: str, sign_off: str
) -> None:
    UserSettings.objects.update_or_create(
        user=user, defaults={"language": language, "display_name": "Alice"}
    )
    contact, reminder = _birthday(user)
    with translation.override("en"):
        drafted_subject, body = draft_for(user=user, contact=contact, reminder=reminder)
    assert drafted_subject == subject
    assert body.endswith(sign_off)


@pytest.mark.django_db
def test_before_choosing_a_language_the_pages_language_picks_the_defaults(user: User) -> None:
    with translation.override("it"):
        assert templates_for(user)["birthday"] == defaults_in("it")["birthday"]
        assert templates_for(None)["birthday"] == defaults_in("it")["birthday"]


@pytest.mark.django_db
def test_a_persons_own_templates_stay_theirs_in_any_language(user: User) -> None:
    mine = {"subject": "Many happy returns, {first_name}", "body": "Cheers!\n\n{signature}"}
    UserSettings.objects.update_or_create(
        user=user, defaults={"language": "de", "note_templates": {"birthday": mine}}
    )
    templates = templates_for(user)
    assert (templates["birthday"].subject, templates["birthday"].body) == tuple(mine.values())
    assert templates["job_change"] == defaults_in("de")["job_change"]


@pytest.mark.django_db
def test_saving_the_defaults_of_ones_language_stores_no_edit(user: User) -> None:
    UserSettings.objects.update_or_create(user=user, defaults={"language": "nl"})
    entered = {kind: (t.subject, t.body) for kind, t in defaults_in("nl").items()}
    services.note_templates_save(owner=user, entered=entered)
    assert UserSettings.for_user(user).note_templates == {}


@pytest.mark.django_db
@pytest.mark.parametrize(("years", "duration"), [(1, "1 year"), (5, "5 years")])
def test_duration_counts_the_years_at_the_job(user: User, years: int, duration: str) -> None:
    contact = ContactFactory(owner=user, first_name="Ada")
    position = PositionFactory(contact=contact, company="Acme", start_date=dt.date(2021, 12, 3))
    reminder = ReminderFactory(
        contact=contact,
        kind=ReminderKind.WORK_ANNIVERSARY,
        position=position,
        years=years,
        due_on=dt.date(2026, 12, 3),
    )
    with translation.override("en"):
        context = note_context(
            contact=contact, history=load_history(contact), reminder=reminder, user=user
        )
        subject, _ = draft_for(user=user, contact=contact, reminder=reminder)
    assert context["duration"] == duration
    assert subject == f"{duration} at Acme"


@pytest.mark.parametrize(
    ("language", "added"),
    [
        ("de", "Herzlichen Glückwunsch, wirklich toll und verdient!"),
        ("fr", "Bravo, vraiment génial et très mérité !"),
        ("pt-br", "Parabéns, muito merecido, sucesso!"),
    ],
)
def test_stock_words_of_any_language_do_not_make_a_note_personal(language: str, added: str) -> None:
    template = defaults_in(language)["promotion"]
    context = {"first_name": "Ada", "title": "CTO", "company": "Acme", "my_name": "Sam"}
    body = fill(template.body, {**context, "signature": "Sam"}) + "\n" + added
    check = personal_touch(body, template=template, context=context, facts=[])
    assert not check.personal, check.own_words


def test_words_of_ones_own_in_another_language_still_count() -> None:
    template = defaults_in("de")["promotion"]
    context = {"first_name": "Ada", "title": "CTO", "company": "Acme", "my_name": "Sam"}
    body = fill(template.body, {**context, "signature": "Sam"})
    body += "\nIch muss immer noch über die Schlange bei der PyCon in Berlin lachen."
    check = personal_touch(body, template=template, context=context, facts=[])
    assert check.personal and "schlange" in check.own_words
