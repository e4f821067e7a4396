import os

import pytest
from django.contrib.auth.models import User
from django.test import Client
from hypothesis import settings as hypothesis_settings

from tests.factories import UserFactory

# Playwright drives Chromium from its own thread; Django's async-safety guard
# would otherwise refuse the live server's database work.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

# The property tests check date rules, not speed: hypothesis's 200 ms per-example
# deadline only measures how busy the (shared, two-core) CI machine is.
hypothesis_settings.register_profile("rapport", deadline=None)
hypothesis_settings.load_profile("rapport")


@pytest.fixture
def user(db) -> User:
    return UserFactory(username="alice")


@pytest.fixture
def other_user(db) -> User:
    return UserFactory(username="mallory")


@pytest.fixture
def auth_client(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture(autouse=True)
def _fresh_cache() -> None:
    """Each test starts with an empty cache: login failure counts (crm/ratelimit.py) and
    the cached scheduler state would otherwise leak from one test into the next."""
    from django.core.cache import cache

    cache.clear()
