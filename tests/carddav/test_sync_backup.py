"""Phone sync survives a JSON backup and restore (format 1.5, `phone_sync`): the phone
finds every card under the same name and UID with the same text (so the same ETag), the
lines Rapport has no field for come back, and so do who syncs and the flags the person
has not dealt with yet. App passwords never leave the account."""

import json

import pytest
from django.contrib.auth.models import User

from carddav.models import AppPassword, Card, SyncSettings
from carddav.services import card_delete, sync_settings_update
from contacts.exporters import FORMAT_MINOR_VERSION, export_json
from contacts.importers import run_import
from contacts.models import Contact
from tests.carddav.conftest import DavClient
from tests.carddav.messages import ADA_CARD, COLLECTION, hrefs, sync_token
from tests.factories import ContactFactory, TagFactory, UserFactory

PHONE_CARD = ADA_CARD.format(uid="PHONE-ADA")


def _book(dav: DavClient) -> dict[str, tuple[str, str]]:
    """What a phone holds after a fresh sync: {card name: (ETag, text)}."""
    body = dav.sync().content
    names = [h.removeprefix(COLLECTION) for h in hrefs(body)]
    held = {}
    for name in names:
        response = dav.request("GET", COLLECTION + name)
        held[name] = (response["ETag"], response.content.decode())
    return held


def _restore(document: str) -> User:
    owner = UserFactory(username="restored")
    report = run_import(owner=owner, source="json", data=document.encode())
    assert not report.skipped and not report.warnings, (report.skipped, report.warnings)
    return owner


@pytest.mark.django_db
def test_a_restore_gives_the_phone_the_same_cards_names_uids_and_kept_lines(
    user: User, dav: DavClient
) -> None:
    family = TagFactory(owner=user, name="family")
    ContactFactory(owner=user, first_name="Zoe", last_name="Stays", trust_level="close")
    gone = ContactFactory(owner=user, first_name="Gone", last_name="Phone", trust_level="met")
    dav.request("PUT", COLLECTION + "ada.vcf", PHONE_CARD, HTTP_IF_NONE_MATCH="*")
    before = _book(dav)
    old_token = sync_token(dav.sync().content)
    card_delete(owner=user, name=Card.objects.get(contact=gone).name, if_match=None)
    levels = ["close", "know_well", "unrated"]
    sync_settings_update(owner=user, levels=levels, tag_ids=[family.pk])

    document = "".join(export_json(user))
    backup = json.loads(document)
    assert backup["minor_version"] == FORMAT_MINOR_VERSION >= 5
    assert backup["phone_sync"]["settings"] == {"levels": levels, "tags": ["family"]}
    assert AppPassword.objects.get(owner=user).digest not in document
    assert "rapp_" not in document

    restored = _restore(document)
    phone = DavClient(restored, AppPassword.issue(owner=restored, name="phone")[1])
    after = _book(phone)
    held = {name: etag_text for name, etag_text in before.items() if "Gone" not in etag_text[1]}
    assert after == held  # same names, same UIDs, same text: same ETags, nothing re-sent
    assert (
        "NICKNAME:Addy" in after["ada.vcf"][1]
        and "item1.X-ABLabel:Mum's work" in after["ada.vcf"][1]
    )
    ada = Card.objects.get(owner=restored, name="ada.vcf")
    assert ada.uid == "PHONE-ADA" and ada.from_phone and ada.contact.trust_level is None  # type: ignore[union-attr]
    flagged = Card.objects.get(owner=restored, contact__first_name="Gone")
    assert flagged.deleted_on_phone_at is not None and not flagged.present
    state = SyncSettings.objects.get(owner=restored)
    assert state.levels == levels and list(state.tags.values_list("name", flat=True)) == ["family"]
    # The old account's sync token names another address book: refused, so the phone
    # syncs afresh (by name, as above) instead of reading changes against other numbers.
    refused = phone.sync(old_token)
    assert refused.status_code == 403 and b"valid-sync-token" in refused.content


@pytest.mark.django_db
def test_a_backup_without_phone_sync_still_restores_and_syncs(user: User, dav: DavClient) -> None:
    ContactFactory(owner=user, first_name="Zoe", last_name="Stays", trust_level="close")
    dav.request("PUT", COLLECTION + "ada.vcf", PHONE_CARD, HTTP_IF_NONE_MATCH="*")
    backup = json.loads("".join(export_json(user)))
    del backup["phone_sync"]
    backup["minor_version"] = 4  # as Rapport wrote it before 1.5
    restored = _restore(json.dumps(backup))
    phone = DavClient(restored, AppPassword.issue(owner=restored, name="phone")[1])
    assert len(_book(phone)) == 2
    assert Contact.objects.filter(owner=restored).count() == 2


@pytest.mark.django_db
def test_restoring_into_an_account_in_use_keeps_its_own_cards_and_settings(
    user: User, dav: DavClient
) -> None:
    dav.request("PUT", COLLECTION + "ada.vcf", PHONE_CARD, HTTP_IF_NONE_MATCH="*")
    backup = json.loads("".join(export_json(user)))
    backup["phone_sync"]["settings"] = {"levels": [], "tags": ["x"]}
    backup["phone_sync"]["cards"].append({"contact": 999, "uid": "../../etc", "name": "a/b"})
    other = UserFactory(username="busy")
    ContactFactory(owner=other, first_name="Already", last_name="Here")
    sync_settings_update(owner=other, levels=["close"], tag_ids=[])
    Card.objects.create(owner=other, uid="PHONE-ADA", name="mine.vcf", present=False)
    report = run_import(owner=other, source="json", data=json.dumps(backup).encode())
    assert any("already in use" in warning for warning in report.warnings)
    assert SyncSettings.objects.get(owner=other).levels == ["close"]
    ada = Contact.objects.get(owner=other, first_name="Ada")
    assert not Card.objects.filter(contact=ada).exists()  # a new card at the next sync
