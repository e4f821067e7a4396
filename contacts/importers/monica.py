"""Monica 4.x people, from its JSON export or its API, as Rapport records.

Both readers (monica_export.read_export, monica_api) give the same neutral shape:
`{"people": [...], "activities": [...], "relationships": [...]}`, a person being a
dict of Monica's contact properties with its contact fields, addresses, notes,
calls, reminders, tasks, gifts, debts, pets, conversations and life events. Here
it becomes PersonRecords (names, emails, phones, LinkedIn, work, birthday, tags,
how you met; the rest under "From Monica: …" in the notes), interactions and
dates to remember; contacts/importers/monica_writes.py saves them.
"""

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.utils.translation import gettext

from contacts.importers.base import ParsedFile, PersonRecord
from contacts.importers.sections import Sections, fill_website
from contacts.models import InteractionKind
from contacts.normalize import normalize_email

Neutral = dict[str, Any]
# Monica's default activity categories (translation keys) as Rapport's kinds.
CATEGORY_KINDS = {"food": InteractionKind.MEAL, "cultur": InteractionKind.EVENT}


@dataclass
class MonicaInteraction:
    kind: str
    occurred_on: date
    summary: str
    notes: str
    people: list[str]  # Monica uuids
    line: int | None = None


@dataclass
class MonicaDate:
    person: str
    label: str
    day: date
    yearly: bool


@dataclass
class MonicaAccount:
    parsed: ParsedFile
    met_through: dict[str, str] = field(default_factory=dict)  # person -> introducer
    interactions: list[MonicaInteraction] = field(default_factory=list)
    dates: list[MonicaDate] = field(default_factory=list)


def text(value: Any) -> str:
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        return ""
    return str(value).strip()


def day(value: Any) -> date | None:
    """A Monica date or timestamp ("2021-05-03", "2021-05-03T00:00:00Z", …) as a date."""
    value = text(value)[:10]
    try:
        return date.fromisoformat(value) if len(value) == 10 else None
    except ValueError:
        return None


def special(value: Any) -> tuple[date | None, bool, bool]:
    """A Monica SpecialDate: (date, known by age only, year unknown)."""
    if not isinstance(value, dict):
        return None, False, False
    return (
        day(value.get("date")),
        bool(value.get("is_age_based")),
        bool(value.get("is_year_unknown")),
    )


def listed(person: Neutral, key: str) -> list[dict[str, Any]]:
    items = person.get(key)
    return [i for i in items if isinstance(i, dict)] if isinstance(items, list) else []


def _flat(items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Items as the API gives them; the export nests their values under "properties"."""
    return [{**i, **p} if isinstance(p := i.get("properties"), dict) else i for i in items]


def full_name(person: Neutral) -> str:
    parts = (person.get("first_name"), person.get("middle_name"), person.get("last_name"))
    return " ".join(text(p) for p in parts if text(p))


def _about(record: PersonRecord, notes: Sections, person: Neutral) -> None:
    """Names, work, birthday and what Monica says about the person."""
    record.first_name = " ".join(
        text(person.get(k)) for k in ("first_name", "middle_name") if text(person.get(k))
    )
    record.last_name = text(person.get("last_name"))
    record.company, record.title = text(person.get("company")), text(person.get("job"))
    record.fields_mapped += sum(bool(v) for v in (record.full_name, record.company, record.title))
    for label, key in ABOUT:
        if value := text(person.get(key)):
            notes.keep("about", f"{label}: {value}")
    if person.get("is_starred") is True:
        notes.keep("about", "Starred in Monica")
    if person.get("is_dead") is True:
        died, _, _ = special(person.get("deceased_date"))
        notes.keep("about", f"Deceased{f' on {died.isoformat()}' if died else ''}")
    born, by_age, no_year = special(person.get("birthdate"))
    if born and by_age:
        notes.keep("about", f"Born around {born.year} (Monica knew only their age)")
    elif born:
        record.birthday = (None if no_year else born.year, born.month, born.day)
        record.fields_mapped += 1
    tags = person.get("tags")
    record.tags = [text(t) for t in tags if text(t)] if isinstance(tags, list) else []
    record.fields_mapped += len(record.tags)


ABOUT = (
    ("Nickname", "nickname"),
    ("Description", "description"),
    ("Gender", "gender"),
    ("Food preferences", "food_preferences"),
    ("Stay in touch every (days)", "stay_in_touch_frequency"),
)


def _how_we_met(
    record: PersonRecord, notes: Sections, person: Neutral, account: MonicaAccount
) -> None:
    met, _, no_year = special(person.get("first_met_date"))
    if met and not no_year:
        record.met_on = met
        record.fields_mapped += 1
    elif met:
        notes.keep("how you met", f"First met on --{met.month:02d}-{met.day:02d}")
    if place := text(person.get("first_met_where")):  # older Monicas kept where, too
        record.met_at = place
        record.fields_mapped += 1
    if story := text(person.get("first_met_additional_info")):
        record.how_we_met = story
        record.fields_mapped += 1
    if through := text(person.get("first_met_through")):
        account.met_through[text(person.get("id"))] = through


def _fields(record: PersonRecord, notes: Sections, person: Neutral) -> None:
    for item in listed(person, "fields"):
        value, name = text(item.get("value")), text(item.get("name"))
        kind = f"{text(item.get('type'))} {text(item.get('protocol'))} {name}".lower()
        if not value:
            continue
        if "email" in kind or "mailto" in kind:
            record.emails.append((normalize_email(value.removeprefix("mailto:")), ""))
            record.fields_mapped += 1
        elif "phone" in kind or "tel:" in kind:
            record.phones.append((value.removeprefix("tel:"), ""))
            record.fields_mapped += 1
        elif "linkedin" in kind:
            fill_website(record, notes, value, name)
        else:
            notes.keep("contact fields", f"{name or 'Field'}: {value}")
    for address in listed(person, "addresses"):
        country = address.get("country")
        country = country.get("name") if isinstance(country, dict) else country
        street = text(address.get("street"))
        place = " ".join(
            text(address.get(k)) for k in ("postal_code", "city") if text(address.get(k))
        )
        parts = [street, place, text(address.get("province")), text(country)]
        line = ", ".join(p for p in parts if p)
        label = text(address.get("name"))
        notes.keep("addresses", f"{label}: {line}" if label and line else line or label)


def _with_emotions(details: str, emotions: Any) -> str:
    """Monica's emotions of a call or an activity ("happy"; the API gives {"name": …})."""
    names = [
        text(e.get("name") if isinstance(e, dict) else e)
        for e in (emotions if isinstance(emotions, list) else [])
    ]
    names = [name for name in names if name]
    return f"{details}\nEmotions: {', '.join(names)}".strip() if names else details


def _joined(*parts: Any) -> str:
    return " — ".join(text(p) for p in parts if text(p))


def _kept(record: PersonRecord, notes: Sections, person: Neutral) -> None:
    """Notes, tasks, gifts, debts, pets and life events: in the notes, nothing dropped."""
    for note in listed(person, "notes"):
        when = day(note.get("created_at"))
        star = "★ " if note.get("is_favorite") or note.get("is_favorited") else ""
        notes.keep(
            "notes", f"{star}{when.isoformat() + ': ' if when else ''}{text(note.get('body'))}"
        )
    for task in listed(person, "tasks"):
        done = day(task.get("completed_at"))
        mark = (
            f"[done {done.isoformat()}]" if done else ("[done]" if task.get("completed") else "[ ]")
        )
        notes.keep("tasks", f"{mark} {_joined(task.get('title'), task.get('description'))}")
    for gift in listed(person, "gifts"):
        amount = text(gift.get("amount_with_currency")) or text(gift.get("amount"))
        status = text(gift.get("status")).capitalize() or "Gift"
        details = _joined(gift.get("name"), amount, gift.get("comment"), gift.get("url"))
        when = day(gift.get("date"))
        notes.keep("gifts", f"{status}: {details}{f' ({when.isoformat()})' if when else ''}")
    for debt in listed(person, "debts"):
        owed = debt.get("in_debt") in (True, "yes")
        amount = text(debt.get("amount_with_currency")) or _joined(
            debt.get("amount"), debt.get("currency")
        )
        who = "You owe them" if owed else "They owe you"
        status = " (paid back)" if text(debt.get("status")) == "complete" else ""
        notes.keep(
            "debts",
            f"{who} {amount}{status}"
            + (f": {reason}" if (reason := text(debt.get("reason"))) else ""),
        )
    for pet in listed(person, "pets"):
        category = pet.get("category")
        category = category.get("name") if isinstance(category, dict) else category
        notes.keep("pets", _joined(pet.get("name"), category))
    for event in listed(person, "life_events"):
        when = day(event.get("happened_at"))
        what = _joined(event.get("name"), event.get("note"))
        notes.keep("life events", f"{when.isoformat()}: {what}" if when else what)


def _timeline(account: MonicaAccount, notes: Sections, person: Neutral, me: str) -> None:
    """Calls and conversations become interactions; reminders dates to remember."""
    for call in listed(person, "calls"):
        if (when := day(call.get("called_at"))) is None:
            continue
        summary = "They called" if call.get("contact_called") else "Call"
        details = _with_emotions(text(call.get("content")), call.get("emotions"))
        account.interactions.append(
            MonicaInteraction(InteractionKind.CALL, when, summary, details, [me])
        )
    for chat in listed(person, "conversations"):
        if (when := day(chat.get("happened_at"))) is None:
            continue
        lines = [
            f"{'Me' if m.get('written_by_me') else 'Them'}: {text(m.get('content'))}"
            for m in _flat(listed(chat, "messages"))
        ]
        account.interactions.append(
            MonicaInteraction(InteractionKind.MESSAGE, when, "Conversation", "\n".join(lines), [me])
        )
    for reminder in listed(person, "reminders"):
        when, title = day(reminder.get("initial_date")), text(reminder.get("title")) or "Reminder"
        every, number = text(reminder.get("frequency_type")), reminder.get("frequency_number")
        if when and (every == "one_time" or (every == "year" and number in (1, "1", None))):
            account.dates.append(MonicaDate(me, title[:100], when, every == "year"))
            if description := text(reminder.get("description")):
                notes.keep("reminders", f"{title}: {description}")
        elif when:
            notes.keep(
                "reminders",
                f"Every {number} {every}(s) from {when.isoformat()}: "
                f"{_joined(title, reminder.get('description'))}",
            )


def _activities(account: MonicaAccount, document: Neutral, people: dict[str, Neutral]) -> None:
    """Activities with all their participants (the export lists them on each contact)."""
    attending: dict[str, list[str]] = {}
    for uuid, person in people.items():
        activities = person.get("activities")
        for activity in activities if isinstance(activities, list) else []:
            attending.setdefault(text(activity), []).append(uuid)
    for item in listed(document, "activities"):
        when = day(item.get("happened_at"))
        participants = item.get("attendees")
        if not isinstance(participants, list) or not participants:
            participants = attending.get(text(item.get("uuid")), [])
        if when is None or not participants:
            continue
        category = text(item.get("category_key")).lower()  # a key (export) or a name (API)
        kind = next(
            (kind for word, kind in CATEGORY_KINDS.items() if word in category),
            InteractionKind.MEETING,
        )
        summary = text(item.get("summary")) or text(item.get("type_name")) or "Activity"
        details = text(item.get("description"))
        if text(item.get("type_name")) and text(item.get("summary")):
            details = f"{text(item.get('type_name'))}\n{details}".strip()
        details = _with_emotions(details, item.get("emotions"))
        account.interactions.append(
            MonicaInteraction(kind, when, summary[:200], details, [text(p) for p in participants])
        )


def _relationships(document: Neutral, people: dict[str, Neutral]) -> dict[str, list[str]]:
    """Each relationship as a line on both people: "Partner of Ana", "Ana is their partner"."""
    lines: dict[str, list[str]] = {}
    pairs = {
        (text(r.get("contact_is")), text(r.get("of_contact")))
        for r in listed(document, "relationships")
    }
    for item in listed(document, "relationships"):
        one, other, kind = (
            text(item.get("contact_is")),
            text(item.get("of_contact")),
            text(item.get("type")),
        )
        if one not in people or other not in people or not kind:
            continue
        kind = kind.replace("_", " ")
        lines.setdefault(one, []).append(f"{kind.capitalize()} of {full_name(people[other])}")
        if (other, one) not in pairs:  # Monica usually stores the other direction too
            lines.setdefault(other, []).append(f"{full_name(people[one])} is their {kind}")
    return lines


def build_account(document: Neutral) -> MonicaAccount:
    """The neutral document as records, interactions and dates."""
    people = {text(p.get("id")): p for p in listed(document, "people") if text(p.get("id"))}
    account = MonicaAccount(parsed=ParsedFile(records=[]))
    related = _relationships(document, people)
    for line, (uuid, person) in enumerate(people.items(), start=1):
        if person.get("is_partial"):
            account.parsed.skipped.append(
                {
                    "line": line,
                    "reason": gettext(
                        "%(name)s is a relative recorded on another contact's page in Monica; "
                        "they are named in that contact's relationships."
                    )
                    % {"name": full_name(person)},
                }
            )
            continue
        record, notes = PersonRecord(line=line, source_id=uuid), Sections("Monica")
        _about(record, notes, person)
        if not record.full_name:
            account.parsed.skipped.append({"line": line, "reason": gettext("No name.")})
            continue
        _how_we_met(record, notes, person, account)
        _fields(record, notes, person)
        for relation in related.get(uuid, []):
            notes.keep("relationships", relation)
        _kept(record, notes, person)
        _timeline(account, notes, person, uuid)
        record.emails = [(address, label) for address, label in record.emails if address]
        notes.apply(record)
        account.parsed.records.append(record)
    _activities(account, document, people)
    return account
