"""The CardDAV endpoints (RFC 6352 with RFC 6578 sync): discovery, listing, sync, cards.

Every request signs in with an app password (carddav.auth); the address book is always
the signed-in person's own, so no URL carries an account or contact id.
"""

from collections.abc import Callable
from xml.etree import ElementTree as ET

from django.conf import settings
from django.contrib.auth.models import User
from django.core.exceptions import RequestDataTooBig
from django.http import HttpRequest, HttpResponse, HttpResponsePermanentRedirect
from django.urls import reverse
from django.views.decorators.csrf import csrf_exempt

from carddav import dav
from carddav.auth import authenticate
from carddav.cards import CardError, parse_card
from carddav.dav import CARD, CS, DAV, q
from carddav.models import Card, SyncSettings
from carddav.paths import card_url, sync_token, urls, xml_response
from carddav.refresh import refresh
from carddav.reports import card_props, render_cards, report
from carddav.services import PreconditionFailed, Stored, UidConflict, card_delete, card_put

ALLOW = "OPTIONS, GET, HEAD, PUT, DELETE, PROPFIND, REPORT"


def _common(user: User, kind: str) -> dict[str, dav.Value]:
    links = urls()
    resourcetype: dav.Value = ""
    if kind in ("root", "home"):
        resourcetype = [dav.element(q(DAV, "collection"))]
    elif kind == "principal":
        resourcetype = [dav.element(q(DAV, "principal"))]
    names = {
        "root": "Rapport",
        "principal": user.get_full_name() or user.get_username(),
        "home": "Address books",
    }
    return {
        q(DAV, "resourcetype"): resourcetype,
        q(DAV, "displayname"): names.get(kind, ""),
        q(DAV, "current-user-principal"): dav.href(links["principal"]),
        q(DAV, "principal-URL"): dav.href(links["principal"]),
        q(CARD, "addressbook-home-set"): dav.href(links["home"]),
        q(DAV, "principal-collection-set"): dav.href(links["root"]),
    }


def _privileges() -> list[ET.Element]:
    return [
        dav.element(q(DAV, "privilege"), children=[dav.element(q(DAV, name))])
        for name in (
            "read",
            "write",
            "write-content",
            "bind",
            "unbind",
            "read-current-user-privilege-set",
        )
    ]


def collection_props(user: User, state: SyncSettings) -> dict[str, dav.Value]:
    reports = [
        dav.element(
            q(DAV, "supported-report"),
            children=[dav.element(q(DAV, "report"), children=[dav.element(name)])],
        )
        for name in (
            q(DAV, "sync-collection"),
            q(CARD, "addressbook-multiget"),
            q(CARD, "addressbook-query"),
        )
    ]
    data_types = []
    for version in ("3.0", "4.0"):
        node = dav.element(q(CARD, "address-data-type"))
        node.set("content-type", "text/vcard")
        node.set("version", version)
        data_types.append(node)
    return {
        **_common(user, "collection"),
        q(DAV, "resourcetype"): [
            dav.element(q(DAV, "collection")),
            dav.element(q(CARD, "addressbook")),
        ],
        q(DAV, "displayname"): "Rapport",
        q(CARD, "addressbook-description"): "Your contacts in Rapport",
        q(DAV, "owner"): dav.href(urls()["principal"]),
        q(DAV, "current-user-privilege-set"): _privileges(),
        q(DAV, "supported-report-set"): reports,
        q(DAV, "sync-token"): sync_token(state.book, state.seq),
        q(CS, "getctag"): f"{state.book}-{state.seq}",
        q(CARD, "supported-address-data"): data_types,
        q(CARD, "max-resource-size"): str(5 * 1024 * 1024),
    }


def _answer(url: str, available: dict[str, dav.Value], wanted: dav.PropRequest) -> ET.Element:
    if wanted.all:
        if wanted.names_only:
            return dav.response(url, {tag: None for tag in available})
        return dav.response(url, available)
    found = {tag: available[tag] for tag in wanted.names if tag in available}
    return dav.response(url, found, [tag for tag in wanted.names if tag not in available])


def _depth(request: HttpRequest) -> int:
    return 0 if request.headers.get("Depth", "infinity").strip() == "0" else 1


def propfind(request: HttpRequest, user: User, kind: str, name: str | None) -> HttpResponse:
    wanted = dav.requested_props(dav.parse(request.body))
    links = urls()
    depth = _depth(request)
    answers: list[ET.Element] = []
    if kind == "card":
        state = refresh(user)
        card = Card.objects.filter(owner=user, name=name, present=True).first()
        if card is None:
            return HttpResponse("No such card.", status=404, content_type="text/plain")
        answers.append(_answer(card_url(card.name), card_props(card), wanted))
    elif kind == "collection":
        state = refresh(user)
        answers.append(_answer(links["collection"], collection_props(user, state), wanted))
        if depth:
            for card in Card.objects.filter(owner=user, present=True).only("name", "etag"):
                answers.append(_answer(card_url(card.name), card_props(card), wanted))
    else:
        answers.append(_answer(links[kind], _common(user, kind), wanted))
        if depth and kind == "home":
            state = refresh(user)
            answers.append(_answer(links["collection"], collection_props(user, state), wanted))
        elif depth and kind == "root":
            answers.append(_answer(links["principal"], _common(user, "principal"), wanted))
    return xml_response(dav.multistatus(answers))


def _etags(header: str | None) -> str | None:
    """The first entity tag of an If-Match / If-None-Match header, unquoted ("*" as is)."""
    if header is None:
        return None
    first = header.split(",")[0].strip().removeprefix("W/")
    return first.strip('"')


def get_card(request: HttpRequest, user: User, name: str) -> HttpResponse:
    refresh(user)
    card = (
        Card.objects.select_related("contact").filter(owner=user, name=name, present=True).first()
    )
    if card is None:
        return HttpResponse("No such card.", status=404, content_type="text/plain")
    version = (
        "4.0" if "version=4.0" in request.headers.get("Accept", "").replace(" ", "") else "3.0"
    )
    if _etags(request.headers.get("If-None-Match")) in (card.etag, "*"):
        response = HttpResponse(status=304)
    else:
        text = render_cards(user, [card], version)[card.name]
        response = HttpResponse(text, content_type="text/vcard; charset=utf-8")
    response["ETag"] = f'"{card.etag}"'
    return response


def put_card(request: HttpRequest, user: User, name: str) -> HttpResponse:
    try:
        phone = parse_card(request.body)
        stored = card_put(
            owner=user,
            name=name,
            phone=phone,
            if_match=_etags(request.headers.get("If-Match")),
            if_none_match=_etags(request.headers.get("If-None-Match")),
        )
    except CardError as error:
        return xml_response(dav.error(q(CARD, "valid-address-data"), str(error)), status=400)
    except UidConflict:
        message = "Another card of this address book has that UID."
        return xml_response(dav.error(q(CARD, "no-uid-conflict"), message), status=403)
    except PreconditionFailed:
        return HttpResponse(
            "The card changed since you last read it (or already exists). Nothing was written.",
            status=412,
            content_type="text/plain; charset=utf-8",
        )
    if stored is Stored.MERGED:
        # RFC 7232: the If-Match no longer holds, so the write is refused as such; the
        # phone's changes were merged into the current card (nothing lost, both values
        # kept), which the phone fetches at its next sync.
        return HttpResponse(
            "The card changed since you last read it. Your changes were merged into the "
            "current version; fetch it again.",
            status=412,
            content_type="text/plain; charset=utf-8",
        )
    # No ETag: the stored card is Rapport's rendering, not the bytes sent (RFC 4918 9.7.4).
    return HttpResponse(status=201 if stored is Stored.CREATED else 204)


def delete_card(request: HttpRequest, user: User, name: str) -> HttpResponse:
    try:
        card_delete(owner=user, name=name, if_match=_etags(request.headers.get("If-Match")))
    except Card.DoesNotExist:
        return HttpResponse("No such card.", status=404, content_type="text/plain")
    except PreconditionFailed:
        return HttpResponse(
            "The card changed since you last read it.", status=412, content_type="text/plain"
        )
    return HttpResponse(status=204)


def _options() -> HttpResponse:
    response = HttpResponse(status=200)
    response["Allow"] = ALLOW
    response["DAV"] = "1, 3, addressbook, extended-mkcol"
    return response


def _dispatch(request: HttpRequest, user: User, kind: str, name: str | None) -> HttpResponse:
    method = request.method or ""
    if method == "PROPFIND":
        return propfind(request, user, kind, name)
    if method == "REPORT" and kind == "collection":
        return report(request, user)
    if kind == "card" and name:
        handlers: dict[str, Callable[[HttpRequest, User, str], HttpResponse]] = {
            "GET": get_card,
            "HEAD": get_card,
            "PUT": put_card,
            "DELETE": delete_card,
        }
        if method in handlers:
            return handlers[method](request, user, name)
    if method in ("GET", "HEAD"):
        return HttpResponse(
            "This is Rapport's address book for phones and computers (CardDAV).",
            content_type="text/plain; charset=utf-8",
        )
    response = HttpResponse(status=405)
    response["Allow"] = ALLOW
    return response


def endpoint(kind: str) -> Callable[..., HttpResponse]:
    @csrf_exempt  # Basic-authenticated machine endpoint: no cookies, so no CSRF.
    def view(request: HttpRequest, name: str | None = None) -> HttpResponse:
        if request.method == "OPTIONS":
            return _options()
        if name is not None and len(name) > 255:
            return HttpResponse("No such card.", status=404, content_type="text/plain")
        if request.method not in ALLOW.replace(" ", "").split(","):
            response = HttpResponse(status=405)
            response["Allow"] = ALLOW
            return response
        if settings.SESSION_COOKIE_SECURE and not request.is_secure():
            # The site is served over HTTPS: a password over plain HTTP is refused.
            return HttpResponse(
                "Sync needs https://. Behind a proxy, set USE_X_FORWARDED_PROTO=true.",
                status=403,
                content_type="text/plain; charset=utf-8",
            )
        user = authenticate(request)
        if isinstance(user, HttpResponse):
            return user
        try:
            return _dispatch(request, user, kind, name)
        except dav.BadXml as error:
            return HttpResponse(str(error), status=400, content_type="text/plain; charset=utf-8")
        except RequestDataTooBig:
            return HttpResponse("The request is too large.", status=413, content_type="text/plain")

    view.__name__ = f"carddav_{kind}"
    return view


@csrf_exempt  # PROPFIND counts as unsafe to Django's CSRF check; this only redirects.
def well_known(request: HttpRequest) -> HttpResponse:
    """/.well-known/carddav: where the address books are (RFC 6764)."""
    if request.method not in ("GET", "HEAD", "PROPFIND", "OPTIONS"):
        response = HttpResponse(status=405)
        response["Allow"] = "GET, HEAD, PROPFIND, OPTIONS"
        return response
    return HttpResponsePermanentRedirect(reverse("carddav:root"))
