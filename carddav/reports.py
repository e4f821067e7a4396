"""REPORTs on the address book: sync-collection (RFC 6578), addressbook-multiget and
addressbook-query (RFC 6352), and the rendering of many cards at once."""

from xml.etree import ElementTree as ET

from django.contrib.auth.models import User
from django.http import HttpRequest, HttpResponse

from carddav import dav
from carddav.dav import CARD, DAV, q
from carddav.models import Card
from carddav.paths import card_name, card_url, sync_token, token_seq, xml_response
from carddav.refresh import CHUNK, card_text, refresh
from contacts.export_documents import contact_documents


def card_props(card: Card) -> dict[str, dav.Value]:
    return {
        q(DAV, "getetag"): f'"{card.etag}"',
        q(DAV, "getcontenttype"): "text/vcard; charset=utf-8",
        q(DAV, "resourcetype"): "",
    }


def render_cards(owner: User, cards: list[Card], version: str) -> dict[str, str]:
    """{card name: vCard text}, a page of contacts at a time (a fixed number of queries
    per page, however many cards)."""
    texts: dict[str, str] = {}
    by_contact = {card.contact_id: card for card in cards if card.contact_id}
    ids = sorted(by_contact)
    for start in range(0, len(ids), CHUNK):
        page = ids[start : start + CHUNK]
        for document in contact_documents(owner, pks=page, photos=True):
            card = by_contact[document["id"]]
            texts[card.name] = card_text(card, document, version)
    return texts


def _address_data(root: ET.Element) -> tuple[bool, str]:
    """Whether the card text was asked for, and in which vCard version."""
    node = root.find(f"{q(DAV, 'prop')}/{q(CARD, 'address-data')}")
    if node is None:
        return False, "3.0"
    return True, "4.0" if node.get("version") == "4.0" else "3.0"


def _answers(owner: User, root: ET.Element, cards: list[Card]) -> list[ET.Element]:
    wanted = dav.requested_props(root)
    with_data, version = _address_data(root)
    texts = render_cards(owner, cards, version) if with_data else {}
    answers = []
    for card in cards:
        available = card_props(card)
        if with_data:
            available[q(CARD, "address-data")] = texts.get(card.name, "")
        names = [tag for tag in wanted.names if tag != q(CARD, "address-data") or with_data]
        found = {tag: available[tag] for tag in names if tag in available}
        if wanted.all:
            found = available
        missing = [tag for tag in names if tag not in available]
        answers.append(dav.response(card_url(card.name), found, missing))
    return answers


def _sync(owner: User, root: ET.Element) -> HttpResponse:
    state = refresh(owner)
    token = (root.findtext(q(DAV, "sync-token")) or "").strip()
    since = 0
    if token:
        number = token_seq(token, state.book)
        if number is None or number > state.seq:
            return xml_response(dav.error(q(DAV, "valid-sync-token")), status=403)
        since = number
    if since == state.seq:
        # The phone is up to date: nothing to look up (a card changed since this read of
        # the counter carries a later number, which the next sync asks for).
        return xml_response(dav.multistatus([], sync_token(state.book, state.seq)))
    changed = Card.objects.filter(owner=owner, seq__gt=since).order_by("seq", "id")
    if not since:
        changed = changed.filter(present=True)
    cards = list(
        changed.only(
            "name", "etag", "present", "contact_id", "uid", "kept", "kept_version", "extra"
        )
    )
    present = [card for card in cards if card.present]
    answers = _answers(owner, root, present)
    answers += [dav.status_response(card_url(card.name), 404) for card in cards if not card.present]
    return xml_response(dav.multistatus(answers, sync_token(state.book, state.seq)))


def _matches(value: str, text: str, how: str) -> bool:
    if how == "equals":
        return value == text
    if how == "starts-with":
        return value.startswith(text)
    if how == "ends-with":
        return value.endswith(text)
    return text in value


def _text_matches(card_text: str, root: ET.Element) -> bool:
    """addressbook-query filters: prop-filters with text-match (contains, equals,
    starts-with, ends-with; case-insensitive), any or all of them."""
    filter_node = root.find(q(CARD, "filter"))
    if filter_node is None:
        return True
    lines = [line for line in card_text.replace("\r\n ", "").split("\r\n") if line]
    results = []
    for prop_filter in filter_node.findall(q(CARD, "prop-filter")):
        name = (prop_filter.get("name") or "").upper()
        values = [
            line.partition(":")[2].casefold()
            for line in lines
            if line.split(":")[0].split(";")[0].split(".")[-1].upper() == name
        ]
        if prop_filter.find(q(CARD, "is-not-defined")) is not None:
            results.append(not values)
            continue
        match = prop_filter.find(q(CARD, "text-match"))
        if match is None:
            results.append(bool(values))
            continue
        text = (match.text or "").casefold()
        found = any(_matches(value, text, match.get("match-type", "contains")) for value in values)
        results.append(not found if match.get("negate-condition") == "yes" else found)
    if not results:
        return True
    return all(results) if filter_node.get("test") == "allof" else any(results)


def report(request: HttpRequest, owner: User) -> HttpResponse:
    root = dav.parse(request.body)
    if root is None:
        return HttpResponse("A REPORT needs a body.", status=400, content_type="text/plain")
    if root.tag == q(DAV, "sync-collection"):
        return _sync(owner, root)
    refresh(owner)
    cards = Card.objects.filter(owner=owner, present=True)
    if root.tag == q(CARD, "addressbook-multiget"):
        names = [card_name(node.text or "") for node in root.findall(q(DAV, "href"))]
        wanted = [name for name in names if name]
        found = list(cards.filter(name__in=wanted))
        answers = _answers(owner, root, found)
        known = {card.name for card in found}
        answers += [dav.status_response(card_url(n), 404) for n in wanted if n not in known]
        return xml_response(dav.multistatus(answers))
    if root.tag == q(CARD, "addressbook-query"):
        everything = list(cards)
        texts = render_cards(owner, everything, "3.0")
        matching = [card for card in everything if _text_matches(texts.get(card.name, ""), root)]
        limit = root.findtext(f"{q(CARD, 'limit')}/{q(CARD, 'nresults')}")
        if limit and limit.strip().isdigit():
            matching = matching[: int(limit)]
        return xml_response(dav.multistatus(_answers(owner, root, matching)))
    return xml_response(dav.error(q(DAV, "supported-report")), status=403)
