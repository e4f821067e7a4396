"""WebDAV XML in and out: requests read with defusedxml (no DTDs, no entities),
multistatus answers written with ElementTree."""

from collections.abc import Iterable
from dataclasses import dataclass, field
from xml.etree import ElementTree as ET

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring

DAV = "DAV:"
CARD = "urn:ietf:params:xml:ns:carddav"
CS = "http://calendarserver.org/ns/"
ET.register_namespace("d", DAV)
ET.register_namespace("card", CARD)
ET.register_namespace("cs", CS)


def q(namespace: str, name: str) -> str:
    return f"{{{namespace}}}{name}"


class BadXml(ValueError):
    pass


def parse(body: bytes) -> ET.Element | None:
    """The request's XML root, or None for an empty body; BadXml if unreadable."""
    if not body.strip():
        return None
    try:
        return fromstring(body, forbid_dtd=True, forbid_entities=True, forbid_external=True)
    except (ET.ParseError, DefusedXmlException, ValueError) as error:
        raise BadXml(f"The request body is not well-formed XML: {error}"[:200]) from error


@dataclass
class PropRequest:
    """Which properties a PROPFIND or REPORT asked for."""

    names: list[str] = field(default_factory=list)
    all: bool = False
    names_only: bool = False


def requested_props(root: ET.Element | None) -> PropRequest:
    if root is None or root.find(q(DAV, "allprop")) is not None:
        return PropRequest(all=True)
    if root.find(q(DAV, "propname")) is not None:
        return PropRequest(all=True, names_only=True)
    prop = root.find(q(DAV, "prop"))
    if prop is None:
        return PropRequest(all=True)
    return PropRequest(names=[child.tag for child in prop])


Value = str | ET.Element | list[ET.Element] | None


def element(tag: str, text: str | None = None, children: Iterable[ET.Element] = ()) -> ET.Element:
    node = ET.Element(tag)
    if text is not None:
        node.text = text
    node.extend(children)
    return node


def href(url: str) -> ET.Element:
    return element(q(DAV, "href"), url)


def response(url: str, found: dict[str, Value], missing: Iterable[str] = ()) -> ET.Element:
    """One <response>: 200 propstat for the found properties, 404 for the missing."""
    node = element(q(DAV, "response"), children=[href(url)])
    if found:
        prop = element(q(DAV, "prop"))
        for tag, value in found.items():
            child = element(tag)
            if isinstance(value, str):
                child.text = value
            elif isinstance(value, ET.Element):
                child.append(value)
            elif isinstance(value, list):
                child.extend(value)
            prop.append(child)
        node.append(element(q(DAV, "propstat"), children=[prop, _status(200)]))
    missing = list(missing)
    if missing:
        prop = element(q(DAV, "prop"), children=[element(tag) for tag in missing])
        node.append(element(q(DAV, "propstat"), children=[prop, _status(404)]))
    return node


def status_response(url: str, code: int) -> ET.Element:
    return element(q(DAV, "response"), children=[href(url), _status(code)])


def _status(code: int) -> ET.Element:
    reasons = {200: "OK", 404: "Not Found", 403: "Forbidden"}
    return element(q(DAV, "status"), f"HTTP/1.1 {code} {reasons.get(code, '')}".strip())


def multistatus(responses: Iterable[ET.Element], sync_token: str | None = None) -> bytes:
    root = element(q(DAV, "multistatus"), children=responses)
    if sync_token is not None:
        root.append(element(q(DAV, "sync-token"), sync_token))
    return ET.tostring(root, encoding="utf-8", xml_declaration=True)


def error(condition: str, message: str = "") -> bytes:
    root = element(q(DAV, "error"), children=[element(condition)])
    if message:
        root.append(element(q("http://rapport.invalid/ns/", "message"), message))
    return ET.tostring(root, encoding="utf-8", xml_declaration=True)
