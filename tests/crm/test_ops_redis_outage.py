"""With Redis unreachable (cache and broker), pages work, writes succeed once, tasks wait."""

from collections.abc import Iterator
from pathlib import Path

import pytest
from django.contrib.auth.models import User
from django.core import mail
from django.core.signals import got_request_exception
from django.test import Client, override_settings
from django.urls import reverse

from contacts.models import ImportJob, ImportStatus, Position
from crm.account_limits import account_rate_limits
from crm.models import TaskMessage
from crm.outbox import outbox_flush
from tests.crm.outage import PrivateRedis, free_port, redis_at
from tests.factories import ContactFactory, UserFactory
from tests.test_ownership_sweep import ALL_PATTERNS, CASES
from tests.test_robustness_sweep import SESSION_ENDING, _public_kwargs

CSV = (
    b"First Name,Last Name,URL,Email Address,Company,Position,Connected On\r\n"
    b"Jill,Okafor,https://www.linkedin.com/in/jill-okafor,,Northwind,Partner,14 Mar 2019\r\n"
)


@pytest.fixture
def redis_down() -> Iterator[str]:
    url = f"redis://127.0.0.1:{free_port()}/0"
    with redis_at(url):
        yield url


@pytest.fixture
def owner(db: None) -> User:
    user = UserFactory(username="outage")
    user.set_password("correct horse battery")
    user.save()
    return user


@pytest.fixture
def client_for(owner: User) -> Client:
    client = Client(raise_request_exception=False)
    client.force_login(owner)
    return client


@pytest.fixture
def errors() -> Iterator[list[str]]:
    import traceback

    seen: list[str] = []

    def record(sender: object, request: object = None, **kwargs: object) -> None:
        seen.append(traceback.format_exc())

    got_request_exception.connect(record)
    yield seen
    got_request_exception.disconnect(record)


PAGES = [n for n, _ in ALL_PATTERNS if n not in SESSION_ENDING]


@pytest.mark.parametrize("name", PAGES)
@pytest.mark.django_db
def test_every_page_and_partial_answers_without_redis(
    name: str, redis_down: str, owner: User, client_for: Client, errors: list[str]
) -> None:
    kwargs = CASES[name].make(owner)[0] if name in CASES else _public_kwargs(name, owner)
    url = reverse(name, kwargs=kwargs)
    for headers in ({}, {"HX-Request": "true"}):
        response = client_for.get(url, headers=headers)
        assert response.status_code < 500, f"{url} {headers}: {errors[:1]}"


@pytest.mark.django_db
def test_pages_say_background_work_is_paused(redis_down: str, client_for: Client) -> None:
    page = client_for.get(reverse("home"), follow=True)
    assert page.status_code == 200
    assert "Background work is paused" in page.text


@pytest.mark.django_db
def test_no_banner_while_redis_answers(client_for: Client) -> None:
    page = client_for.get(reverse("home"), follow=True)
    assert "Background work is paused" not in page.text


@pytest.mark.django_db
def test_log_in_works_and_a_guesser_is_still_locked_out(redis_down: str, owner: User) -> None:
    client = Client(raise_request_exception=False)
    login = reverse("account_login")
    good = {"login": "outage", "password": "correct horse battery"}
    assert client.get(login).status_code == 200
    assert client.post(login, good).status_code == 302
    guesser = Client(raise_request_exception=False)
    limit = 5
    with override_settings(ACCOUNT_RATE_LIMITS=account_rate_limits(limit, 900)):
        answers = [
            guesser.post(login, {"login": "outage", "password": f"guess {n}"}).status_code
            for n in range(limit + 1)
        ]
        # Counted in this process's memory while Redis is away: still limited, not blocked.
        assert answers == [200] * limit + [429]
        # Someone else, elsewhere, logs in as usual.
        assert Client(REMOTE_ADDR="10.0.0.2").post(login, good).status_code == 302


@pytest.mark.django_db
def test_password_reset_sends_the_mail(redis_down: str, owner: User) -> None:
    owner.email = "outage@example.com"
    owner.save()
    response = Client(raise_request_exception=False).post(
        reverse("account_reset_password"), {"email": "outage@example.com"}
    )
    assert response.status_code == 302
    assert len(mail.outbox) == 1


@pytest.mark.django_db(transaction=True)
def test_a_position_added_is_saved_once_answered_with_success_and_its_scan_waits(
    redis_down: str, owner: User, client_for: Client
) -> None:
    contact = ContactFactory(owner=owner)
    url = reverse("contacts:position_add", args=[contact.pk])
    data = {"company": "Initech", "title": "CTO", "start_date": "2025-11-20", "current": "on"}
    response = client_for.post(url, data, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert "Reminders are delayed" in response.text
    assert Position.objects.filter(contact=contact).count() == 1
    scans = TaskMessage.objects.filter(task="reminders.tasks.scan_user")
    assert [m.args for m in scans] == [[owner.pk, False]]
    # A second change while it waits adds no second scan.
    client_for.post(url, {**data, "company": "Globex"}, HTTP_HX_REQUEST="true")
    assert scans.count() == 1


@pytest.mark.django_db(transaction=True)
def test_what_waited_goes_out_when_the_broker_returns(
    redis_down: str, owner: User, client_for: Client
) -> None:
    contact = ContactFactory(owner=owner)
    client_for.post(
        reverse("contacts:position_add", args=[contact.pk]),
        {"company": "Initech", "title": "CTO", "start_date": "2025-11-20"},
    )
    assert TaskMessage.objects.count() == 1
    assert outbox_flush() == 0  # still down: nothing sent, nothing lost
    message = TaskMessage.objects.get()
    assert message.attempts == 2 and "111" in message.last_error


@pytest.mark.django_db(transaction=True)
def test_an_import_confirmed_while_redis_is_down_waits_and_then_runs(
    owner: User, client_for: Client, tmp_path: Path
) -> None:
    upload = client_for.post(
        reverse("contacts:import"),
        {"source": "linkedin", "file": _file("Connections.csv", CSV), "trust_level": ""},
    )
    job = ImportJob.objects.get(owner=owner)
    assert upload.status_code == 302
    with redis_at(f"redis://127.0.0.1:{free_port()}/0"):
        confirm = client_for.post(
            reverse("contacts:import_preview", args=[job.pk]), {"action": "commit"}
        )
        assert confirm.status_code == 302
        page = client_for.get(confirm["Location"])
        assert page.status_code == 200
        assert "will start when" in page.text
        job.refresh_from_db()
        assert job.status == ImportStatus.PENDING and job.report["confirmed"]
    # The broker is back (eager again, as a working broker would run it): the flush sends it.
    assert outbox_flush() == 1
    job.refresh_from_db()
    assert job.status == ImportStatus.DONE and job.created_count == 1
    assert not TaskMessage.objects.exists()


def _file(name: str, data: bytes) -> object:
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, data, content_type="text/csv")


@pytest.mark.django_db(transaction=True)
def test_a_real_redis_stopped_and_started_again(
    tmp_path: Path, owner: User, client_for: Client
) -> None:
    server = PrivateRedis(tmp_path)
    server.start()
    try:
        with redis_at(server.url):
            assert client_for.get(reverse("contacts:list")).status_code == 200
            server.stop()
            page = client_for.get(reverse("contacts:list"))
            assert page.status_code == 200
            assert "Background work is paused" in page.text
            contact = ContactFactory(owner=owner)
            client_for.post(
                reverse("contacts:position_add", args=[contact.pk]),
                {"company": "Initech", "title": "CTO", "start_date": "2025-11-20"},
            )
            assert TaskMessage.objects.count() == 1
            server.start()
            assert outbox_flush() == 1
            assert server.client().llen("celery") == 1  # the scan is on the queue now
            assert not TaskMessage.objects.exists()
    finally:
        server.stop()
