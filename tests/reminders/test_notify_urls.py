"""Apprise addresses: what is shown of them (never the secret) and what is blanked in errors."""

import pytest

from reminders.apprise_urls import check_url, redact, secret_pieces


@pytest.mark.parametrize(
    ("url", "service", "hint", "secrets"),
    [
        ("ntfy://my-long-secret-topic", "ntfy", "ntfys://my…ic", ["my-long-secret-topic"]),
        (
            "ntfys://me:hunter2@ntfy.example.com/rapport",
            "ntfy",
            "ntfys://me:****@ntfy.example.com/ra…rt",
            ["hunter2"],
        ),
        (
            "tgram://123456789:AAHbottoken/987654321",
            "Telegram",
            "tgram://1...n/98…21",
            ["123456789:AAHbottoken", "AAHbottoken"],
        ),
        (
            "matrixs://bot:pa55word@matrix.org/!room:matrix.org",
            "Matrix",
            "matrixs://bot:****@matrix.org/!r…rg",
            ["pa55word"],
        ),
        (
            "mailtos://me:app-password@gmail.com?to=me@example.com",
            "E-Mail",
            "mailtos://me:****@gmail.com/me…om",
            ["app-password"],
        ),
        ("pover://userkey1@apptoken1", "Pushover", "pover://u...1@a...1", ["apptoken1"]),
    ],
)
def test_an_address_is_shown_shortened_and_its_secrets_blanked(
    url: str, service: str, hint: str, secrets: list[str]
) -> None:
    checked = check_url(f"  {url} ")
    assert (checked.url, checked.service, checked.hint) == (url, service, hint)
    pieces = secret_pieces(url)
    for secret in secrets:
        assert secret not in checked.hint
        blanked = redact(f"Could not send to {url}: {secret} refused", pieces)
        assert secret not in blanked and "[hidden]" in blanked
