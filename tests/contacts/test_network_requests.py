"""Connection requests: added by hand or imported from Invitations.csv, then decided."""

import datetime as dt
from functools import partial
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from contacts import connection_requests
from contacts.models import ConnectionRequest, Contact, RequestDirection, RequestStatus, TrustLevel
from tests.factories import ConnectionRequestFactory, ContactFactory, UserFactory
from tests.queries import assert_flat, queries_to_get

# LinkedIn's Invitations.csv as exported in 2026 (see /work/shared/samples).
SAMPLE = (
    "From,To,Sent At,Message,Direction,inviterProfileUrl,inviteeProfileUrl\r\n"
    'Marcus Vell,Sam Owner,"9/25/26, 8:52 AM","Hi Sam, I saw your talk on Django and would '
    'love to connect.",INCOMING,https://www.linkedin.com/in/marcus-vell,'
    "https://www.linkedin.com/in/sam-owner\r\n"
    'Growth Hacker Pro,Sam Owner,"9/20/26, 4:10 PM",,INCOMING,'
    "https://www.linkedin.com/in/growth-hacker-pro-500plus,https://www.linkedin.com/in/sam-owner\r\n"
    'Sam Owner,Priya Raman,"8/02/26, 11:05 AM",,OUTGOING,https://www.linkedin.com/in/sam-owner,'
    "https://www.linkedin.com/in/priya-raman\r\n"
)
# Exports before late 2023: no URL columns, and a preamble before the header.
OLD = (
    "\ufeffNotes:\n"
    '"Some export notes, with a comma"\n'
    "\n"
    "From,To,Sent At,Message,Direction\n"
    'Ana Lima,Sam Owner,"1/5/23, 9:00 PM","Hello, from the meetup",INCOMING\n'
    ",,,,\n"
    'Sam Owner,Bo Berg,"12/31/22, 7:15 AM",,OUTGOING\n'
    'Nobody,Sam Owner,"1/6/23, 9:00 PM",,SIDEWAYS\n'
)
XSS = '<script>alert(1)</script>"><img src=x onerror=alert(1)>'


def upload(client: Client, content: bytes, name: str = "Invitations.csv"):
    return client.post(
        reverse("contacts:requests_import"), {"file": SimpleUploadedFile(name, content)}
    )


def decide(client: Client, req: ConnectionRequest, action: str, htmx: bool = False, **data):
    prefix = f"r{req.pk}"
    payload = {f"{prefix}-action": action, **{f"{prefix}-{k}": v for k, v in data.items()}}
    headers = {"HX-Request": "true"} if htmx else {}
    return client.post(reverse("contacts:request_decide", args=[req.pk]), payload, headers=headers)


@pytest.mark.django_db
def test_it_imports_the_sample_both_directions(user: User) -> None:
    counts = connection_requests.invitations_import(owner=user, text=SAMPLE).counts()
    assert counts == {"created": 3, "already_imported": 0, "skipped": 0}
    marcus = ConnectionRequest.objects.get(name="Marcus Vell")
    assert marcus.owner == user
    assert marcus.direction == RequestDirection.INCOMING
    assert marcus.linkedin_url == "https://www.linkedin.com/in/marcus-vell"
    assert marcus.message.startswith("Hi Sam, I saw your talk")
    assert marcus.sent_at == dt.datetime(2026, 9, 25, 8, 52, tzinfo=ZoneInfo("UTC"))
    assert marcus.status == RequestStatus.PENDING
    priya = ConnectionRequest.objects.get(direction=RequestDirection.OUTGOING)
    assert priya.name == "Priya Raman"
    assert priya.linkedin_url == "https://www.linkedin.com/in/priya-raman"


@pytest.mark.django_db
def test_it_reads_sent_at_in_the_users_time_zone(user: User) -> None:
    from crm.models import UserSettings

    UserSettings.objects.update_or_create(user=user, defaults={"time_zone": "Europe/Berlin"})
    connection_requests.invitations_import(owner=user, text=SAMPLE).counts()
    marcus = ConnectionRequest.objects.get(name="Marcus Vell")
    assert marcus.sent_at == dt.datetime(2026, 9, 25, 6, 52, tzinfo=ZoneInfo("UTC"))


@pytest.mark.django_db
def test_reimporting_the_same_file_creates_nothing(user: User) -> None:
    connection_requests.invitations_import(owner=user, text=SAMPLE).counts()
    connection_requests.invitations_import(owner=user, text=OLD).counts()
    ConnectionRequest.objects.filter(name="Marcus Vell").update(status=RequestStatus.IGNORED)
    assert connection_requests.invitations_import(owner=user, text=SAMPLE).counts() == {
        "created": 0,
        "already_imported": 3,
        "skipped": 0,
    }
    assert connection_requests.invitations_import(owner=user, text=OLD).counts()["created"] == 0
    assert ConnectionRequest.objects.count() == 5
    assert ConnectionRequest.objects.get(name="Marcus Vell").status == RequestStatus.IGNORED


@pytest.mark.django_db
def test_it_reads_old_exports_by_content(user: User) -> None:
    report = connection_requests.invitations_import(owner=user, text=OLD)
    assert report.counts() == {"created": 2, "already_imported": 0, "skipped": 1}
    assert "SIDEWAYS" in report.problems[0]
    ana = ConnectionRequest.objects.get(name="Ana Lima")
    assert ana.linkedin_url == ""
    assert ana.message == "Hello, from the meetup"
    assert ana.sent_at == dt.datetime(2023, 1, 5, 21, 0, tzinfo=ZoneInfo("UTC"))
    assert ConnectionRequest.objects.get(name="Bo Berg").direction == RequestDirection.OUTGOING


@pytest.mark.django_db
def test_it_keeps_each_users_requests_apart(user: User, other_user: User) -> None:
    connection_requests.invitations_import(owner=other_user, text=SAMPLE).counts()
    assert connection_requests.invitations_import(owner=user, text=SAMPLE).counts()["created"] == 3
    assert ConnectionRequest.objects.filter(owner=user).count() == 3


@pytest.mark.django_db
def test_it_refuses_a_file_that_is_not_invitations(user: User) -> None:
    with pytest.raises(connection_requests.InvitationsFormatError):
        connection_requests.invitations_import(
            owner=user, text="First Name,Last Name\nAda,L\n"
        ).counts()


@pytest.mark.django_db
def test_the_upload_form_imports_and_reports(auth_client: Client, user: User) -> None:
    response = upload(auth_client, SAMPLE.encode())
    assert response.status_code == 302
    page = auth_client.get(response["Location"])
    body = page.content.decode()
    assert "Imported 3 new requests." in body
    assert "already" not in body and "skipped" not in body
    again = auth_client.get(upload(auth_client, SAMPLE.encode())["Location"])
    assert "Imported 0 new requests. 3 were already here." in again.content.decode()
    assert "Marcus Vell" in body and "Growth Hacker Pro" in body


@pytest.mark.django_db
def test_the_upload_reads_windows_1252_and_says_so(auth_client: Client, user: User) -> None:
    text = 'From,To,Sent At,Message,Direction\nZoë Lefèvre,Sam,"1/5/23, 9:00 PM",,INCOMING\n'
    response = upload(auth_client, text.encode("cp1252"))
    assert response.status_code == 302
    assert ConnectionRequest.objects.get().name == "Zoë Lefèvre"
    assert "Windows-1252" in auth_client.get(response["Location"]).content.decode()


@pytest.mark.django_db
def test_the_upload_rejects_a_wrong_file_clearly(auth_client: Client, user: User) -> None:
    response = upload(auth_client, b"First Name,Last Name,URL\nAda,Lovelace,\n", "Connections.csv")
    assert response.status_code == 400
    assert "not LinkedIn&#x27;s Invitations.csv" in response.content.decode()
    response = upload(auth_client, b"\x00\x01\x02garbage")
    assert response.status_code == 400
    response = auth_client.post(reverse("contacts:requests_import"), {})
    assert response.status_code == 400
    assert not ConnectionRequest.objects.exists()


@pytest.mark.django_db
def test_the_upload_refuses_files_over_the_limit(auth_client: Client, user: User, settings) -> None:
    settings.IMPORT_MAX_BYTES = 1024
    response = upload(auth_client, SAMPLE.encode() * 10)
    assert response.status_code == 413
    assert "too large" in response.content.decode()
    assert not ConnectionRequest.objects.exists()


@pytest.mark.django_db
def test_it_adds_a_request_by_hand(auth_client: Client, user: User) -> None:
    response = auth_client.post(
        reverse("contacts:requests"),
        {
            "name": "  Ada   Lovelace ",
            "linkedin_url": "linkedin.com/in/Ada-L/",
            "direction": "incoming",
            "message": "Hi",
        },
    )
    assert response.status_code == 302
    req = ConnectionRequest.objects.get()
    assert (req.name, req.linkedin_url) == ("Ada Lovelace", "https://www.linkedin.com/in/ada-l")
    assert req.sent_at is not None


@pytest.mark.django_db
def test_adding_by_hand_validates(auth_client: Client, user: User) -> None:
    url = reverse("contacts:requests")
    response = auth_client.post(
        url, {"name": "Ada", "linkedin_url": "https://evil.example/in/x", "direction": "incoming"}
    )
    assert response.status_code == 200
    assert response.context["add_form"].errors["linkedin_url"]
    response = auth_client.post(url, {"name": "", "direction": "incoming"})
    assert response.context["add_form"].errors["name"]
    ConnectionRequestFactory(owner=user, linkedin_url="https://www.linkedin.com/in/ada")
    response = auth_client.post(
        url, {"name": "Ada", "linkedin_url": "linkedin.com/in/ada", "direction": "incoming"}
    )
    assert "already a request" in response.content.decode()
    assert ConnectionRequest.objects.count() == 1


@pytest.mark.django_db
def test_i_know_them_creates_a_contact_with_trust_and_how_we_met(
    auth_client: Client, user: User
) -> None:
    connection_requests.invitations_import(owner=user, text=SAMPLE).counts()
    req = ConnectionRequest.objects.get(name="Marcus Vell")
    response = decide(
        auth_client,
        req,
        "know",
        htmx=True,
        trust_level=TrustLevel.ACQUAINTANCE,
        how_we_met="Spoke after my Django talk",
    )
    assert response.status_code == 200
    assert "I know them" in response.content.decode()
    req.refresh_from_db()
    contact = req.contact
    assert contact is not None
    assert req.status == RequestStatus.KNOWN and req.decided_at is not None
    assert (contact.first_name, contact.last_name) == ("Marcus", "Vell")
    assert contact.trust_level == TrustLevel.ACQUAINTANCE
    assert contact.how_we_met == "Spoke after my Django talk"
    assert contact.linkedin_url == "https://www.linkedin.com/in/marcus-vell"
    assert "saw your talk on Django" in contact.notes
    assert "marcus" in contact.search_text


@pytest.mark.django_db
def test_i_know_them_requires_how_we_met(auth_client: Client, user: User) -> None:
    req = ConnectionRequestFactory(owner=user, name="Marcus Vell")
    response = decide(auth_client, req, "know", htmx=True, trust_level="met", how_we_met="")
    assert response.status_code == 200
    assert "Say how you met" in response.content.decode()
    response = decide(auth_client, req, "know", trust_level="met", how_we_met="")
    assert response.status_code == 400
    assert "Say how you met" in response.content.decode()
    req.refresh_from_db()
    assert req.status == RequestStatus.PENDING
    assert not Contact.objects.exists()


@pytest.mark.django_db
def test_i_know_them_refuses_following_as_the_level(auth_client: Client, user: User) -> None:
    req = ConnectionRequestFactory(owner=user)
    response = decide(auth_client, req, "know", trust_level="following", how_we_met="Work")
    assert response.status_code == 400
    assert not Contact.objects.exists()


@pytest.mark.django_db
def test_follow_only_creates_a_following_contact(auth_client: Client, user: User) -> None:
    req = ConnectionRequestFactory(owner=user, name="Growth Hacker Pro", message="")
    response = decide(auth_client, req, "follow")
    assert response.status_code == 302
    req.refresh_from_db()
    assert req.status == RequestStatus.FOLLOWING
    assert req.contact is not None
    assert req.contact.trust_level == TrustLevel.FOLLOWING
    assert (req.contact.first_name, req.contact.last_name) == ("Growth Hacker", "Pro")


@pytest.mark.django_db
def test_ignore_creates_no_contact(auth_client: Client, user: User) -> None:
    req = ConnectionRequestFactory(owner=user)
    response = decide(auth_client, req, "ignore", htmx=True)
    assert response.status_code == 200
    req.refresh_from_db()
    assert req.status == RequestStatus.IGNORED
    assert req.contact is None
    assert not Contact.objects.exists()
    listing = auth_client.get(reverse("contacts:requests"))
    assert req.name not in listing.content.decode()
    decided = auth_client.get(reverse("contacts:requests"), {"show": "decided"})
    assert req.name in decided.content.decode()


@pytest.mark.django_db
def test_a_request_from_an_existing_contact_links_to_them(user: User) -> None:
    known = ContactFactory(
        owner=user,
        trust_level=TrustLevel.CLOSE,
        linkedin_url="https://www.linkedin.com/in/marcus-vell",
    )
    req = ConnectionRequestFactory(owner=user, linkedin_url=known.linkedin_url)
    assert connection_requests.request_follow(request=req) == known
    known.refresh_from_db()
    assert known.trust_level == TrustLevel.CLOSE
    assert Contact.objects.count() == 1


@pytest.mark.django_db
def test_a_request_is_decided_once(user: User) -> None:
    req = ConnectionRequestFactory(owner=user)
    connection_requests.request_ignore(request=req)
    with pytest.raises(ValidationError):
        connection_requests.request_follow(request=req)
    assert not Contact.objects.exists()


@pytest.mark.django_db
def test_an_unknown_action_is_a_clear_error(auth_client: Client, user: User) -> None:
    req = ConnectionRequestFactory(owner=user)
    assert decide(auth_client, req, "befriend").status_code == 400
    req.refresh_from_db()
    assert req.status == RequestStatus.PENDING


@pytest.mark.django_db
def test_the_page_explains_why_strangers_dilute_connections(auth_client: Client) -> None:
    body = auth_client.get(reverse("contacts:requests")).content.decode()
    assert "Accepting requests from strangers dilutes what a connection means" in body


@pytest.mark.django_db
def test_its_query_count_does_not_grow(auth_client: Client, user: User) -> None:
    ConnectionRequestFactory.create_batch(2, owner=user)
    assert_flat(
        partial(queries_to_get, auth_client, reverse("contacts:requests")),
        partial(ConnectionRequestFactory.create_batch, 40, owner=user),
    )


@pytest.mark.django_db
def test_it_escapes_what_requests_contain(auth_client: Client, user: User) -> None:
    ConnectionRequestFactory(owner=user, name=XSS, message=XSS)
    body = auth_client.get(reverse("contacts:requests")).content.decode()
    assert "<script>alert(1)</script>" not in body
    assert "<img src=x" not in body


@pytest.mark.django_db
def test_the_inbox_says_when_someone_is_already_a_contact(auth_client: Client, user: User) -> None:
    known = ContactFactory(
        owner=user, first_name="Marcus", linkedin_url="https://www.linkedin.com/in/marcus-vell"
    )
    ContactFactory(
        owner=UserFactory(username="eve"), linkedin_url="https://www.linkedin.com/in/ana-lima"
    )
    ConnectionRequestFactory(owner=user, name="Marcus Vell", linkedin_url=known.linkedin_url)
    ConnectionRequestFactory(
        owner=user, name="Ana Lima", linkedin_url="https://www.linkedin.com/in/ana-lima"
    )
    body = auth_client.get(reverse("contacts:requests")).content.decode()
    assert body.count("Already in your contacts") == 1
    assert known.get_absolute_url() in body
