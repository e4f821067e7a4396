"""The JSON backup's sections for issue 21 (format 1.2): promises, introductions and the
trust-level history.

Export yields plain documents; restore checks each item as the forms would and skips
(with a reason in the report) what cannot be stored, keeping the rest. A version-1.1
reader ignores these keys; a 1.1 backup restores with none of them.
"""

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from django.contrib.auth.models import User
from django.db import models
from django.utils.translation import gettext, pgettext_lazy

from contacts.export_documents import backup_rows
from contacts.importers.base import ImportReport
from contacts.importers.jsonvalues import Bad, date_value, item_name, problem_line, ref, text
from contacts.models import Contact, Introduction, Promise, PromiseBy, TrustLevel
from contacts.relation_models import (
    INTRO_REASON_MAX,
    PROMISE_TEXT_MAX,
    IntroOutcome,
    IntroSide,
    IntroStatus,
    TrustChange,
)
from contacts.trust_history import record_imported_levels
from reminders.models import Reminder, ReminderKind

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

BATCH = 1000


def promise_documents(owner: User) -> Iterator[dict[str, Any]]:
    fields = ("id", "contact", "made_by", "text", "due_on", "interaction", "kept_on")
    return backup_rows(Promise.objects.filter(owner=owner), (*fields, "kept_interaction"))


@dataclass
class Restore:
    """What the JSON import knows when it reaches these sections."""

    owner: User
    report: ImportReport
    today: date
    contacts: dict[Any, Contact]  # id in the file -> contact here
    interactions: dict[Any, int]  # id in the file -> interaction id here
    existing: set[int]  # contacts already in the account: their rows came with them

    def contact_of(self, item: dict[str, Any], key: str = "contact") -> Contact:
        contact = self.contacts.get(ref(item.get(key)))
        if contact is None:
            raise Bad(gettext('its "%(key)s" was not imported') % {"key": key})
        return contact


def _restore_each[M: models.Model](
    restore: Restore, items: Any, what: "StrOrPromise", build: Callable[[dict[str, Any]], M | None]
) -> list[tuple[Any, M]]:
    """Build a row from each item (None: already here), skipping those that are `Bad`
    with a reason in the report; returns (id in the file, unsaved row) pairs."""
    found: list[tuple[Any, M]] = []
    for number, item in enumerate(items if isinstance(items, list) else [], start=1):
        try:
            if not isinstance(item, dict):
                raise Bad(gettext("not an object"))
            row = build(item)
        except Bad as exc:
            restore.report.skip(None, problem_line(item_name(what, number), exc))
            continue
        if row is not None:
            found.append((ref(item.get("id")), row))
    return found


def restore_promises(restore: Restore, items: Any) -> None:
    def build(item: dict[str, Any]) -> Promise | None:
        contact = restore.contact_of(item)
        if contact.pk in restore.existing:
            return None  # already here with the person
        made_by = item.get("made_by") or PromiseBy.ME
        if made_by not in PromiseBy.values:
            raise Bad(_unknown("made_by", made_by))
        what = text(item, "text", PROMISE_TEXT_MAX)
        if not what:
            raise Bad(gettext('"%(key)s" is empty') % {"key": "text"})
        return Promise(
            owner=restore.owner,
            contact=contact,
            made_by=made_by,
            text=what,
            due_on=date_value(item, "due_on", today=restore.today),
            kept_on=date_value(item, "kept_on", today=restore.today),
            interaction_id=restore.interactions.get(ref(item.get("interaction"))),
            kept_interaction_id=restore.interactions.get(ref(item.get("kept_interaction"))),
        )

    found = _restore_each(restore, items, pgettext_lazy("backup item", "Promise"), build)
    Promise.objects.bulk_create([row for _, row in found], batch_size=BATCH)


INTRO_DATES = ("step_on", "asked_first_on", "asked_second_on", "sent_on", "closed_on")


def introduction_documents(owner: User) -> Iterator[dict[str, Any]]:
    fields = ("id", "first", "second", "reason", "status", "outcome", "declined_by")
    return backup_rows(Introduction.objects.filter(owner=owner), (*fields, *INTRO_DATES))


def _choice(item: dict[str, Any], key: str, values: list[str], default: str = "") -> str:
    value = item.get(key) or default
    if value not in values and value != default:
        raise Bad(_unknown(key, value))
    return str(value)


def _introduction(restore: Restore, item: dict[str, Any]) -> Introduction | None:
    first, second = restore.contact_of(item, "first"), restore.contact_of(item, "second")
    if first.pk == second.pk:
        raise Bad(gettext("introduces someone to themselves"))
    if first.pk in restore.existing and second.pk in restore.existing:
        return None  # both were here already, with their introductions
    reason = text(item, "reason", INTRO_REASON_MAX) or "(no reason given)"
    dates = {name: date_value(item, name, today=restore.today) for name in INTRO_DATES}
    return Introduction(
        owner=restore.owner,
        first=first,
        second=second,
        reason=reason,
        status=_choice(item, "status", IntroStatus.values, IntroStatus.ASK_FIRST),
        outcome=_choice(item, "outcome", IntroOutcome.values),
        declined_by=_choice(item, "declined_by", IntroSide.values),
        **{**dates, "step_on": dates["step_on"] or restore.today},
    )


def restore_introductions(restore: Restore, items: Any) -> None:
    # A 1.1 backup has none: its reminders of introductions are still dropped below.
    new = _restore_each(
        restore,
        items,
        pgettext_lazy("backup item", "Introduction"),
        lambda item: _introduction(restore, item),
    )
    Introduction.objects.bulk_create([intro for _, intro in new], batch_size=BATCH)
    _rekey_reminders(restore, {str(old): intro.pk for old, intro in new if old is not None})


def _rekey_reminders(restore: Restore, new_ids: dict[str, int]) -> None:
    """Waiting-introduction reminders name their introduction by id: point the restored
    ones at the new rows, and drop any whose introduction did not come along (the next
    scan raises it again if it is still waiting)."""
    restored = [c.pk for c in restore.contacts.values() if c.pk not in restore.existing]
    found = Reminder.objects.filter(
        owner=restore.owner, kind=ReminderKind.INTRODUCTION, contact_id__in=restored
    )
    changed, orphans = [], []
    for reminder in found:
        _, old, step = [*reminder.occasion_key.split(":", 2), "", ""][:3]
        if old in new_ids:
            reminder.occasion_key = f"introduction:{new_ids[old]}:{step}"[:64]
            changed.append(reminder)
        else:
            orphans.append(reminder.pk)
    Reminder.objects.bulk_update(changed, ["occasion_key"], batch_size=BATCH)
    Reminder.objects.filter(pk__in=orphans).delete()


def trust_change_documents(owner: User) -> Iterator[dict[str, Any]]:
    fields = ("contact", "from_level", "to_level", "promotion", "changed_on")
    return backup_rows(TrustChange.objects.filter(owner=owner), fields)


def _level(item: dict[str, Any], key: str) -> str | None:
    value = item.get(key) or None
    if value is not None and value not in TrustLevel.values:
        raise Bad(_unknown(key, value))
    return value


def restore_trust_changes(restore: Restore, items: Any) -> None:
    """The backup's history of the contacts it brings, as it was (a backup with the key
    holds the whole history: restoring gives it back unchanged). A backup without it
    (older than 1.4, or written by hand) starts a history for each new contact with a
    level, as any import does (contacts.trust_history.record_imported_levels)."""

    def build(item: dict[str, Any]) -> TrustChange | None:
        contact = restore.contact_of(item)
        if contact.pk in restore.existing:
            return None
        before, after = _level(item, "from_level"), _level(item, "to_level")
        changed_on = date_value(item, "changed_on", today=restore.today)
        if changed_on is None or before == after:
            raise Bad(
                gettext('"%(key)s" is missing') % {"key": "changed_on"}
                if changed_on is None
                else gettext("nothing changed")
            )
        # Kept as recorded (1.6): a level given at import was no promotion.
        promotion = item.get("promotion")
        if not isinstance(promotion, bool):
            promotion = TrustLevel.rank(after) > TrustLevel.rank(before)
        return TrustChange(
            owner=restore.owner,
            contact=contact,
            from_level=before,
            to_level=after,
            promotion=promotion,
            changed_on=changed_on,
        )

    found = _restore_each(restore, items, pgettext_lazy("backup item", "Trust change"), build)
    TrustChange.objects.bulk_create([row for _, row in found], batch_size=BATCH)
    if items is None:
        new = {c.pk: c for c in restore.contacts.values() if c.pk not in restore.existing}
        record_imported_levels(
            owner_id=restore.owner.pk,
            levels=[(pk, c.trust_level) for pk, c in new.items()],
            on=restore.today,
        )


def restore_relations(restore: Restore, document: dict[str, Any]) -> None:
    """Every section of this module, after the contacts and interactions they point at."""
    restore_promises(restore, document.get("promises"))
    restore_introductions(restore, document.get("introductions"))
    restore_trust_changes(restore, document.get("trust_changes"))


def _unknown(key: str, value: object) -> str:
    return gettext('unknown "%(key)s" %(value)s') % {"key": key, "value": repr(str(value)[:20])}
