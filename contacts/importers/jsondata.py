"""Rapport's own JSON backup, format version 1 (docs/export-format.md)."""

import re
from collections.abc import Callable
from datetime import date, time
from typing import Any

from django.contrib.auth.models import User
from django.utils.translation import gettext

import contacts.importers.jsonvalues as jv
from carddav.backup import sync_restore
from contacts import limits
from contacts.careers import end_replaced_job
from contacts.importers.base import ImportReport
from contacts.importers.jsonload import load_document
from contacts.importers.jsonvalues import (
    Bad,
    contact_from,
    date_value,
    datetime_value,
    emails_of,
    listed,
    long_text,
    pairs,
    phones_of,
    photo_of,
    ref,
    tags_of,
    text,
    whole_number,
)
from contacts.models import (
    CareerMove,
    Contact,
    ContactEmail,
    ContactPhone,
    Initiator,
    Interaction,
    InteractionKind,
    NotDuplicate,
    Position,
    PositionSource,
)
from contacts.relation_backup import Restore, restore_relations
from contacts.relationships import refresh_last_interaction
from contacts.search import reindex_contacts
from contacts.services import contact_photos_add, contact_tags_add
from crm.backup import note_templates_restore, settings_restore
from reminders.models import CustomDate, NoteDraft, Reminder, ReminderKind, ReminderStatus

BATCH = 1000
Progress = Callable[[int, int], None]


class JsonImport:
    """Creates everything the backup holds; people already in the account are not duplicated."""

    def __init__(self, owner: User, report: ImportReport, today: date) -> None:
        self.owner = owner
        self.report = report
        self.today = today  # dates are checked against limits.in_range as of this day
        self.contacts: dict[Any, Contact] = {}  # id in the file -> contact here
        self.positions: dict[Any, int] = {}
        self.custom_dates: dict[Any, int] = {}
        self.interactions: dict[Any, int] = {}
        self.reminders: dict[Any, int] = {}
        self.existing: set[int] = set()
        # No contacts before the import: a restore, which recreates everything as it was.
        self.restoring = False

    def run(self, document: dict[str, Any], progress: Progress | None) -> None:
        items = document.get("contacts", [])
        self.report.total_rows = len(items)
        self._contacts(items)
        if progress:
            progress(len(items) // 2, len(items))
        self._interactions(document.get("interactions", []))
        self._reminders(document.get("reminders", []))
        self._notes(document.get("notes", []))
        self._settings(document)
        self._not_duplicates(document.get("not_duplicates"))
        restore = Restore(
            self.owner, self.report, self.today, self.contacts, self.interactions, self.existing
        )
        restore_relations(restore, document)
        sync_restore(restore, restoring=self.restoring, section=document.get("phone_sync"))
        if progress:
            progress(len(items), len(items))

    def _not_duplicates(self, pairs: Any) -> None:
        """Pairs the owner marked as different people (format 1.1), between the contacts
        of the backup as they are here now; anything else in the list is ignored."""
        if not isinstance(pairs, list):
            return
        marks: set[tuple[int, int]] = set()
        for pair in pairs:
            if not isinstance(pair, list) or len(pair) != 2:
                continue
            first, second = (self.contacts.get(ref(item)) for item in pair)
            if first is None or second is None or first.pk == second.pk:
                continue
            marks.add((min(first.pk, second.pk), max(first.pk, second.pk)))
        NotDuplicate.objects.bulk_create(
            [NotDuplicate(owner=self.owner, first_id=a, second_id=b) for a, b in sorted(marks)],
            ignore_conflicts=True,
        )

    def _settings(self, document: dict[str, Any]) -> None:
        """A restore brings back the account's settings and note templates (format 1.1);
        into an account already in use, the person's own are left alone."""
        if not self.restoring:
            return
        self.report.warnings += settings_restore(owner=self.owner, values=document.get("settings"))
        self.report.warnings += note_templates_restore(
            owner=self.owner, values=document.get("note_templates")
        )

    def _existing_index(self) -> dict[tuple[str, str], Contact]:
        """The account's contacts by LinkedIn URL and by email: the only keys a backup
        is matched on. A name is never enough: two people may share one, and a backup's
        contacts are distinct people (one of them must not swallow the other)."""
        mine = {c.pk: c for c in Contact.objects.filter(owner=self.owner)}
        self.restoring = not mine
        unique: dict[tuple[str, str], Contact] = {
            ("url", c.linkedin_url): c for c in mine.values() if c.linkedin_url
        }
        emails = ContactEmail.objects.filter(contact__owner=self.owner)
        for contact_id, email in emails.values_list("contact_id", "email").order_by("id"):
            unique.setdefault(("email", email), mine[contact_id])
        return unique

    def _contacts(self, items: list[Any]) -> None:
        unique = self._existing_index()
        new: list[tuple[int, dict[str, Any], Contact]] = []
        unmatched: list[str] = []
        for number, item in enumerate(items, start=1):
            where = jv.item_name(jv.CONTACT, number)
            cuts: list[str] = []
            try:
                if not isinstance(item, dict):
                    raise Bad(gettext("not an object"))
                contact = contact_from(self.owner, item, today=self.today, cuts=cuts)
                emails = emails_of(item, cuts)
                phones = phones_of(item, cuts)
                item["_emails"], item["_phones"] = emails, phones
                item["_tags"] = tags_of(item, cuts)
                item["_photo"] = photo_of(item, cuts)
                positions = [self._position(p, cuts) for p in listed(item, "positions")]
                _one_current_job([p for _, p in positions], cuts)
                dates = [
                    kept
                    for d in listed(item, "custom_dates")
                    if (kept := self._custom_date(d, cuts)) is not None
                ]
            except Bad as exc:
                self.report.skip(number, jv.problem_line(where, exc))
                continue
            # Only contacts that were here before the import are matched: every contact
            # of the backup itself is a person of its own, even one sharing a name or an
            # email with another (restoring must give back what was exported).
            keys = [("email", e) for e, _ in emails]
            if contact.linkedin_url:
                keys.insert(0, ("url", contact.linkedin_url))
            found = next((unique[k] for k in keys if k in unique), None)
            if found is not None:
                self.contacts[ref(item.get("id"))] = found
                self.existing.add(found.pk)
                self.report.skip(number, jv.problem_line(where, jv.already_here(found.full_name)))
                continue
            if not keys and not self.restoring:
                unmatched.append(contact.full_name)
            item["_positions"], item["_dates"] = positions, dates
            new.append((number, item, contact))
            where = jv.item_name(jv.CONTACT, number, contact.full_name)
            self.report.warnings += [jv.problem_line(where, cut) for cut in cuts]
        Contact.objects.bulk_create([c for _, _, c in new], batch_size=BATCH)
        for _, item, contact in new:
            if ref(item.get("id")) is not None:
                self.contacts[ref(item.get("id"))] = contact
        self._details(new)
        for number, _, contact in new:
            self.report.created.append(
                {"id": contact.pk, "name": contact.full_name, "line": number}
            )
        self.report.extra["matching"] = {
            "restore": self.restoring,
            "without_keys": len(unmatched),
            "without_keys_names": unmatched[:20],
        }

    def _position(self, item: Any, cuts: list[str]) -> tuple[Any, Position]:
        """A position; a date out of range is left out (noted in `cuts`), the job kept."""
        if not isinstance(item, dict):
            raise Bad(gettext("a position is not an object"))
        position = Position(
            company=text(item, "company", 200),
            title=text(item, "title", 200),
            start_date=date_value(item, "start_date", today=self.today, cuts=cuts),
            end_date=date_value(item, "end_date", today=self.today, cuts=cuts),
            detected_on=date_value(item, "detected_on", today=self.today, cuts=cuts),
            source=item["source"] if item.get("source") in PositionSource.values else "imported",
            move=item["move"] if item.get("move") in CareerMove.values else CareerMove.FIRST,
        )
        if position.start_date and position.end_date and position.end_date < position.start_date:
            raise Bad(gettext("a position ends before it starts"))
        return ref(item.get("id")), position

    def _custom_date(self, item: Any, cuts: list[str]) -> tuple[Any, CustomDate] | None:
        """A date to remember; one out of range is left out (noted in `cuts`)."""
        if not isinstance(item, dict) or item.get("date") in (None, ""):
            raise Bad(gettext("a custom date needs a date"))
        day = date_value(item, "date", today=self.today, cuts=cuts)
        if day is None:
            return None
        label = text(item, "label", 100) or "Date"
        return ref(item.get("id")), CustomDate(
            label=label, date=day, yearly=bool(item.get("yearly", True))
        )

    def _details(self, new: list[tuple[int, dict[str, Any], Contact]]) -> None:
        emails, phones, positions, dates, tag_rows = [], [], [], [], []
        updated_intro = []
        for _, item, contact in new:
            emails += [
                ContactEmail(contact=contact, email=e, label=lab) for e, lab in item["_emails"]
            ]
            phones += [
                ContactPhone(contact=contact, number=n, label=lab) for n, lab in item["_phones"]
            ]
            for old_id, position in item["_positions"]:
                position.contact = contact
                positions.append((old_id, position))
            for old_id, custom in item["_dates"]:
                custom.contact = contact
                dates.append((old_id, custom))
            names = item["_tags"]
            if names:
                tag_rows.append((contact, names))
            intro = self.contacts.get(ref(item.get("introduced_by")))
            if intro is not None and intro.pk != contact.pk:
                contact.introduced_by = intro
                updated_intro.append(contact)
        ContactEmail.objects.bulk_create(emails, batch_size=BATCH)
        ContactPhone.objects.bulk_create(phones, batch_size=BATCH)
        Position.objects.bulk_create([p for _, p in positions], batch_size=BATCH)
        self.positions = {old: p.pk for old, p in positions if old is not None}
        CustomDate.objects.bulk_create([d for _, d in dates], batch_size=BATCH)
        self.custom_dates = {old: d.pk for old, d in dates if old is not None}
        Contact.objects.bulk_update(updated_intro, ["introduced_by"], batch_size=BATCH)
        contact_tags_add(owner=self.owner, tags=[(c.pk, names) for c, names in tag_rows])
        contact_photos_add(photos=[(c.pk, i["_photo"]) for _, i, c in new if i["_photo"]])
        reindex_contacts([c.pk for _, _, c in new])

    def _interactions(self, items: list[Any]) -> None:
        seen: set[tuple[str, date, str]] = set()
        if self.existing:
            seen = set(
                Interaction.objects.filter(owner=self.owner).values_list(
                    "kind", "occurred_on", "summary"
                )
            )
        new: list[tuple[Any, Interaction, list[Contact]]] = []
        for number, item in enumerate(items, start=1):
            where = jv.item_name(jv.INTERACTION, number)
            try:
                if not isinstance(item, dict):
                    raise Bad(gettext("not an object"))
                kind = item.get("kind")
                if kind not in InteractionKind.values:
                    raise Bad(gettext('unknown kind "%(kind)s"') % {"kind": kind})
                occurred_on = date_value(item, "occurred_on", today=self.today)
                if occurred_on is None:
                    raise Bad(gettext('"%(key)s" is missing') % {"key": "occurred_on"})
                at = item.get("occurred_at")
                occurred_at = time.fromisoformat(at) if isinstance(at, str) and at else None
                summary = text(item, "summary", 200)
                cuts: list[str] = []
                initiated_by = item.get("initiated_by") or Initiator.ME
                if initiated_by not in Initiator.values:
                    cuts.append(jv.unknown_initiator(_shown(initiated_by, 20)))
                    initiated_by = Initiator.ME
                notes = long_text(item, "notes", limits.NOTES_MAX, cuts)
            except (Bad, ValueError) as exc:
                self.report.skip(None, jv.problem_line(where, exc))
                continue
            try:
                ids = [ref(i) for i in listed(item, "contacts")]
                people = [self.contacts[i] for i in ids if i is not None and i in self.contacts]
            except Bad as exc:
                self.report.skip(None, jv.problem_line(where, exc))
                continue
            if not people:
                self.report.skip(None, jv.problem_line(where, jv.NOBODY_IMPORTED))
                continue
            if (kind, occurred_on, summary) in seen and all(p.pk in self.existing for p in people):
                continue  # already here from an earlier import of the same backup
            interaction = Interaction(
                owner=self.owner,
                kind=kind,
                occurred_on=occurred_on,
                occurred_at=occurred_at,
                summary=summary or "(no summary)",
                notes=notes,
                initiated_by=initiated_by,
            )
            new.append((ref(item.get("id")), interaction, people))
            self.report.warnings += [jv.problem_line(where, cut) for cut in cuts]
        Interaction.objects.bulk_create([i for _, i, _ in new], batch_size=BATCH)
        through = Interaction.contacts.through
        through.objects.bulk_create(
            [
                through(interaction_id=i.pk, contact_id=c.pk)
                for _, i, people in new
                for c in {p.pk: p for p in people}.values()
            ],
            batch_size=BATCH,
        )
        self.interactions = {old: i.pk for old, i, _ in new if old is not None}
        touched = sorted({c.pk for _, _, people in new for c in people})
        for start in range(0, len(touched), BATCH):
            refresh_last_interaction(touched[start : start + BATCH])
        self.report.extra["interactions"] = len(new)

    def _occasion_key(self, item: dict[str, Any], position: int | None, custom: int | None) -> str:
        key = item.get("occasion_key")
        if not isinstance(key, str) or not key:
            return f"imported:{item.get('kind')}:{item.get('due_on')}"[:64]
        # Keys embed row ids (reminders/keys.py); point them at the rows created here.
        if position and key.startswith("position:"):
            key = re.sub(r"^position:\d+", f"position:{position}", key)
        if custom and key.startswith("custom:"):
            key = re.sub(r"^custom:\d+", f"custom:{custom}", key)
        return key[:64]

    def _reminders(self, items: list[Any]) -> None:
        taken = set(
            Reminder.objects.filter(contact_id__in=self.existing).values_list(
                "contact_id", "kind", "occasion_key"
            )
        )
        new: list[tuple[Any, Reminder]] = []
        for number, item in enumerate(items, start=1):
            try:
                contact = self._contact_of(item)
                if item.get("kind") not in ReminderKind.values:
                    raise Bad(gettext('unknown kind "%(kind)s"') % {"kind": item.get("kind")})
                due_on = date_value(item, "due_on", today=self.today)
                if due_on is None:
                    raise Bad(gettext('"%(key)s" is missing') % {"key": "due_on"})
                status = item.get("status") or ReminderStatus.OPEN
                if status not in ReminderStatus.values:
                    raise Bad(gettext('unknown status "%(status)s"') % {"status": status})
                years = whole_number(item, "years", limits.YEARS_MAX, gettext("years"))
                position = self.positions.get(ref(item.get("position")))
                custom = self.custom_dates.get(ref(item.get("custom_date")))
                reminder = Reminder(
                    owner=self.owner,
                    contact=contact,
                    kind=item["kind"],
                    occasion_key=self._occasion_key(item, position, custom),
                    due_on=due_on,
                    status=status,
                    snoozed_until=date_value(item, "snoozed_until", today=self.today),
                    years=years,
                    position_id=position,
                    custom_date_id=custom,
                    completed_at=datetime_value(item, "completed_at", today=self.today),
                )
            except Bad as exc:
                self.report.skip(None, jv.problem_line(jv.item_name(jv.REMINDER, number), exc))
                continue
            key = (contact.pk, reminder.kind, reminder.occasion_key)
            if key in taken:
                continue  # the same occasion is already there
            taken.add(key)
            new.append((ref(item.get("id")), reminder))
        Reminder.objects.bulk_create([r for _, r in new], batch_size=BATCH)
        self.reminders = {old: r.pk for old, r in new if old is not None}
        self.report.extra["reminders"] = len(new)

    def _contact_of(self, item: Any) -> Contact:
        """The imported contact a reminder or note belongs to; Bad when there is none."""
        if not isinstance(item, dict):
            raise Bad(gettext("not an object"))
        contact = self.contacts.get(ref(item.get("contact")))
        if contact is None:
            raise Bad(gettext("its contact was not imported"))
        return contact

    def _notes(self, items: list[Any]) -> None:
        new = []
        for number, item in enumerate(items, start=1):
            try:
                contact = self._contact_of(item)
                if contact.pk in self.existing:
                    continue  # notes of people already here came with them
                cuts: list[str] = []
                new.append(
                    NoteDraft(
                        owner=self.owner,
                        contact=contact,
                        reminder_id=self.reminders.get(ref(item.get("reminder"))),
                        interaction_id=self.interactions.get(ref(item.get("interaction"))),
                        subject=text(item, "subject", 200),
                        body=long_text(item, "body", limits.NOTES_MAX, cuts),
                        sent_at=datetime_value(item, "sent_at", today=self.today),
                    )
                )
            except Bad as exc:
                self.report.skip(None, jv.problem_line(jv.item_name(jv.NOTE, number), exc))
                continue
            where = jv.item_name(jv.NOTE, number)
            self.report.warnings += [jv.problem_line(where, cut) for cut in cuts]
        NoteDraft.objects.bulk_create(new, batch_size=BATCH)
        self.report.extra["notes"] = len(new)


def _one_current_job(positions: list[Position], cuts: list[str]) -> None:
    """A contact has one current job (a constraint): in a backup made before that was
    enforced, the job that began last stays current and the others end before it."""
    current = [p for p in positions if p.end_date is None]
    if len(current) < 2:
        return
    # The latest to begin; of those begun the same day, the later in the file.
    kept = max(enumerate(current), key=lambda n_p: (n_p[1].began_on or date.min, n_p[0]))[1]
    for position in current:
        if position is not kept:
            position.end_date = end_replaced_job(position, replaced_on=kept.began_on)
            cuts.append(jv.second_current_job(position, kept))


def summarize_document(data: bytes) -> ImportReport:
    """A preview of a large backup without a dry run: what the file holds, checked and counted."""
    document = load_document(data)
    report = ImportReport()
    _preview_rows(document, report)
    report.total_rows = len(document.get("contacts", []))
    report.extra["holds"] = {
        key: len(document.get(key, []))
        for key in ("contacts", "interactions", "reminders", "notes")
    }
    return report


def _shown(value: Any, limit: int = 200) -> str:
    """A value as the preview shows it: text as is (cut), anything else not at all."""
    return value[:limit] if isinstance(value, str) else ""


def _preview_rows(document: dict[str, Any], report: ImportReport) -> None:
    report.preview_rows = [
        {
            "line": n,
            "name": " ".join(_shown(c.get(k)) for k in ("first_name", "last_name") if c.get(k)),
            "emails": ", ".join(e[:254] for e, _ in _safe_pairs(c)),
            "company": next(
                (
                    _shown(p.get("company"))
                    for p in _safe_list(c, "positions")
                    if isinstance(p, dict) and not p.get("end_date")
                ),
                "",
            ),
            "title": "",
            "linkedin_url": _shown(c.get("linkedin_url"), 300),
            "connected_on": _shown(c.get("connected_on"), 10),
        }
        for n, c in enumerate(document.get("contacts", [])[:10], start=1)
        if isinstance(c, dict)
    ]


def import_document(
    *,
    owner: User,
    data: bytes,
    report: ImportReport,
    progress: Progress | None,
    today: date,
) -> None:
    document = load_document(data)
    _preview_rows(document, report)
    JsonImport(owner, report, today).run(document, progress)


def _safe_list(item: dict[str, Any], key: str) -> list[Any]:
    try:
        return listed(item, key)
    except Bad:
        return []


def _safe_pairs(item: dict[str, Any]) -> list[tuple[str, str]]:
    try:
        return pairs(item.get("emails"), "email")
    except Bad:
        return []
