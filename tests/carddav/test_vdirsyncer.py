"""vdirsyncer, a CardDAV client nobody here wrote, syncing a folder of .vcf files (the
"phone") with a running Rapport, both ways. It finds the address book from the server's
root address alone (well-known, principal, home set), as phones do."""

import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import User
from pytest_django.live_server_helper import LiveServer

from carddav.models import AppPassword, Card
from carddav.views import dav as dav_views
from contacts.models import Contact
from contacts.services import contact_create, contact_update
from tests.factories import ContactFactory, UserFactory

VDIRSYNCER = str(Path(sys.executable).parent / "vdirsyncer")
CONFIG = """
[general]
status_path = "{root}/status/"

[pair phone_rapport]
a = "phone"
b = "rapport"
collections = ["from b"]
conflict_resolution = {resolution}

[storage phone]
type = "filesystem"
path = "{root}/phone/"
fileext = ".vcf"

[storage rapport]
type = "carddav"
url = "{url}/"
username = "{username}"
password = "{password}"
"""

Sync = Callable[..., subprocess.CompletedProcess[str]]


@pytest.fixture
def owner(transactional_db: None) -> User:
    return UserFactory(username="sync-owner")


@pytest.fixture
def vdirsyncer(tmp_path: Path, live_server: LiveServer, owner: User) -> Sync:
    secret = AppPassword.issue(owner=owner, name="vdirsyncer")[1]
    (tmp_path / "phone" / "rapport").mkdir(parents=True)

    def run(
        *args: str, resolution: str = "null", check: bool = True
    ) -> subprocess.CompletedProcess[str]:
        config = tmp_path / "config"
        config.write_text(
            CONFIG.format(
                root=tmp_path,
                url=live_server.url,
                username=owner.username,
                password=secret,
                resolution=resolution,
            )
        )
        result = subprocess.run(
            [VDIRSYNCER, "-c", str(config), *args],
            capture_output=True,
            text=True,
            timeout=60,
            input="y\n",
        )
        if check:
            assert result.returncode == 0, result.stdout + result.stderr
        return result

    run("discover")
    return run


def _phone(tmp_path: Path) -> dict[str, str]:
    folder = tmp_path / "phone" / "rapport"
    return {path.name: path.read_text() for path in sorted(folder.glob("*.vcf"))}


def test_it_syncs_both_ways_and_a_second_sync_changes_nothing(
    vdirsyncer: Sync, tmp_path: Path, owner: User
) -> None:
    maya = contact_create(owner=owner, first_name="Maya", last_name="Lind", phones=["+1 555 0100"])
    ContactFactory(owner=owner, first_name="Only", last_name="Followed", trust_level="following")
    ContactFactory(owner=owner, first_name="Zoe", last_name="Stays", trust_level="close")
    vdirsyncer("sync")
    cards = _phone(tmp_path)
    assert len(cards) == 2
    name, text = next((n, t) for n, t in cards.items() if "FN:Maya Lind" in t)
    assert "FN:Maya Lind" in text and "+1 555 0100" in text

    # Made on the phone: a new contact in Rapport, keeping its UID and its address.
    (tmp_path / "phone" / "rapport" / "ada.vcf").write_text(
        "BEGIN:VCARD\r\nVERSION:3.0\r\nUID:phone-ada\r\nN:Okafor;Ada;;;\r\nFN:Ada Okafor\r\n"
        "EMAIL;TYPE=WORK:ada@example.com\r\nADR;TYPE=HOME:;;1 Long Lane;London;;;UK\r\n"
        "END:VCARD\r\n"
    )
    # Edited on the phone.
    (tmp_path / "phone" / "rapport" / name).write_text(
        text.replace("N:Lind;Maya;;;", "N:Lind-Berg;Maya;;;")
    )
    vdirsyncer("sync")
    ada = Contact.objects.get(owner=owner, first_name="Ada")
    assert ada.trust_level is None
    assert Card.objects.get(contact=ada).uid == "phone-ada"
    maya.refresh_from_db()
    assert maya.last_name == "Lind-Berg"

    # Edited and deleted in Rapport.
    contact_update(contact=ada, notes="Met at PyCon")
    maya_card = Card.objects.get(contact=maya).name
    maya.delete()
    vdirsyncer("sync")
    cards = _phone(tmp_path)
    assert maya_card not in cards
    ada_text = cards["ada.vcf"]
    assert "NOTE:Met at PyCon" in ada_text and "ADR;TYPE=HOME:;;1 Long Lane;London;;;UK" in ada_text

    # Deleted on the phone: kept in Rapport, flagged.
    (tmp_path / "phone" / "rapport" / "ada.vcf").unlink()
    vdirsyncer("sync")
    assert Contact.objects.filter(pk=ada.pk).exists()
    assert Card.objects.get(contact=ada).deleted_on_phone_at is not None

    # Changed on both sides: vdirsyncer sees the conflict and, told nothing, overwrites
    # neither side; told that the phone wins, its version is stored as sent.
    zoe = Contact.objects.get(owner=owner, first_name="Zoe")
    zoe_file = next(
        p for p in (tmp_path / "phone" / "rapport").glob("*.vcf") if "Zoe" in p.read_text()
    )
    zoe_file.write_text(
        zoe_file.read_text().replace("END:VCARD", "ORG:Globex\r\nTITLE:Phone title\r\nEND:VCARD")
    )
    contact_update(contact=zoe, notes="Rapport note")
    refused = vdirsyncer("sync", check=False)
    assert refused.returncode != 0 and "conflict" in (refused.stdout + refused.stderr).lower()
    zoe.refresh_from_db()
    assert zoe.notes == "Rapport note" and "Phone title" in zoe_file.read_text()
    vdirsyncer("sync", resolution='"a wins"')
    assert (
        Contact.objects.get(pk=zoe.pk).positions.get(end_date__isnull=True).title == "Phone title"
    )

    # A PUT answers without an ETag when Rapport stores its own rendering of the card
    # (RFC 7231 4.3.4): the next sync brings that rendering to the phone, once.
    vdirsyncer("sync")
    assert "Phone title" in zoe_file.read_text()

    # Nothing changed: a second sync changes nothing on either side.
    before = (_phone(tmp_path), list(Card.objects.values_list("etag", "seq", "present")))
    result = vdirsyncer("sync")
    assert (_phone(tmp_path), list(Card.objects.values_list("etag", "seq", "present"))) == before
    assert "Copying" not in result.stdout + result.stderr


def test_a_write_from_a_version_changed_meanwhile_is_412_merged_and_then_fetched(
    vdirsyncer: Sync, tmp_path: Path, owner: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Rapport changes the card between vdirsyncer's listing and its upload: the upload's
    If-Match is stale. Rapport answers 412 (vdirsyncer reports the failed write) and
    merges the phone's edit in anyway; the next sync brings the merged card, with both
    phone numbers, to the phone."""
    maya = contact_create(owner=owner, first_name="Maya", last_name="Lind", phones=["+1 555 0100"])
    vdirsyncer("sync")
    path = next((tmp_path / "phone" / "rapport").glob("*.vcf"))
    path.write_text(path.read_text().replace("END:VCARD", "TEL;TYPE=WORK:+49 30 123\r\nEND:VCARD"))
    real_put = dav_views.card_put

    def put_after_an_edit_in_rapport(**kwargs: Any) -> Any:
        monkeypatch.setattr(dav_views, "card_put", real_put)
        contact_update(contact=maya, phones=["+1 555 0100", "+44 20 7946 0000"])
        return real_put(**kwargs)

    monkeypatch.setattr(dav_views, "card_put", put_after_an_edit_in_rapport)
    refused = vdirsyncer("sync", check=False)
    assert refused.returncode != 0 and "Precondition Failed" in refused.stderr
    numbers = set(maya.phones.values_list("number", flat=True))
    assert numbers == {"+1 555 0100", "+44 20 7946 0000", "+49 30 123"}
    assert Card.objects.get(contact=maya).conflicts[0]["kept"] == "both"
    vdirsyncer("sync", resolution='"b wins"')
    text = path.read_text()
    assert "+44 20 7946 0000" in text and "+49 30 123" in text
    assert "Copying" not in vdirsyncer("sync").stdout  # settled: nothing moves any more
