"""Each person's language: chosen in Settings, suggested at the first visit from the
browser, active on every page they see (crm/languages.py)."""

import shutil
import subprocess
from pathlib import Path

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from crm.languages import SESSION_KEY, language_choices
from crm.models import UserSettings, Weekday, first_weekday_of

needs_gettext = pytest.mark.skipif(shutil.which("msgfmt") is None, reason="needs GNU gettext")


@pytest.fixture
def german_catalog(tmp_path: Path, settings) -> None:
    """A German catalog with the strings these tests read (the real one is the translators')."""
    folder = tmp_path / "de" / "LC_MESSAGES"
    folder.mkdir(parents=True)
    (folder / "django.po").write_text(
        'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n'
        '"Plural-Forms: nplurals=2; plural=(n != 1);\\n"\n\n'
        'msgid "Language"\nmsgstr "Sprache"\n'
    )
    subprocess.run(
        ["msgfmt", "-o", str(folder / "django.mo"), str(folder / "django.po")], check=True
    )
    settings.LOCALE_PATHS = [tmp_path]


def _html_lang(response) -> str:
    return response.content.decode().split("<html lang=", 1)[1].split(">", 1)[0].strip('"')


def test_it_offers_every_shipped_language_by_its_own_name() -> None:
    names = dict(language_choices())
    assert names["de"] == "Deutsch"
    assert names["fr"] == "français"
    assert names["pt-br"] == "Português Brasileiro"
    assert list(names) == ["en", "de", "fr", "es", "pt-br", "nl", "it"]


@pytest.mark.django_db
def test_a_page_before_log_in_follows_the_browsers_language(client: Client) -> None:
    response = client.get(reverse("account_login"), HTTP_ACCEPT_LANGUAGE="pt-BR,pt;q=0.9,en;q=0.5")
    assert _html_lang(response) == "pt-br"
    assert response.headers["Content-Language"] == "pt-br"
    assert "Accept-Language" in response.headers["Vary"]


@pytest.mark.django_db
def test_a_language_rapport_does_not_ship_falls_back_to_english(client: Client) -> None:
    response = client.get(reverse("account_login"), HTTP_ACCEPT_LANGUAGE="ja,ko;q=0.8")
    assert _html_lang(response) == "en"


def test_a_signed_in_persons_language_wins_over_the_browsers(client: Client, user: User) -> None:
    UserSettings.objects.update_or_create(user=user, defaults={"language": "fr"})
    client.force_login(user)
    response = client.get(reverse("settings"), HTTP_ACCEPT_LANGUAGE="de")
    assert _html_lang(response) == "fr"
    assert client.session[SESSION_KEY] == "fr"


def test_a_session_from_before_languages_looks_it_up_once(client: Client, user: User) -> None:
    client.force_login(user)
    session = client.session
    del session[SESSION_KEY]
    session.save()
    UserSettings.objects.update_or_create(user=user, defaults={"language": "es"})
    assert _html_lang(client.get(reverse("settings"))) == "es"
    assert client.session[SESSION_KEY] == "es"


def test_until_they_choose_their_browser_decides(auth_client: Client, user: User) -> None:
    response = auth_client.get(reverse("settings"), HTTP_ACCEPT_LANGUAGE="nl-BE,nl;q=0.9")
    assert _html_lang(response) == "nl"


def test_the_language_is_remembered_at_log_in(client: Client, user: User) -> None:
    UserSettings.objects.update_or_create(user=user, defaults={"language": "it"})
    user.set_password("correct horse battery")
    user.save()
    client.post(
        reverse("account_login"), {"login": user.username, "password": "correct horse battery"}
    )
    assert client.session[SESSION_KEY] == "it"


@needs_gettext
def test_choosing_german_in_settings_turns_the_pages_german(
    auth_client: Client, user: User, german_catalog: None
) -> None:
    prefs = UserSettings.for_user(user)
    response = auth_client.post(
        reverse("settings"),
        {"language": "de", "time_zone": prefs.time_zone, "introduction_min_trust": "know_well"},
    )
    assert response.status_code == 302, response.context["form"].errors
    prefs.refresh_from_db()
    assert prefs.language == "de"
    page = auth_client.get(reverse("settings"), HTTP_ACCEPT_LANGUAGE="en")
    assert _html_lang(page) == "de"
    assert "Sprache" in page.content.decode()
    assert '<option value="de" selected>Deutsch</option>' in page.content.decode()


def test_settings_refuse_a_language_rapport_does_not_ship(auth_client: Client, user: User) -> None:
    prefs = UserSettings.for_user(user)
    response = auth_client.post(
        reverse("settings"),
        {"language": "tlh", "time_zone": prefs.time_zone, "introduction_min_trust": "know_well"},
    )
    assert response.status_code == 200
    assert "language" in response.context["form"].errors
    prefs.refresh_from_db()
    assert prefs.language == ""


def test_the_first_visit_suggests_the_browsers_language(auth_client: Client) -> None:
    response = auth_client.get(reverse("reminders:dashboard"), HTTP_ACCEPT_LANGUAGE="es-MX,es")
    form = response.context["sender_form"]
    assert form["language"].value() == "es"
    assert '<option value="es" selected>español</option>' in response.content.decode()


def test_answering_the_first_visit_stores_the_language(auth_client: Client, user: User) -> None:
    response = auth_client.post(
        reverse("reminders:note_sender"),
        {"display_name": "Alice", "signature": "", "language": "pt-br", "next": "/"},
    )
    assert response.status_code == 302
    prefs = UserSettings.for_user(user)
    assert (prefs.language, prefs.sender_asked) == ("pt-br", True)
    assert auth_client.session[SESSION_KEY] == "pt-br"


def test_the_name_on_notes_page_leaves_the_language_alone(client: Client, user: User) -> None:
    UserSettings.objects.update_or_create(user=user, defaults={"language": "de"})
    client.force_login(user)
    client.post(reverse("reminders:note_sender"), {"display_name": "Al", "signature": ""})
    assert UserSettings.for_user(user).language == "de"


@pytest.mark.parametrize(
    ("language", "first"),
    [("de", Weekday.MONDAY), ("fr", Weekday.MONDAY), ("pt-br", Weekday.SUNDAY)],
)
def test_the_week_starts_where_the_language_starts_it(language: str, first: Weekday) -> None:
    assert first_weekday_of(language) == first
    assert UserSettings(language=language).first_weekday == first


def test_a_chosen_first_day_wins_and_no_language_keeps_monday() -> None:
    assert UserSettings(language="pt-br", week_start=Weekday.WEDNESDAY).first_weekday == 2
    assert UserSettings(language="").first_weekday == Weekday.MONDAY


@needs_gettext
@pytest.mark.django_db
def test_the_javascript_strings_come_in_the_pages_language(
    client: Client, tmp_path: Path, settings
) -> None:
    folder = tmp_path / "de" / "LC_MESSAGES"
    folder.mkdir(parents=True)
    (folder / "djangojs.po").write_text(
        'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n'
        'msgid "Saving…"\nmsgstr "Wird gespeichert …"\n'
    )
    subprocess.run(
        ["msgfmt", "-o", str(folder / "djangojs.mo"), str(folder / "djangojs.po")], check=True
    )
    settings.LOCALE_PATHS = [tmp_path]
    page = client.get(reverse("account_login"), HTTP_ACCEPT_LANGUAGE="de").content.decode()
    assert f'src="{reverse("javascript-catalog")}?l=de&amp;v=' in page
    script = client.get(reverse("javascript-catalog"), {"l": "de"}, HTTP_ACCEPT_LANGUAGE="de")
    assert script["Content-Type"].startswith("text/javascript")
    assert "Wird gespeichert" in script.content.decode()


GERMAN = Path(__file__).resolve().parents[2] / "crm" / "locale" / "de" / "LC_MESSAGES"


@needs_gettext
@pytest.mark.skipif(not (GERMAN / "django.po").exists(), reason="no German catalog yet")
def test_a_german_users_settings_page_is_german_with_the_shipped_catalog(
    client: Client, user: User
) -> None:
    UserSettings.objects.update_or_create(user=user, defaults={"language": "de"})
    client.force_login(user)
    page = client.get(reverse("settings"), HTTP_ACCEPT_LANGUAGE="en-US").content.decode()
    assert "<h1>Einstellungen</h1>" in page
    assert ">Sprache<" in page and "Wie vom Browser gewünscht" in page
