"""Two-factor with an authenticator app: set up with a real TOTP generator (pyotp), log in
with a code, recovery codes work once each, wrong codes are limited, and an admin can
require two-factor of everyone."""

import datetime as dt
import re

import pyotp
import pytest
import time_machine
from allauth.mfa.models import Authenticator
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse
from pytest_django import Settings

from crm.account_limits import account_rate_limits
from tests.ownership import log_in_freshly

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery staple"
START = dt.datetime(2026, 12, 1, 9, 0, tzinfo=dt.UTC)


def _set_up_totp(client: Client, user: User) -> pyotp.TOTP:
    log_in_freshly(client, user)
    page = client.get(reverse("mfa_activate_totp"))
    assert page.status_code == 200
    secret = page.context["form"].secret
    assert f"secret={secret}" in page.context["totp_url"]
    totp = pyotp.TOTP(secret)
    response = client.post(reverse("mfa_activate_totp"), {"code": totp.now()})
    assert response.status_code == 302, response.context["form"].errors
    return totp


def _password_step(client: Client) -> None:
    response = client.post(reverse("account_login"), {"login": "alice", "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_authenticate")


def _recovery_codes(client: Client) -> list[str]:
    log_in_freshly(client, User.objects.get(username="alice"))
    page = client.get(reverse("mfa_view_recovery_codes")).text
    return re.findall(r"\b[0-9a-f]{8}\b", page)


def test_an_authenticator_app_guards_the_password_log_in(user: User) -> None:
    with time_machine.travel(START, tick=False) as clock:
        totp = _set_up_totp(Client(), user)
        assert Authenticator.objects.filter(user=user, type="totp").exists()
        assert Authenticator.objects.filter(user=user, type="recovery_codes").exists()

        client = Client()
        _password_step(client)
        # Half-way in: no page opens before the second step.
        assert client.get(reverse("contacts:list")).status_code == 302
        wrong = client.post(reverse("mfa_authenticate"), {"code": "000000"})
        assert wrong.status_code == 200
        assert "Incorrect code" in wrong.text
        clock.shift(dt.timedelta(seconds=31))
        done = client.post(reverse("mfa_authenticate"), {"code": totp.now()})
        assert done.status_code == 302
        assert client.get(reverse("contacts:list")).status_code == 200


def test_recovery_codes_work_once_each(user: User) -> None:
    with time_machine.travel(START, tick=False):
        setup = Client()
        _set_up_totp(setup, user)
        codes = _recovery_codes(setup)
        assert len(set(codes)) == 10

        first = Client()
        _password_step(first)
        assert first.post(reverse("mfa_authenticate"), {"code": codes[0]}).status_code == 302
        assert first.get(reverse("contacts:list")).status_code == 200

        again = Client()
        _password_step(again)
        reused = again.post(reverse("mfa_authenticate"), {"code": codes[0]})
        assert reused.status_code == 200
        assert again.get(reverse("contacts:list")).status_code == 302
        assert again.post(reverse("mfa_authenticate"), {"code": codes[1]}).status_code == 302
        assert len(_recovery_codes(Client())) == 8


def test_wrong_codes_are_limited_like_passwords(user: User, settings: Settings) -> None:
    settings.ACCOUNT_RATE_LIMITS = account_rate_limits(3, 600)
    with time_machine.travel(START, tick=False) as clock:
        totp = _set_up_totp(Client(), user)
        clock.shift(dt.timedelta(seconds=31))
        client = Client()
        _password_step(client)
        for _ in range(3):
            client.post(reverse("mfa_authenticate"), {"code": "123456"})
        locked = client.post(reverse("mfa_authenticate"), {"code": totp.now()})
        assert "Too many failed log-in attempts" in locked.text
        assert client.get(reverse("contacts:list")).status_code == 302


def test_turning_the_app_off_needs_a_fresh_password(user: User) -> None:
    with time_machine.travel(START, tick=False):
        client = Client()
        _set_up_totp(client, user)
        stale = Client()
        stale.force_login(user)
        response = stale.post(reverse("mfa_deactivate_totp"))
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("account_reauthenticate"))
        assert Authenticator.objects.filter(user=user, type="totp").exists()
        log_in_freshly(client, user)
        assert client.post(reverse("mfa_deactivate_totp")).status_code == 302
        assert not Authenticator.objects.filter(user=user, type="totp").exists()


def test_an_admin_can_require_two_factor_of_everyone(
    user: User, settings: Settings, auth_client: Client
) -> None:
    settings.REQUIRE_TWO_FACTOR = True
    response = auth_client.get(reverse("contacts:list"))
    assert response.status_code == 302
    assert response["Location"] == reverse("security")
    page = auth_client.get(reverse("security"))
    assert page.status_code == 200
    assert "requires two-factor" in page.text
    with time_machine.travel(START, tick=False):
        _set_up_totp(auth_client, user)
        assert auth_client.get(reverse("contacts:list")).status_code == 200
