"""Apprise behind three calls: check a channel's URL, describe it safely, send to it.

An Apprise URL carries the channel's secrets (a Telegram bot token, a Matrix password,
an SMTP login), so this module is the only place that hands one to Apprise, and what
comes back out (hints, error messages) has the secret parts blanked first. Apprise's
own log lines can quote a URL verbatim ("Unparseable URL tgram://…"), so its logger
writes nowhere (settings.LOGGING); failures reach the logs and the channel's row
through `send`'s redacted error instead.

Apprise is imported inside the functions: loading it and its ~190 plugins costs about
half a second, which only a worker sending or a form checking a URL should pay.
"""

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING
from urllib.parse import unquote

from django.utils.translation import gettext

if TYPE_CHECKING:
    from apprise.plugins.base import NotifyBase

# Desktop notifications would pop up on the server running Rapport, not on any device of
# the user's: refused with a message instead of "sent" into the void.
SERVER_DESKTOP_SCHEMES = {"dbus", "kde", "qt", "glib", "gnome", "macosx", "windows"}
# The longest address accepted (Apprise URLs with many targets stay well below).
MAX_URL_LENGTH = 2000
# Seconds Apprise may spend on one message before it counts as failed.
SEND_TIMEOUT = 20
# Error text stored on a channel's row.
MAX_ERROR_LENGTH = 500
MASK = "…"
SERVICES_DOCS = "https://appriseit.com/services/"
UNREADABLE = (
    "This channel's address could not be read: the server's encryption key changed "
    "(docs/notifications.md). Edit the channel and enter it again."
)
_SPLIT = re.compile(r"[/:@?&=#+,;\s]+")
# Pieces this short (ports, "www", "api") are never secrets worth blanking.
MIN_SECRET_PIECE = 4


class BadChannelUrl(ValueError):
    """The address cannot be used; the message says why, without repeating secrets."""


@dataclass(frozen=True)
class CheckedUrl:
    url: str
    service: str
    hint: str


@dataclass(frozen=True)
class SendResult:
    ok: bool
    error: str = ""


def _scheme(url: str) -> str:
    scheme, separator, _ = url.partition("://")
    return scheme.lower() if separator and re.fullmatch(r"[A-Za-z][A-Za-z0-9+.-]*", scheme) else ""


def _plugin(url: str) -> "NotifyBase | None":
    import apprise

    try:
        return apprise.Apprise.instantiate(url, suppress_exceptions=False)
    except Exception:  # Apprise raises many kinds for one bad URL
        return None


def check_url(raw: str) -> CheckedUrl:
    """The URL as Apprise understands it, or BadChannelUrl with a message for the user."""
    from apprise.manager_plugins import NotificationManager

    url = raw.strip()
    if not url:
        raise BadChannelUrl(
            gettext("Enter the channel's address, for example ntfy://my-secret-topic.")
        )
    if len(url) > MAX_URL_LENGTH:
        raise BadChannelUrl(
            gettext("That address is too long (at most %(max)d characters).")
            % {"max": MAX_URL_LENGTH}
        )
    if any(ch.isspace() or ord(ch) < 32 for ch in url):
        raise BadChannelUrl(
            gettext("An address has no spaces or line breaks in it; check the copy.")
        )
    scheme = _scheme(url)
    if not scheme:
        raise BadChannelUrl(
            gettext(
                "That is not an Apprise address: it starts with the service, "
                "like ntfy://, tgram://, matrixs://, signal:// or mailtos://."
            )
        )
    if scheme in SERVER_DESKTOP_SCHEMES:
        raise BadChannelUrl(
            gettext(
                "%(scheme)s:// shows notifications on the desktop of the server running "
                "Rapport, not on your devices. Use a service you read, like ntfy:// or tgram://."
            )
            % {"scheme": scheme}
        )
    if scheme not in NotificationManager():
        raise BadChannelUrl(
            gettext(
                "Apprise does not know %(scheme)s://. The services and their addresses are "
                "listed at %(docs)s"
            )
            % {"scheme": scheme, "docs": SERVICES_DOCS}
        )
    plugin = _plugin(url)
    if plugin is None:
        raise BadChannelUrl(
            gettext(
                "Apprise knows %(scheme)s://, but this address is missing something that "
                "service needs (a token, a user, a target). Compare it with the example at "
                "%(docs)s"
            )
            % {"scheme": scheme, "docs": SERVICES_DOCS}
        )
    return CheckedUrl(url=url, service=str(plugin.service_name), hint=_hint(plugin))


def _shorten(part: str) -> str:
    if MASK in part or "..." in part or "*" in part or len(part) <= 6:
        return part
    return f"{part[:2]}{MASK}{part[-2:]}"


def _is_token_host(host: str) -> bool:
    """A "host" that is no host name: a topic (ntfy.sh) or a token in the host's place."""
    return "." not in host and host.lower() != "localhost" and ":" not in host


def _hint(plugin: "NotifyBase") -> str:
    """Apprise's privacy form of the URL, without options, long names and tokens shortened."""
    private = str(plugin.url(privacy=True)).split("?", 1)[0]
    scheme, _, rest = private.partition("://")
    netloc, _, path = rest.partition("/")
    user, at, host = netloc.rpartition("@")
    if _is_token_host(host):
        host = _shorten(host)
    parts = [_shorten(unquote(p)) for p in path.split("/") if p]
    return f"{scheme}://{user}{at}{host}/{'/'.join(parts)}".rstrip("/")[:300]


def secret_pieces(url: str) -> list[str]:
    """The parts of `url` that Apprise's privacy form hides (and topics in the host's
    place, which it shows): what to blank in any text."""
    plugin = _plugin(url)
    shown = str(plugin.url(privacy=True)) if plugin is not None else ""
    pieces = {url}
    host = url.partition("://")[2].split("/", 1)[0].rpartition("@")[2]
    if _is_token_host(host) and len(host) >= MIN_SECRET_PIECE:
        pieces.add(host)
    for piece in _SPLIT.split(url.partition("://")[2]):
        for form in {piece, unquote(piece)}:
            if len(form) >= MIN_SECRET_PIECE and form not in shown:
                pieces.add(form)
    # Longest first, so a token is blanked whole before any piece of it.
    return sorted(pieces, key=len, reverse=True)


def redact(text: str, pieces: list[str]) -> str:
    for piece in pieces:
        text = text.replace(piece, "[hidden]")
    return text


def send(url: str, *, title: str, body: str) -> SendResult:
    """Send one message; never raises for a failure of the service, says why instead."""
    import apprise

    if not url:  # crm.encryption could not read it back
        return SendResult(ok=False, error=UNREADABLE)
    pieces = secret_pieces(url)
    sender = apprise.Apprise(asset=apprise.AppriseAsset(service_timeout=SEND_TIMEOUT))
    if not sender.add(url):
        return SendResult(ok=False, error="Apprise no longer accepts this channel's address.")
    try:
        result = sender.notify(body=body, title=title, body_format=apprise.NotifyFormat.TEXT)
    except Exception as exc:  # a plugin's bug must not escape as a crash
        return SendResult(ok=False, error=_clip(redact(f"{type(exc).__name__}: {exc}", pieces)))
    if result:
        return SendResult(ok=True)
    lines = [entry.message for entry in result.logs() if entry.level in {"WARNING", "ERROR"}]
    reason = " ".join(dict.fromkeys(lines)) or "The service did not accept the message."
    return SendResult(ok=False, error=_clip(redact(reason, pieces)))


def _clip(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= MAX_ERROR_LENGTH else text[: MAX_ERROR_LENGTH - 1] + MASK
