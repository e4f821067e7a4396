"""Links Rapport builds from stored data, safe whatever the data holds."""

from urllib.parse import quote


def mailto_url(email: str, subject: str = "", body: str = "") -> str:
    """A mailto: link (RFC 6068) that opens exactly this address, subject and body.

    Every reserved character is encoded, the address's too: an imported address
    such as `a?bcc=spy@example.com` must not add recipients. The subject is one
    header line, so its line breaks become spaces; the body's are CRLF.
    """
    subject = " ".join(subject.splitlines())
    body = body.replace("\r\n", "\n").replace("\r", "\n").replace("\n", "\r\n")
    query = "&".join(
        f"{name}={quote(value, safe='')}"
        for name, value in (("subject", subject), ("body", body))
        if value
    )
    return f"mailto:{quote(email, safe='@')}" + (f"?{query}" if query else "")
