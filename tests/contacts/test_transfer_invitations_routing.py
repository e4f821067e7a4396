"""LinkedIn's Invitations.csv dropped on the Import page goes to connection requests.

Alone or as the only people file in the export ZIP, it is recognised by its header and
imported as requests, never refused or read as connections; the full export ZIP (with
Connections.csv) keeps going through the people import, which reads both.
"""

import io
import zipfile

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from contacts.connection_requests import invitations_in_upload, looks_like_invitations
from contacts.models import ConnectionRequest, Contact, ImportJob, ImportSource

pytestmark = pytest.mark.django_db

INVITATIONS = (
    b"From,To,Sent At,Message,Direction,inviterProfileUrl,inviteeProfileUrl\r\n"
    b'Marcus Vell,Sam Owner,"9/25/26, 8:52 AM",Hi,INCOMING,'
    b"https://www.linkedin.com/in/marcus-vell,https://www.linkedin.com/in/sam-owner\r\n"
    b'Sam Owner,Priya Raman,"8/02/26, 11:05 AM",,OUTGOING,'
    b"https://www.linkedin.com/in/sam-owner,https://www.linkedin.com/in/priya-raman\r\n"
)
CONNECTIONS = (
    b"First Name,Last Name,URL,Email Address,Company,Position,Connected On\r\n"
    b"Ada,Lovelace,https://www.linkedin.com/in/ada,,Analytical,Engineer,01 Mar 2024\r\n"
)


def _zip(**members: bytes) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in members.items():
            archive.writestr(f"Basic_LinkedInDataExport/{name}.csv", data)
    return buffer.getvalue()


def _upload(client: Client, data: bytes, name: str, source: str = ImportSource.LINKEDIN):
    file = io.BytesIO(data)
    file.name = name
    return client.post(reverse("contacts:import"), {"source": source, "file": file}, follow=True)


def test_invitations_csv_on_the_import_page_becomes_connection_requests(
    auth_client: Client, user: User
) -> None:
    response = _upload(auth_client, INVITATIONS, "Invitations.csv")
    assert response.redirect_chain[-1][0] == reverse("contacts:requests")
    html = response.content.decode()
    assert "That was LinkedIn&#x27;s Invitations.csv" in html or "That was LinkedIn's" in html
    assert "Imported 2 new requests." in html
    assert set(ConnectionRequest.objects.filter(owner=user).values_list("name", flat=True)) == {
        "Marcus Vell",
        "Priya Raman",
    }
    assert not Contact.objects.filter(owner=user).exists()
    assert not ImportJob.objects.filter(owner=user).exists()


def test_it_is_recognised_whatever_kind_was_chosen_and_whatever_its_name(
    auth_client: Client, user: User
) -> None:
    response = _upload(auth_client, INVITATIONS, "download (3).csv", source=ImportSource.VCARD)
    assert response.redirect_chain[-1][0] == reverse("contacts:requests")
    assert ConnectionRequest.objects.filter(owner=user).count() == 2


def test_a_zip_with_only_invitations_becomes_connection_requests(
    auth_client: Client, user: User
) -> None:
    response = _upload(auth_client, _zip(Invitations=INVITATIONS), "export.zip")
    assert response.redirect_chain[-1][0] == reverse("contacts:requests")
    assert ConnectionRequest.objects.filter(owner=user).count() == 2


def test_the_whole_export_zip_still_previews_its_connections(
    auth_client: Client, user: User
) -> None:
    data = _zip(Connections=CONNECTIONS, Invitations=INVITATIONS)
    response = _upload(auth_client, data, "export.zip", source=ImportSource.VCARD)
    job = ImportJob.objects.get(owner=user)
    assert job.source == ImportSource.LINKEDIN  # a ZIP can only be LinkedIn's export
    assert response.redirect_chain[0][0] == reverse("contacts:import_preview", args=[job.pk])


def test_connections_csv_is_not_mistaken_for_invitations(auth_client: Client, user: User) -> None:
    response = _upload(auth_client, CONNECTIONS, "Connections.csv")
    job = ImportJob.objects.get(owner=user)
    assert response.redirect_chain[0][0] == reverse("contacts:import_preview", args=[job.pk])
    assert not ConnectionRequest.objects.exists()


def test_unreadable_invitations_come_back_as_a_form_error(auth_client: Client, user: User) -> None:
    data = INVITATIONS.replace(b"Marcus", b"Mar\x00cus")
    response = _upload(auth_client, data, "Invitations.csv")
    assert response.status_code == 400
    assert "looks binary" in response.content.decode()
    assert not ConnectionRequest.objects.exists()


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (INVITATIONS, True),
        (b"\xef\xbb\xbf" + INVITATIONS, True),
        (b"Notes:\r\nexported by LinkedIn\r\n\r\n" + INVITATIONS, True),
        (CONNECTIONS, False),
        (b"BEGIN:VCARD\r\nVERSION:3.0\r\nEND:VCARD\r\n", False),
        (b"\x00\x01\x02", False),
        (b"", False),
    ],
)
def test_it_tells_invitations_by_their_header(data: bytes, expected: bool) -> None:
    assert looks_like_invitations(data) is expected


def test_a_damaged_zip_is_left_for_the_importer_to_explain() -> None:
    assert invitations_in_upload(b"PK\x03\x04 not really a zip") is None
