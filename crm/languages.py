"""The languages Rapport speaks, and which one each request and each background job uses.

A signed-in person's pages are in the language of their Settings (`UserSettings.language`),
kept in the session like the time zone (set at log-in and when Settings are saved), so pages
pay no extra query for it. Until they choose one, and on pages before log-in, the browser's
Accept-Language picks among the shipped languages. Work done for someone without a request
(the digest, channel notifications, the calendar feed) runs inside `in_language_of(prefs)`.
"""

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.contrib.auth.signals import user_logged_in
from django.http import HttpRequest, HttpResponse
from django.utils import translation
from django.utils.cache import patch_vary_headers

from crm.session_settings import saved_setting, session_setting

if TYPE_CHECKING:
    from crm.models import UserSettings

SESSION_KEY = "rapport_language"


def language_choices() -> list[tuple[str, str]]:
    """The shipped languages, each by its own name ("Deutsch", "Português Brasileiro")."""
    return [
        (code, translation.get_language_info(code)["name_local"]) for code, _ in settings.LANGUAGES
    ]


def browser_language(request: HttpRequest) -> str:
    """The shipped language the browser asks for first (Accept-Language), else English."""
    return translation.get_language_from_request(request)


def supported(code: str) -> str:
    """`code` if Rapport ships it (or a variant of it), else the default language."""
    try:
        return translation.get_supported_language_variant(code) if code else default_language()
    except LookupError:
        return default_language()


def default_language() -> str:
    return translation.get_supported_language_variant(settings.LANGUAGE_CODE)


def language_of(prefs: "UserSettings | None") -> str:
    """The language work for this person is done in: theirs, else the default."""
    return supported(prefs.language) if prefs is not None else default_language()


@contextmanager
def in_language_of(prefs: "UserSettings | None") -> Iterator[str]:
    """Run the block (an email, a notification, a feed) in the person's own language."""
    language = language_of(prefs)
    with translation.override(language):
        yield language


def remember_language(request: HttpRequest, code: str) -> None:
    """Use this language from now on in this session ("" follows the browser)."""
    request.session[SESSION_KEY] = code
    translation.activate(supported(code) if code else browser_language(request))
    request.LANGUAGE_CODE = translation.get_language()


def _language_at_log_in(sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    if request is None or not hasattr(request, "session"):
        return
    remember_language(request, saved_setting(user.pk, "language"))


class UserLanguageMiddleware:
    """Activates the person's language for the request, like Django's LocaleMiddleware."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        chosen = session_setting(request, SESSION_KEY, "language")
        language = supported(chosen) if chosen else browser_language(request)
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()
        response = self.get_response(request)
        # The same URL answers in another language for another browser before log-in.
        patch_vary_headers(response, ("Accept-Language",))
        response.headers.setdefault("Content-Language", translation.get_language())
        return response


def connect_language_signal() -> None:
    """Remember the person's language at log-in; CrmConfig.ready() calls it."""
    user_logged_in.connect(_language_at_log_in, dispatch_uid="languages-logged-in")
