"""Settings → Security: what protects an account, gathered for one page.

Sessions (allauth.usersessions), two-factor (allauth.mfa: authenticator app, recovery
codes, passkeys), linked single sign-on identities (allauth.socialaccount), and how many
secrets the account has issued on other pages (app passwords, access tokens).
"""

import re
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from allauth.mfa.models import Authenticator
from allauth.socialaccount.adapter import get_adapter as get_social_adapter
from allauth.socialaccount.models import SocialAccount
from allauth.usersessions.internal.flows.sessions import end_other_sessions
from allauth.usersessions.models import UserSession
from django.apps import apps
from django.contrib.auth.models import User
from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext, gettext_lazy

BROWSERS = (
    ("Edge", r"Edg(e|A|iOS)?/"),
    ("Opera", r"OPR/|Opera"),
    ("Firefox", r"Firefox/|FxiOS/"),
    ("Chrome", r"Chrome/|CriOS/|Chromium/"),
    ("Safari", r"Safari/"),
)
SYSTEMS = (
    ("iPhone", r"iPhone"),
    ("iPad", r"iPad"),
    ("Android", r"Android"),
    ("Windows", r"Windows"),
    ("macOS", r"Mac OS X|Macintosh"),
    ("ChromeOS", r"CrOS"),
    ("Linux", r"Linux"),
)


def describe_device(user_agent: str) -> str:
    """ "Firefox on Linux" from a User-Agent header; what a person recognises their device by."""
    browser = next((name for name, pattern in BROWSERS if re.search(pattern, user_agent)), "")
    system = next((name for name, pattern in SYSTEMS if re.search(pattern, user_agent)), "")
    if browser and system:
        return gettext("%(browser)s on %(system)s") % {"browser": browser, "system": system}
    return browser or system or gettext("Unknown device")


@dataclass(frozen=True)
class SessionRow:
    device: str
    ip: str
    last_seen: datetime
    started: datetime
    current: bool


@dataclass(frozen=True)
class SecretPage:
    """Secrets issued elsewhere (crm.models.IssuedSecret): where they live, how many."""

    title: str
    url: str
    count: int
    about: str


# (title, model label, URL name, what they are for): the apps that issue them own the pages.
SECRET_PAGES = (
    (
        gettext_lazy("App passwords"),
        "carddav.AppPassword",
        "carddav:settings",
        gettext_lazy("for phones and computers that sync your contacts"),
    ),
    (
        gettext_lazy("Access tokens"),
        "api.AccessToken",
        "access_tokens",
        gettext_lazy("for scripts, the REST API and assistants"),
    ),
)


def secret_pages(owner: User) -> list[SecretPage]:
    pages = []
    for title, label, url_name, about in SECRET_PAGES:
        model = apps.get_model(label)
        count = model._default_manager.filter(owner=owner).count()
        pages.append(
            SecretPage(title=str(title), url=reverse(url_name), count=count, about=str(about))
        )
    return pages


@dataclass(frozen=True)
class SecurityOverview:
    sessions: list[SessionRow]
    totp: Authenticator | None
    recovery_codes_left: int | None
    passkeys: list[Authenticator]
    linked: list[SocialAccount]
    providers: list[Any]
    secrets: list[SecretPage]

    @property
    def two_factor_on(self) -> bool:
        return self.totp is not None or bool(self.passkeys)

    @property
    def unlinked_providers(self) -> list[Any]:
        linked = {account.provider for account in self.linked}
        return [p for p in self.providers if p.sub_id not in linked]


def security_overview(request: HttpRequest, owner: User) -> SecurityOverview:
    sessions = sorted(
        (
            SessionRow(
                device=describe_device(s.user_agent),
                ip=s.ip,
                last_seen=s.last_seen_at,
                started=s.created_at,
                current=s.is_current(),
            )
            for s in UserSession.objects.purge_and_list(owner)
        ),
        key=lambda row: (not row.current, -row.last_seen.timestamp()),
    )
    authenticators = list(Authenticator.objects.filter(user=owner).order_by("created_at"))
    by_type: dict[str, list[Authenticator]] = {}
    for authenticator in authenticators:
        by_type.setdefault(authenticator.type, []).append(authenticator)
    codes = by_type.get(Authenticator.Type.RECOVERY_CODES, [])
    return SecurityOverview(
        sessions=sessions,
        totp=next(iter(by_type.get(Authenticator.Type.TOTP, [])), None),
        recovery_codes_left=len(codes[0].wrap().get_unused_codes()) if codes else None,
        passkeys=by_type.get(Authenticator.Type.WEBAUTHN, []),
        linked=list(SocialAccount.objects.filter(user=owner).order_by("pk")),
        providers=get_social_adapter().list_providers(request),
        secrets=secret_pages(owner),
    )


def sessions_end_others(request: HttpRequest, *, owner: User) -> int:
    """Sign out every session of `owner` but this one; returns how many were ended."""
    others = UserSession.objects.filter(user=owner).exclude(session_key=request.session.session_key)
    count = others.count()
    end_other_sessions(request, owner)
    return count
