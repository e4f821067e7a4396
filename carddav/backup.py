"""Phone sync in the JSON backup (format 1.5, `phone_sync`): what a restore needs so that
phones neither duplicate nor strip a card.

Per contact: the card's UID and resource name (phones know a card by them), the lines a
phone sent that Rapport has no field for or spells its own way, whether it was made on a
phone, a pending "deleted on a phone" flag and unseen conflicts. For the account: who
syncs (trust levels and tag names). App passwords are never exported: devices sign in
again with new ones. ETags and change numbers are not kept either: the restored address
book gets a new sync-token series, so phones sync it afresh, matching cards by name, and
a card whose text is unchanged keeps its ETag.
"""

from collections.abc import Iterator
from datetime import date
from typing import Any

from django.contrib.auth.models import User
from django.utils.translation import gettext as _

from carddav.cards import VERSIONS
from carddav.models import LEVEL_CHOICES, Card, SyncSettings
from contacts.export_documents import backup_rows
from contacts.importers.jsonvalues import Bad, datetime_value, ref
from contacts.models import Contact, Tag
from contacts.relation_backup import Restore
from crm.formats import grouped

BATCH = 1000
EXTRA_MAX = 200_000  # characters of kept vCard lines per card
CONFLICTS_MAX = 50


def sync_settings_document(owner: User) -> dict[str, Any] | None:
    """Who syncs, or None when the account never set up sync."""
    state = SyncSettings.objects.filter(owner=owner).first()
    if state is None:
        return None
    return {"levels": list(state.levels), "tags": sorted(state.tags.values_list("name", flat=True))}


def sync_card_documents(owner: User) -> Iterator[dict[str, Any]]:
    """One entry per contact that has a card, in keyset pages."""
    fields = (
        "contact",
        "uid",
        "name",
        "from_phone",
        "kept_version",
        "kept",
        "extra",
        "deleted_on_phone_at",
        "conflicts",
    )
    return backup_rows(Card.objects.filter(owner=owner, contact__isnull=False), fields, page=BATCH)


def _identifier(item: dict[str, Any], key: str) -> str:
    value = item.get(key)
    if not isinstance(value, str) or not 0 < len(value) <= 255 or "/" in value:
        raise Bad(_('"%(key)s" must be text of 1 to 255 characters without "/"') % {"key": key})
    return value


def _kept(value: Any) -> dict[str, Any]:
    """{key: {"sig": text, "lines": [text]}}; anything else is Bad."""
    if value in (None, ""):
        return {}
    if not isinstance(value, dict):
        raise Bad(_('"kept" must be an object'))
    for key, entry in value.items():
        if (
            not isinstance(entry, dict)
            or not isinstance(entry.get("sig"), str)
            or not isinstance(entry.get("lines"), list)
            or not all(isinstance(line, str) for line in entry["lines"])
        ):
            raise Bad(
                _('"kept" of %(key)s must have a "sig" and a list of "lines"')
                % {"key": repr(str(key)[:40])}
            )
    return {str(k): {"sig": v["sig"], "lines": v["lines"]} for k, v in value.items()}


def _conflicts(value: Any) -> list[dict[str, str]]:
    if not isinstance(value, list):
        return []
    return [
        {str(k): v for k, v in item.items() if isinstance(v, str)}
        for item in value[:CONFLICTS_MAX]
        if isinstance(item, dict)
    ]


def _card(owner: User, contact: Contact, item: dict[str, Any], today: date) -> Card:
    extra = item.get("extra") or ""
    if not isinstance(extra, str) or len(extra) > EXTRA_MAX:
        raise Bad(
            _('"extra" must be text of at most %(most)s characters') % {"most": grouped(EXTRA_MAX)}
        )
    version = item.get("kept_version") or ""
    return Card(
        owner=owner,
        contact=contact,
        uid=_identifier(item, "uid"),
        name=_identifier(item, "name"),
        present=False,  # the next sync compares it with the contact and shows it
        from_phone=item.get("from_phone") is True,
        kept_version=version if version in VERSIONS else "",
        kept=_kept(item.get("kept")),
        extra=extra,
        deleted_on_phone_at=datetime_value(item, "deleted_on_phone_at", today=today),
        conflicts=_conflicts(item.get("conflicts")),
    )


def _settings_restore(owner: User, value: Any) -> None:
    if not isinstance(value, dict):
        return
    levels = value.get("levels")
    names = value.get("tags")
    state = SyncSettings.objects.get_or_create(owner=owner)[0]
    if isinstance(levels, list):
        known = [level for level, _label in LEVEL_CHOICES]
        state.levels = list(dict.fromkeys(level for level in levels if level in known))
    state.needs_full, state.full_after = True, 0
    state.save(update_fields=["levels", "needs_full", "full_after"])
    if isinstance(names, list):
        wanted = {name.strip() for name in names if isinstance(name, str) and name.strip()}
        tags = [Tag.objects.get_or_create(owner=owner, name=name[:50])[0] for name in wanted]
        state.tags.set(tags)


def sync_restore(restore: Restore, *, restoring: bool, section: Any) -> None:
    """Bring back the cards of the contacts this import created (people already in the
    account keep their own) and, into a new account, who syncs."""
    if not isinstance(section, dict):
        return
    owner, report = restore.owner, restore.report
    if restoring:
        _settings_restore(owner, section.get("settings"))
    items = section.get("cards")
    if not isinstance(items, list):
        return
    taken = set(Card.objects.filter(owner=owner).values_list("uid", "name"))
    uids = {uid for uid, _name in taken}
    names = {name for _uid, name in taken}
    cards: list[Card] = []
    for number, item in enumerate(items, start=1):
        contact = restore.contacts.get(ref(item.get("contact"))) if isinstance(item, dict) else None
        if contact is None or contact.pk in restore.existing:
            continue
        try:
            card = _card(owner, contact, item, restore.today)
        except Bad as exc:
            report.warnings.append(
                _("Phone sync card %(number)s: %(reason)s.") % {"number": number, "reason": exc}
            )
            continue
        if card.uid in uids or card.name in names:
            message = _(
                "Phone sync card %(number)s: its UID or name is already in use, so %(name)s "
                "gets a new card (phones show it as a new one)."
            )
            report.warnings.append(message % {"number": number, "name": contact.full_name})
            continue
        uids.add(card.uid)
        names.add(card.name)
        cards.append(card)
    Card.objects.bulk_create(cards, batch_size=BATCH)
    report.extra["phone_sync_cards"] = len(cards)
