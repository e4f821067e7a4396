"""Log-in rate limiting (allauth's, counted on the normalised username): repeated failures
for one username get a 429, whatever the spelling."""

from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse
from pytest_django import Settings

from crm.account_limits import account_rate_limits
from crm.ratelimit import address_bucket, clear_failures, is_locked_out, record_failure
from tests.factories import UserFactory

PASSWORD = "correct horse battery staple"
FULL_WIDTH_ALICE = "\uff41\uff4c\uff49\uff43\uff45"


@pytest.fixture(autouse=True)
def _limits(settings: Settings) -> None:
    settings.LOGIN_LOCKOUT_SECONDS = 600
    settings.ACCOUNT_RATE_LIMITS = account_rate_limits(3, 600)
    settings.USE_X_FORWARDED_FOR = False


def _attempt(client: Client, username: str, password: str, **extra: Any) -> int:
    response = client.post(
        reverse("account_login"), {"login": username, "password": password}, **extra
    )
    return response.status_code


def test_it_locks_a_username_out_after_repeated_failures(client: Client, user: User) -> None:
    assert [_attempt(client, "alice", "wrong") for _ in range(3)] == [200, 200, 200]
    response = client.post(reverse("account_login"), {"login": "alice", "password": PASSWORD})
    assert response.status_code == 429
    assert response["Retry-After"] == "600"
    assert "Too many failed log-in attempts" in response.text
    assert "_auth_user_id" not in client.session


def test_it_treats_the_username_case_insensitively(client: Client, user: User) -> None:
    for name in ("alice", "ALICE", "Alice"):
        _attempt(client, name, "wrong")
    assert _attempt(client, "alice", PASSWORD) == 429


def test_it_lets_other_addresses_log_in_meanwhile(client: Client, user: User) -> None:
    for _ in range(3):
        _attempt(client, "alice", "wrong")
    assert _attempt(Client(), "alice", PASSWORD, REMOTE_ADDR="203.0.113.9") == 302


def test_it_caps_one_address_across_usernames(client: Client, user: User) -> None:
    for n in range(12):  # 4 x the limit, each username only once
        _attempt(client, f"guess{n}", "wrong")
    assert _attempt(client, "alice", PASSWORD) == 429


def test_a_successful_login_is_not_counted_but_does_not_wipe_failures(
    client: Client, user: User
) -> None:
    # Wiping the count on success would let a guesser who knows one password (their
    # own account elsewhere on the address) interleave successes to keep guessing.
    _attempt(client, "alice", "wrong")
    _attempt(client, "alice", "wrong")
    assert _attempt(client, "alice", PASSWORD) == 302
    client.logout()
    assert _attempt(client, "alice", PASSWORD) == 302
    client.logout()
    _attempt(client, "alice", "wrong")
    assert _attempt(client, "alice", PASSWORD) == 429


def test_the_admin_has_no_log_in_of_its_own_to_guess_on(client: Client, db: None) -> None:
    UserFactory(username="root", is_staff=True, is_superuser=True)
    response = client.post(reverse("admin:login"), {"username": "root", "password": "wrong"})
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
    assert "_auth_user_id" not in client.session


def test_it_uses_the_proxys_forwarded_address_only_when_told_to(
    client: Client, user: User, settings: Settings
) -> None:
    # Without trust, a forged X-Forwarded-For does not let a guesser escape the limit.
    for n in range(3):
        _attempt(client, "alice", "wrong", HTTP_X_FORWARDED_FOR=f"198.51.100.{n}")
    assert _attempt(client, "alice", PASSWORD, HTTP_X_FORWARDED_FOR="198.51.100.77") == 429

    # Behind our proxy every request comes from the proxy; the last entry is the client.
    settings.USE_X_FORWARDED_FOR = True
    behind_proxy = {"REMOTE_ADDR": "10.0.0.2"}
    for _ in range(3):
        _attempt(
            client, "alice", "wrong", HTTP_X_FORWARDED_FOR="1.2.3.4, 192.0.2.1", **behind_proxy
        )
    assert (
        _attempt(client, "alice", PASSWORD, HTTP_X_FORWARDED_FOR="192.0.2.1", **behind_proxy) == 429
    )
    assert (
        _attempt(Client(), "alice", PASSWORD, HTTP_X_FORWARDED_FOR="192.0.2.50", **behind_proxy)
        == 302
    )


def test_the_login_page_itself_stays_reachable(client: Client, user: User) -> None:
    for _ in range(4):
        _attempt(client, "alice", "wrong")
    assert client.get(reverse("account_login")).status_code == 200


def test_an_ipv6_guesser_cannot_escape_by_changing_address_within_its_64(
    client: Client, user: User
) -> None:
    for n in range(3):
        _attempt(client, "alice", "wrong", REMOTE_ADDR=f"2001:db8:1:2::{n + 1:x}")
    # Another address of the same /64 (what every IPv6 host can pick freely): still paused.
    assert _attempt(client, "alice", PASSWORD, REMOTE_ADDR="2001:db8:1:2:ffff::9") == 429
    # Another /64 is another network.
    assert _attempt(Client(), "alice", PASSWORD, REMOTE_ADDR="2001:db8:1:3::1") == 302


@pytest.mark.parametrize(
    ("address", "bucket"),
    [
        ("192.0.2.7", "192.0.2.7"),
        ("::ffff:192.0.2.7", "192.0.2.7"),
        ("2001:db8:1:2:3:4:5:6", "2001:db8:1:2::/64"),
        ("unknown", "unknown"),
    ],
)
def test_address_buckets(address: str, bucket: str) -> None:
    assert address_bucket(address) == bucket


def test_a_full_width_spelling_of_a_locked_username_is_locked_too(
    client: Client, user: User
) -> None:
    assert [_attempt(client, "alice", "wrong") for _ in range(3)] == [200, 200, 200]
    # NFKC turns full-width "alice" into "alice": authentication would log it in as alice.
    assert _attempt(client, FULL_WIDTH_ALICE, PASSWORD) == 429
    assert _attempt(client, FULL_WIDTH_ALICE.upper(), PASSWORD) == 429
    assert "_auth_user_id" not in client.session


def test_failures_under_another_spelling_count_for_the_same_username(
    client: Client, user: User
) -> None:
    for spelling in (FULL_WIDTH_ALICE, "ALICE", "alice"):
        assert _attempt(client, spelling, "wrong") == 200
    assert _attempt(client, "alice", PASSWORD) == 429


def _change(client: Client, old: str) -> int:
    new = "a new long phrase 42"
    data = {"oldpassword": old, "password1": new, "password2": new}
    return client.post(reverse("account_change_password"), data).status_code


def test_wrong_old_passwords_pause_the_password_change(client: Client, user: User) -> None:
    client.force_login(user)
    assert [_change(client, "wrong") for _ in range(3)] == [200, 200, 200]
    assert _change(client, PASSWORD) == 429
    user.refresh_from_db()
    assert user.check_password(PASSWORD)  # unchanged


def test_the_password_change_pause_is_per_account(client: Client, user: User) -> None:
    client.force_login(user)
    for _ in range(3):
        _change(client, "wrong")
    other = UserFactory(username="bob")
    other.set_password(PASSWORD)
    other.save()
    client.force_login(other)
    assert _change(client, PASSWORD) == 302


def test_sign_ins_outside_allauth_share_the_normalised_counter(rf, settings: Settings) -> None:
    # CardDAV's HTTP Basic counts its failures with crm.ratelimit, on the same rule.
    settings.LOGIN_FAILURE_LIMIT = 3
    request = rf.get("/", REMOTE_ADDR="192.0.2.5")
    for spelling in ("alice", "ALICE", FULL_WIDTH_ALICE):
        assert not is_locked_out(request, "alice")
        record_failure(None, {"username": spelling}, request=request)
    assert is_locked_out(request, FULL_WIDTH_ALICE.upper())
    assert not is_locked_out(rf.get("/", REMOTE_ADDR="192.0.2.6"), "alice")
    clear_failures(request, "Alice")
    assert not is_locked_out(request, "alice")
