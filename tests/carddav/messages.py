"""The raw CardDAV messages phones send, and readers for what Rapport answers."""

import re

COLLECTION = "/dav/addressbooks/rapport/"
SYNC = """<?xml version="1.0"?>
<d:sync-collection xmlns:d="DAV:"><d:sync-token>{token}</d:sync-token><d:sync-level>1</d:sync-level>
<d:prop><d:getetag/></d:prop></d:sync-collection>"""
# Ada as an iPhone writes her: Apple's item-grouped labels, a related name, an address.
ADA_CARD = (
    "BEGIN:VCARD\r\nVERSION:3.0\r\nUID:{uid}\r\nN:Okafor;Ada;;Dr.;\r\nFN:Dr. Ada Okafor\r\n"
    "item1.TEL:+44 20 7946 0000\r\nitem1.X-ABLabel:Mum's work\r\n"
    "EMAIL;TYPE=HOME:ada@example.com\r\n"
    "ADR;TYPE=HOME:;;1 Long Lane;London;;N1 1AA;UK\r\nNICKNAME:Addy\r\n"
    "item2.X-ABRELATEDNAMES:Ben\r\nitem2.X-ABLabel:_$!<Brother>!$_\r\nEND:VCARD\r\n"
)


def sync_token(body: bytes) -> str:
    """The sync token a sync-collection answer hands the phone for next time."""
    found = re.search(rb"<d:sync-token>([^<]+)</d:sync-token>", body)
    assert found, body
    return found.group(1).decode()


def hrefs(body: bytes) -> list[str]:
    return [h.decode() for h in re.findall(rb"<d:href>([^<]+)</d:href>", body)]


def unfolded(response: object) -> str:
    """A card's text with its folded long lines joined again."""
    return response.content.decode().replace("\r\n ", "")  # type: ignore[attr-defined]
