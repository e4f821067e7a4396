"""Saving a Monica account: after its people (the shared people import in run_import:
strong keys, source ids), who introduced whom, interactions with all their participants,
and dates to remember. Everything already there from an earlier import of the same
account is left as it is, so importing it again changes nothing.
"""

from datetime import date

from django.contrib.auth.models import User
from django.utils.translation import gettext

from contacts import limits
from contacts.importers.base import ImportReport
from contacts.importers.monica import MonicaAccount
from contacts.models import Contact, Interaction
from contacts.relationships import refresh_last_interaction
from reminders.models import CustomDate

BATCH = 1000


def monica_details_import(
    *, owner: User, account: MonicaAccount, ids: dict[str, int], report: ImportReport, today: date
) -> None:
    """What a Monica account holds beyond its people: who introduced whom, interactions
    and dates. The people are imported first by run_import, as every source's are; `ids`
    maps Monica's ids to their contacts."""
    counts = {
        "introductions": _introductions(ids, account.met_through),
        "interactions": _interactions(owner, ids, account, report, today),
        "dates": _dates(ids, account, report, today),
    }
    report.extra["fields"]["mapped"] += sum(counts.values())
    report.extra["monica"] = counts


def _introductions(ids: dict[str, int], met_through: dict[str, str]) -> int:
    """ "Met through" as the contact who introduced them, where none is set yet."""
    wanted = {
        ids[person]: ids[through]
        for person, through in met_through.items()
        if person in ids and through in ids and ids[person] != ids[through]
    }
    contacts = list(Contact.objects.filter(pk__in=wanted, introduced_by__isnull=True).only("pk"))
    for contact in contacts:
        contact.introduced_by_id = wanted[contact.pk]
    Contact.objects.bulk_update(contacts, ["introduced_by"], batch_size=BATCH)
    return len(contacts)


def _interactions(
    owner: User, ids: dict[str, int], account: MonicaAccount, report: ImportReport, today: date
) -> int:
    """Activities, calls and conversations, each once, with every participant imported."""
    through = Interaction.contacts.through
    have = set(
        through.objects.filter(contact_id__in=set(ids.values())).values_list(
            "interaction__kind", "interaction__occurred_on", "interaction__summary", "contact_id"
        )
    )
    new: list[tuple[Interaction, list[int]]] = []
    for item in account.interactions:
        people = sorted({ids[p] for p in item.people if p in ids})
        if not people:
            continue
        summary = item.summary[:200]
        if (item.kind, item.occurred_on, summary, people[0]) in have:
            continue  # imported before
        if not limits.in_range(item.occurred_on, today=today):
            report.warnings.append(
                gettext("%(kind)s “%(summary)s” on %(day)s is outside %(range)s; left out.")
                % {
                    "kind": item.kind.capitalize(),
                    "summary": summary,
                    "day": item.occurred_on.isoformat(),
                    "range": limits.range_text(today),
                }
            )
            continue
        for person in people:
            have.add((item.kind, item.occurred_on, summary, person))
        interaction = Interaction(
            owner=owner,
            kind=item.kind,
            occurred_on=item.occurred_on,
            summary=summary or "(no summary)",
            notes=item.notes[: limits.NOTES_MAX],
        )
        new.append((interaction, people))
    Interaction.objects.bulk_create([i for i, _ in new], batch_size=BATCH)
    through.objects.bulk_create(
        [through(interaction_id=i.pk, contact_id=c) for i, people in new for c in people],
        batch_size=BATCH,
    )
    touched = sorted({c for _, people in new for c in people})
    for start in range(0, len(touched), BATCH):
        refresh_last_interaction(touched[start : start + BATCH])
    return len(new)


def _dates(ids: dict[str, int], account: MonicaAccount, report: ImportReport, today: date) -> int:
    """Monica's yearly and one-time reminders as dates to remember."""
    have = set(
        CustomDate.objects.filter(contact_id__in=set(ids.values())).values_list(
            "contact_id", "label", "date"
        )
    )
    new = []
    for item in account.dates:
        contact_id = ids.get(item.person)
        if contact_id is None or (contact_id, item.label, item.day) in have:
            continue
        if not limits.in_range(item.day, today=today):
            report.warnings.append(
                gettext("Reminder “%(label)s” on %(day)s is outside %(range)s; left out.")
                % {
                    "label": item.label,
                    "day": item.day.isoformat(),
                    "range": limits.range_text(today),
                }
            )
            continue
        have.add((contact_id, item.label, item.day))
        new.append(
            CustomDate(contact_id=contact_id, label=item.label, date=item.day, yearly=item.yearly)
        )
    CustomDate.objects.bulk_create(new, batch_size=BATCH)
    return len(new)
