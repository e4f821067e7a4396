"""Upgrading to django-allauth: accounts made before it keep their passwords and log in.

Starts from the schema of the release before (crm's migrations up to 0002, none of
allauth's tables), makes users there as that release did, migrates forward and logs in.
"""

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth.hashers import make_password
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.db.migrations.state import ProjectState
from django.test import Client
from django.urls import reverse

BEFORE_ALLAUTH = [
    ("crm", "0002_task_outbox"),
    ("account", None),
    ("mfa", None),
    ("socialaccount", None),
    ("usersessions", None),
]


def _migrate(targets: list[tuple[str, str | None]] | None = None) -> ProjectState:
    executor = MigrationExecutor(connection)
    return executor.migrate(targets or executor.loader.graph.leaf_nodes())


@pytest.mark.django_db(transaction=True)
def test_existing_users_log_in_with_their_passwords_after_the_upgrade() -> None:
    state = _migrate(BEFORE_ALLAUTH)
    try:
        old = state.apps.get_model("auth", "User")
        old.objects.create(
            username="olga", email="Olga@Example.com", password=make_password("olga's old pw 1")
        )
        old.objects.create(
            username="root",
            email="root@example.com",
            password=make_password("root's old pw 22"),
            is_staff=True,
            is_superuser=True,
        )
        old.objects.create(username="nomail", email="", password=make_password("no mail pw 333"))
        # Two accounts that share an address (the old release allowed it).
        old.objects.create(username="twin1", email="twin@example.com", password=make_password("x"))
        old.objects.create(username="twin2", email="twin@example.com", password=make_password("y"))
    finally:
        _migrate()

    addresses = {a.user.username: a for a in EmailAddress.objects.select_related("user")}
    assert addresses["olga"].email == "olga@example.com"
    assert addresses["olga"].verified and addresses["olga"].primary
    assert "nomail" not in addresses
    assert "twin1" in addresses and "twin2" not in addresses

    for login, password in [
        ("olga", "olga's old pw 1"),
        ("olga@example.com", "olga's old pw 1"),
        ("root", "root's old pw 22"),
        ("nomail", "no mail pw 333"),
        ("twin2", "y"),
    ]:
        client = Client()
        response = client.post(reverse("account_login"), {"login": login, "password": password})
        assert response.status_code == 302, login
        assert client.get(reverse("contacts:list")).status_code == 200, login
    admin = Client()
    admin.post(reverse("account_login"), {"login": "root", "password": "root's old pw 22"})
    assert admin.get(reverse("admin:index")).status_code == 200
