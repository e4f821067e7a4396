"""Property: export → restore into an empty account → export gives the same backup.

Hypothesis builds random accounts with what has lost people and history before:
people sharing a name (and an email or LinkedIn URL), birthdays without a year and on
29 February, several positions, interactions shared by several people, notes tied to
reminders and interactions, snoozed and finished reminders, settings, edited note
templates and pairs marked as different people. Ids and `exported_at` may differ; nothing else may.
"""

import itertools
import json
from datetime import UTC, date, datetime
from typing import Any

import pytest
from django.contrib.auth.models import User
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from contacts.exporters import export_json
from contacts.importers import run_import
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
    TrustLevel,
)
from crm.models import UserSettings
from reminders.keys import anniversary_key, birthday_key, career_move_key, custom_date_key
from reminders.models import CustomDate, NoteDraft, Reminder, ReminderKind, ReminderStatus
from tests.contacts.test_transfer_json import canonical
from tests.factories import TagFactory, UserFactory

TODAY = date(2026, 11, 29)
_owners = itertools.count()

# Text as the forms leave it: one-line fields stripped, free text with line breaks.
_letters = st.characters(codec="utf-8", exclude_categories=("Cs", "Cc"))
line = st.text(_letters, max_size=12).map(str.strip)
some_line = line.filter(bool)
free_text = st.text(st.one_of(_letters, st.just("\n")), max_size=40)
day = st.dates(date(1900, 1, 1), date(2036, 12, 31))
moment = st.datetimes(datetime(2000, 1, 1), datetime(2030, 12, 31), timezones=st.just(UTC))
birthday = st.one_of(
    st.none(),
    st.just((None, 2, 29)),
    st.just((2000, 2, 29)),
    st.tuples(
        st.one_of(st.none(), st.integers(1900, 2025)), st.integers(1, 12), st.integers(1, 28)
    ),
)
position = st.fixed_dictionaries(
    {
        "company": line,
        "title": line,
        "start": st.one_of(st.none(), st.dates(date(1950, 1, 1), date(2020, 12, 31))),
        "days": st.integers(0, 4000),
        "source": st.sampled_from(PositionSource.values),
        "move": st.sampled_from(CareerMove.values),
        "detected_on": st.one_of(st.none(), day),
    }
)
person = st.fixed_dictionaries(
    {
        # Few names, so the same name is common; a name may be only a first or last name.
        "name": st.sampled_from(
            [("Ingrid", "Torres"), ("Ingrid", "Torres"), ("Ana", ""), ("", "Li")]
        ),
        "trust_level": st.sampled_from([None, *TrustLevel.values]),
        "birthday": birthday,
        "how_we_met": free_text,
        "met_on": st.one_of(st.none(), day),
        "met_at": line,
        "introduced_by": st.one_of(st.none(), st.integers(0, 10)),
        "linkedin": st.sampled_from(["", "", "ingrid-torres", "ana"]),
        "emails": st.lists(st.sampled_from(["ingrid@example.org", "ana@example.org"]), max_size=2),
        "phones": st.lists(st.sampled_from(["+1 415 555 0100", "030 1234"]), max_size=2),
        "tags": st.sets(st.sampled_from(["python", "family", "vc"]), max_size=2),
        "keep_in_touch_days": st.one_of(st.none(), st.integers(0, 3650)),
        "notes": free_text,
        "connected_on": st.one_of(st.none(), day),
        "past_jobs": st.lists(position, max_size=2),
        "current_job": st.one_of(st.none(), position),
        "custom_dates": st.lists(st.tuples(some_line, day, st.booleans()), max_size=2),
        "reminders": st.lists(
            st.tuples(st.sampled_from(["birthday", "touch", "job", "anniversary", "custom"]), day),
            max_size=3,
        ),
    }
)
interaction = st.fixed_dictionaries(
    {
        "kind": st.sampled_from(InteractionKind.values),
        "occurred_on": day,
        "occurred_at": st.one_of(st.none(), st.times()),
        "summary": some_line,
        "notes": free_text,
        "initiated_by": st.sampled_from(Initiator.values),
        "people": st.sets(st.integers(0, 10), min_size=1, max_size=3),
    }
)
note = st.fixed_dictionaries(
    {
        "person": st.integers(0, 10),
        "reminder": st.one_of(st.none(), st.integers(0, 20)),
        "interaction": st.one_of(st.none(), st.integers(0, 10)),
        "subject": line,
        "body": free_text,
        "sent_at": st.one_of(st.none(), moment),
    }
)
template = st.fixed_dictionaries(
    {
        "subject": some_line.map(lambda s: s.replace("{", "(").replace("}", ")")),
        "body": st.sampled_from(["Hi {first_name},", "Congratulations!", "Well done at {company}"]),
    }
)
account_settings = st.fixed_dictionaries(
    {
        "time_zone": st.sampled_from(["UTC", "Europe/Berlin", "America/New_York"]),
        "week_start": st.integers(0, 6),
        "cadence_close": st.one_of(st.none(), st.integers(1, 3650)),
        "cadence_unrated": st.one_of(st.none(), st.integers(1, 3650)),
        "milestone_years": st.sampled_from(["1,5,10", "2", "1,3,5,7"]),
        "milestone_every": st.integers(0, 80),
        "remind_following": st.booleans(),
        "digest_enabled": st.booleans(),
        "digest_weekday": st.integers(0, 6),
    }
)
account = st.fixed_dictionaries(
    {
        "people": st.lists(person, min_size=1, max_size=6),
        "interactions": st.lists(interaction, max_size=5),
        "notes": st.lists(note, max_size=4),
        "different": st.sets(st.tuples(st.integers(0, 10), st.integers(0, 10)), max_size=2),
        "settings": account_settings,
        "templates": st.dictionaries(
            st.sampled_from(["birthday", "job_change", "keep_in_touch"]), template, max_size=2
        ),
    }
)


def _positions(contact: Contact, spec: dict[str, Any]) -> list[Position]:
    jobs = []
    for job, current in [*((j, False) for j in spec["past_jobs"]), (spec["current_job"], True)]:
        if job is None:
            continue
        start = job["start"]
        end = None
        if not current:
            end = date.fromordinal((start or date(1990, 1, 1)).toordinal() + job["days"])
        jobs.append(
            Position.objects.create(
                contact=contact,
                company=job["company"],
                title=job["title"],
                start_date=start,
                end_date=end,
                source=job["source"],
                move=job["move"],
                detected_on=job["detected_on"],
            )
        )
    return jobs


def _reminders(owner: User, contact: Contact, spec: dict[str, Any], jobs: list[Position]) -> None:
    dates = list(CustomDate.objects.filter(contact=contact))
    statuses = itertools.cycle(ReminderStatus.values)
    seen: set[tuple[str, str]] = set()
    for what, due in spec["reminders"]:
        extra: dict[str, Any] = {}
        if what == "birthday":
            kind, key = ReminderKind.BIRTHDAY, birthday_key(due.year)
            extra["years"] = due.year % 100
        elif what == "touch":
            kind, key = ReminderKind.KEEP_IN_TOUCH, f"touch:{due.isoformat()}"
        elif what in ("job", "anniversary") and jobs:
            job = jobs[-1]
            extra["position"] = job
            if what == "job":
                kind, key = ReminderKind.JOB_CHANGE, career_move_key(job.pk)
            else:
                kind, key = ReminderKind.WORK_ANNIVERSARY, anniversary_key(job.pk, 5)
                extra["years"] = 5
        elif what == "custom" and dates:
            kind, key = ReminderKind.CUSTOM, custom_date_key(dates[0].pk, due)
            extra["custom_date"] = dates[0]
        else:
            continue
        if (kind, key) in seen:
            continue
        seen.add((kind, key))
        status = next(statuses)
        Reminder.objects.create(
            owner=owner,
            contact=contact,
            kind=kind,
            occasion_key=key,
            due_on=due,
            status=status,
            snoozed_until=due if status == ReminderStatus.SNOOZED else None,
            completed_at=(
                datetime(2026, 1, 2, 3, 4, 5, 678, tzinfo=UTC)
                if status in (ReminderStatus.DONE, ReminderStatus.DISMISSED)
                else None
            ),
            **extra,
        )


def build(owner: User, spec: dict[str, Any]) -> None:
    people: list[Contact] = []
    for n, p in enumerate(spec["people"]):
        year, month, dom = p["birthday"] or (None, None, None)
        intro = p["introduced_by"]
        contact = Contact.objects.create(
            owner=owner,
            first_name=p["name"][0],
            last_name=p["name"][1],
            trust_level=p["trust_level"],
            birthday_year=year,
            birthday_month=month,
            birthday_day=dom,
            how_we_met=p["how_we_met"],
            met_on=p["met_on"],
            met_at=p["met_at"],
            introduced_by=people[intro] if intro is not None and intro < n else None,
            linkedin_url=f"https://www.linkedin.com/in/{p['linkedin']}" if p["linkedin"] else "",
            keep_in_touch_days=p["keep_in_touch_days"],
            notes=p["notes"],
            connected_on=p["connected_on"],
        )
        people.append(contact)
        for address in p["emails"]:
            ContactEmail.objects.create(contact=contact, email=address, label="work")
        for number in p["phones"]:
            ContactPhone.objects.create(contact=contact, number=number)
        contact.tags.set(TagFactory(owner=owner, name=name) for name in p["tags"])
        for label, when, yearly in p["custom_dates"]:
            CustomDate.objects.create(contact=contact, label=label, date=when, yearly=yearly)
        _reminders(owner, contact, p, _positions(contact, p))
    interactions = []
    for i in spec["interactions"]:
        involved = {people[n % len(people)] for n in i["people"]}
        made = Interaction.objects.create(
            owner=owner,
            kind=i["kind"],
            occurred_on=i["occurred_on"],
            occurred_at=i["occurred_at"],
            summary=i["summary"],
            notes=i["notes"],
            initiated_by=i["initiated_by"],
        )
        made.contacts.set(involved)
        interactions.append(made)
    reminders = list(Reminder.objects.filter(owner=owner).order_by("pk"))
    for n in spec["notes"]:
        NoteDraft.objects.create(
            owner=owner,
            contact=people[n["person"] % len(people)],
            reminder=reminders[n["reminder"] % len(reminders)]
            if reminders and n["reminder"] is not None
            else None,
            interaction=interactions[n["interaction"] % len(interactions)]
            if interactions and n["interaction"] is not None
            else None,
            subject=n["subject"],
            body=n["body"],
            sent_at=n["sent_at"],
        )
    for a, b in spec["different"]:
        first, second = sorted((people[a % len(people)], people[b % len(people)]), key=pk_of)
        if first.pk != second.pk:
            NotDuplicate.objects.get_or_create(owner=owner, first=first, second=second)
    settings_row = UserSettings.for_user(owner)
    for name, value in spec["settings"].items():
        setattr(settings_row, name, value)
    settings_row.note_templates = spec["templates"]
    settings_row.save()


def pk_of(contact: Contact) -> int:
    return contact.pk


def export(owner: User) -> dict[str, Any]:
    return json.loads("".join(export_json(owner)))


@pytest.mark.django_db
@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(spec=account)
def test_export_restore_export_gives_the_same_backup(spec: dict[str, Any]) -> None:
    # Fresh owners per example: the database is not rolled back between examples.
    n = next(_owners)
    original, restored = UserFactory(username=f"orig{n}"), UserFactory(username=f"copy{n}")
    build(original, spec)
    first = export(original)
    report = run_import(owner=restored, source="json", data=json.dumps(first).encode(), today=TODAY)
    assert not report.skipped and not report.warnings
    second = export(restored)
    assert canonical(second) == canonical(first)
