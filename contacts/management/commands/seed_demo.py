"""Fill an account with realistic, deterministic demo data.

    python manage.py seed_demo --user demo --contacts 300 --interactions 3000 --seed 1

Everything is generated in memory first (so search text and last interaction dates
are known up front) and written with bulk inserts, so 30,000 contacts and 300,000
interactions take seconds, not minutes. The same seed on the same day gives the same
data; dates are relative to today so the demo always has something due this week.
"""

import random
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection, transaction
from django.utils import timezone

from contacts.management.commands import _demo_words as words
from contacts.models import (
    CareerMove,
    Contact,
    ContactEmail,
    ContactPhone,
    Initiator,
    Interaction,
    InteractionKind,
    Position,
    PositionSource,
    Tag,
    TrustLevel,
)
from contacts.search import compose_search_text, own_text
from crm.data_version import data_changed

BATCH = 2000

# (level, weight): a realistic network is mostly loose ties and a few close ones.
TRUST_WEIGHTS: list[tuple[str | None, int]] = [
    (None, 22),
    (TrustLevel.FOLLOWING, 13),
    (TrustLevel.MET, 25),
    (TrustLevel.ACQUAINTANCE, 20),
    (TrustLevel.KNOW_WELL, 12),
    (TrustLevel.CLOSE, 8),
]
KIND_WEIGHTS: list[tuple[str, int]] = [
    (InteractionKind.MESSAGE, 25),
    (InteractionKind.EMAIL, 18),
    (InteractionKind.CALL, 12),
    (InteractionKind.MEAL, 12),
    (InteractionKind.MEETING, 10),
    (InteractionKind.VIDEO_CALL, 8),
    (InteractionKind.EVENT, 5),
    (InteractionKind.NOTE_SENT, 4),
    (InteractionKind.INTRODUCTION, 2),
    (InteractionKind.LETTER, 2),
    (InteractionKind.OTHER, 2),
]


@dataclass
class PlannedContact:
    """One contact and its children, before any of it is in the database."""

    contact: Contact
    emails: list[str] = field(default_factory=list)
    phones: list[str] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    positions: list[Position] = field(default_factory=list)
    introducer: int | None = None  # index into the plan


# kind, occurred on, summary, indexes of the people in the plan
PlannedInteraction = tuple[str, date, str, list[int]]


def _chunks[T](items: Sequence[T], size: int = BATCH) -> Iterator[Sequence[T]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _initiator(kind: str, n: int) -> str:
    """Who reached out, in a fixed mix: half me, a third them, the rest mutual.

    A note sent is always the user's; the mix follows the interaction's place in the
    plan, so the same seed gives the same data.
    """
    if kind == InteractionKind.NOTE_SENT:
        return Initiator.ME
    return (Initiator.ME, Initiator.THEM, Initiator.ME, Initiator.MUTUAL, Initiator.THEM)[n % 5]


class Command(BaseCommand):
    help = "Fill an account with realistic, deterministic demo contacts and interactions."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--user", required=True, help="Username (created if missing).")
        parser.add_argument("--contacts", type=int, default=300, help="How many contacts.")
        parser.add_argument(
            "--interactions",
            type=int,
            default=None,
            help="How many interactions (default: five per contact).",
        )
        parser.add_argument(
            "--seed", type=int, default=1, help="Random seed (same seed, same data)."
        )
        parser.add_argument(
            "--replace",
            action="store_true",
            help="Delete the user's existing contacts, tags and interactions first.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        count: int = options["contacts"]
        interactions: int = (
            options["interactions"] if options["interactions"] is not None else count * 5
        )
        if count < 0 or interactions < 0:
            raise CommandError("--contacts and --interactions must not be negative.")
        if interactions and not count:
            raise CommandError("Interactions need contacts: pass --contacts too.")
        started = time.perf_counter()
        with transaction.atomic():
            user = self._user(options["user"])
            if Contact.objects.filter(owner=user).exists():
                if not options["replace"]:
                    raise CommandError(
                        f"{user.get_username()} already has contacts. Pass --replace to delete "
                        "their contacts, tags and interactions and seed afresh."
                    )
                Interaction.objects.filter(owner=user).delete()
                Contact.objects.filter(owner=user).delete()
                Tag.objects.filter(owner=user).delete()
            seeder = Seeder(user=user, seed=options["seed"], today=date.today())
            seeder.run(contacts=count, interactions=interactions)
            data_changed(int(user.pk))  # written in bulk: no signals
        self._refresh_statistics()
        if options["verbosity"] > 0:
            self.stdout.write(
                self.style.SUCCESS(
                    f"Seeded {count} contacts and {interactions} interactions for "
                    f"{user.get_username()} in {time.perf_counter() - started:.1f}s."
                )
            )

    def _refresh_statistics(self) -> None:
        """PostgreSQL: plan with real row counts and allow index-only scans right away.

        Autovacuum would get there within minutes; benchmarks and demos start now.
        VACUUM cannot run inside a transaction, so this runs after the seeding one.
        """
        if connection.vendor != "postgresql" or not connection.get_autocommit():
            return
        tables = [
            model._meta.db_table
            for model in (Contact, ContactEmail, ContactPhone, Position, Tag, Interaction)
        ] + [Contact.tags.through._meta.db_table, Interaction.contacts.through._meta.db_table]
        with connection.cursor() as cursor:
            cursor.execute(f"VACUUM ANALYZE {', '.join(tables)}")

    def _user(self, username: str) -> Any:
        User = get_user_model()
        user = User.objects.filter(username=username).first()
        if user is None:
            user = User(username=username)
            # Demo accounts get no password; set one with `manage.py changepassword`.
            user.set_unusable_password()
            user.save()
            self.stdout.write(f"Created user {username} (no password: run changepassword).")
        return user


class Seeder:
    def __init__(self, *, user: Any, seed: int, today: date) -> None:
        self.user = user
        self.rng = random.Random(seed)
        self.today = today

    # --- helpers -------------------------------------------------------------------

    def _weighted[T](self, pairs: list[tuple[T, int]]) -> T:
        values, weights = zip(*pairs, strict=True)
        return self.rng.choices(values, weights=weights)[0]

    def _days_ago(self, low: int, high: int) -> date:
        return self.today - timedelta(days=self.rng.randint(low, high))

    def _fill(self, template: str) -> str:
        return template.format(
            place=self.rng.choice(words.PLACES), topic=self.rng.choice(words.TOPICS)
        )

    # --- plan ----------------------------------------------------------------------

    def plan_contact(self, index: int) -> PlannedContact:
        rng = self.rng
        first = rng.choice(words.FIRST_NAMES)
        last = rng.choice(words.LAST_NAMES)
        if rng.random() < 0.03:
            last = ""  # a few people are known by one name only
        contact = Contact(
            owner=self.user,
            first_name=first,
            last_name=last,
            trust_level=self._weighted(TRUST_WEIGHTS),
        )
        plan = PlannedContact(contact=contact)
        if rng.random() < 0.6:
            place = rng.choice(words.PLACES)
            contact.met_at = place
            contact.met_on = self._days_ago(30, 15 * 365)
            contact.how_we_met = rng.choice(words.STORIES).format(
                place=place, topic=rng.choice(words.TOPICS)
            )
            if index > 10 and rng.random() < 0.12:
                plan.introducer = rng.randrange(index)
        if rng.random() < 0.55:
            contact.connected_on = self._days_ago(10, 10 * 365)
        if rng.random() < 0.5:
            self._birthday(contact)
        if rng.random() < 0.25:
            contact.notes = self._fill(rng.choice(words.NOTES))
        if rng.random() < 0.05:
            contact.keep_in_touch_days = rng.choice([0, 14, 60])
        slug = f"{first}-{last or 'x'}-{index}".lower()
        if rng.random() < 0.5:
            contact.linkedin_url = f"https://www.linkedin.com/in/{slug}"
        # Emails: most people one, some several, some none.
        for n in range(rng.choices([0, 1, 2, 3], weights=[12, 70, 15, 3])[0]):
            # The number n keeps a second and third address apart when the domain repeats.
            local = f"{first}.{last}".lower().strip(".") if n == 0 else f"{first.lower()}{n}"
            plan.emails.append(f"{local}.{index}@{rng.choice(words.EMAIL_DOMAINS)}")
        if rng.random() < 0.4:
            plan.phones.append(f"+1 555 {rng.randint(100, 999)} {rng.randint(1000, 9999)}")
            if rng.random() < 0.1:
                plan.phones.append(f"+44 20 {rng.randint(1000, 9999)} {rng.randint(1000, 9999)}")
        how_many = rng.choices([0, 1, 2, 3], weights=[35, 40, 18, 7])[0]
        plan.tags = sorted(rng.sample(words.TAGS, how_many))  # tags sort by name
        if index % 3 == 0:  # one in three has a current job (10,000 at 30,000)
            self._career(plan)
        return plan

    def _birthday(self, contact: Contact) -> None:
        rng = self.rng
        if rng.random() < 0.02:
            month, day = 2, 29
            year = rng.choice([1984, 1988, 1992, 1996, None])
        else:
            month = rng.randint(1, 12)
            day = rng.randint(1, 28)
            year = rng.randint(1950, 2002) if rng.random() < 0.7 else None
        contact.birthday_year, contact.birthday_month, contact.birthday_day = year, month, day

    def _career(self, plan: PlannedContact) -> None:
        rng = self.rng
        company = rng.choice(words.COMPANIES)
        title = rng.choice(words.TITLES)
        # Some jobs are brand new so the demo has job changes to congratulate.
        recent = rng.random() < 0.04
        start = self._days_ago(3, 40) if recent else self._days_ago(60, 12 * 365)
        move = CareerMove.FIRST
        if rng.random() < 0.3:
            past_company = rng.choice(words.COMPANIES)
            past_start = start - timedelta(days=rng.randint(365, 6 * 365))
            plan.positions.append(
                Position(
                    company=past_company,
                    title=rng.choice(words.TITLES),
                    start_date=past_start,
                    end_date=start - timedelta(days=1),
                    source=PositionSource.ENTERED,
                    move=CareerMove.FIRST,
                )
            )
            move = CareerMove.PROMOTION if past_company == company else CareerMove.JOB_CHANGE
        plan.positions.append(
            Position(
                company=company,
                title=title,
                start_date=start,
                source=PositionSource.ENTERED,
                move=move,
            )
        )

    def plan_interactions(self, count: int, people: int) -> list[PlannedInteraction]:
        rng = self.rng
        planned: list[PlannedInteraction] = []
        # Close ties get more of the interactions: weight people by trust rank.
        weights = [1 + 2 * rank for rank in self._ranks]
        cumulative: list[float] = []
        total = 0.0
        for weight in weights:
            total += weight
            cumulative.append(total)
        for _ in range(count):
            kind = self._weighted(KIND_WEIGHTS)
            size = rng.choices([1, 2, 3], weights=[80, 15, 5])[0]
            indexes = sorted(set(rng.choices(range(people), cum_weights=cumulative, k=size)))
            occurred_on = self._days_ago(0, 3 * 365)
            summary = self._fill(rng.choice(words.SUMMARIES[kind]))
            planned.append((kind, occurred_on, summary, indexes))
        return planned

    # --- write ---------------------------------------------------------------------

    def run(self, *, contacts: int, interactions: int) -> None:
        plans = [self.plan_contact(i) for i in range(contacts)]
        self._ranks = [TrustLevel.rank(p.contact.trust_level) for p in plans]
        planned = self.plan_interactions(interactions, contacts) if contacts else []

        last_seen: dict[int, date] = {}
        for _kind, occurred_on, _summary, indexes in planned:
            for i in indexes:
                if last_seen.get(i, date.min) < occurred_on:
                    last_seen[i] = occurred_on
        for i, plan in enumerate(plans):
            contact = plan.contact
            contact.last_interaction_on = last_seen.get(i)
            contact.search_text = compose_search_text(
                **own_text(contact),
                emails=plan.emails,
                phones=plan.phones,
                tags=plan.tags,
                current_jobs=[(p.company, p.title) for p in plan.positions if p.end_date is None],
            )

        Contact.objects.bulk_create([p.contact for p in plans], batch_size=BATCH)
        ids = [p.contact.pk for p in plans]
        self._write_introducers(plans)
        self._write_children(plans)
        interaction_ids = self._write_interactions(planned, ids)
        # The contacts went in before their interactions: point each at its newest now.
        self._write_last_interactions(planned, interaction_ids, plans)

    def _write_last_interactions(
        self, planned: list[PlannedInteraction], interaction_ids: list[int], plans: list[Any]
    ) -> None:
        """Each contact's newest interaction, known here already, written in one statement.

        Asking the database instead (refresh_last_interaction per chunk) took 13 minutes
        for 30,000 people on PostgreSQL: a correlated subquery per contact over link rows
        that were not analysed yet. The order is the timeline's: the day, then the later
        entry (seeded interactions have no time of day).
        """
        newest: dict[int, tuple[date, int]] = {}
        for pk, (_kind, occurred_on, _summary, indexes) in zip(
            interaction_ids, planned, strict=True
        ):
            for i in indexes:
                if newest.get(i, (date.min, 0)) < (occurred_on, pk):
                    newest[i] = (occurred_on, pk)
        if not newest:
            return
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute(
                    # The table name is our own; the values travel as parameters.
                    f"UPDATE {Contact._meta.db_table} AS c SET last_interaction_id = v.iid, "  # noqa: S608
                    "last_interaction_on = v.day "
                    "FROM unnest(%s::bigint[], %s::bigint[], %s::date[]) AS v(cid, iid, day) "
                    "WHERE c.id = v.cid",
                    [
                        [plans[i].contact.pk for i in newest],
                        [pk for _, pk in newest.values()],
                        [day for day, _ in newest.values()],
                    ],
                )
            return
        with connection.cursor() as cursor:
            # SQLite: one prepared statement run per row is several times faster than
            # bulk_update's CASE expressions.
            cursor.executemany(
                f"UPDATE {Contact._meta.db_table} SET last_interaction_id = %s, "  # noqa: S608
                "last_interaction_on = %s WHERE id = %s",
                [(pk, day, plans[i].contact.pk) for i, (day, pk) in newest.items()],
            )

    def _write_introducers(self, plans: list[PlannedContact]) -> None:
        introduced = []
        for plan in plans:
            if plan.introducer is not None:
                plan.contact.introduced_by_id = plans[plan.introducer].contact.pk
                introduced.append(plan.contact)
        Contact.objects.bulk_update(introduced, ["introduced_by"], batch_size=500)

    def _write_children(self, plans: list[PlannedContact]) -> None:
        tags = {
            name: Tag(owner=self.user, name=name)
            for name in sorted({name for plan in plans for name in plan.tags})
        }
        Tag.objects.bulk_create(tags.values())
        tag_ids = {tag.name: tag.pk for tag in Tag.objects.filter(owner=self.user)}
        emails, phones, positions, tag_rows = [], [], [], []
        TagThrough = Contact.tags.through
        for plan in plans:
            cid = plan.contact.pk
            emails += [ContactEmail(contact_id=cid, email=e) for e in plan.emails]
            phones += [ContactPhone(contact_id=cid, number=n) for n in plan.phones]
            for position in plan.positions:
                position.contact_id = cid
                positions.append(position)
            tag_rows += [TagThrough(contact_id=cid, tag_id=tag_ids[t]) for t in plan.tags]
        ContactEmail.objects.bulk_create(emails, batch_size=BATCH)
        ContactPhone.objects.bulk_create(phones, batch_size=BATCH)
        Position.objects.bulk_create(positions, batch_size=BATCH)
        TagThrough.objects.bulk_create(tag_rows, batch_size=BATCH)

    def _write_interactions(self, planned: list[PlannedInteraction], ids: list[int]) -> list[int]:
        """Write the planned interactions; their ids, in the plan's order."""
        if connection.vendor == "postgresql":
            return self._copy_interactions(planned, ids)
        Through = Interaction.contacts.through
        written: list[int] = []
        # In chunks, so 300,000 interactions never sit in memory as model instances.
        for chunk in _chunks(planned, 5000):
            rows = [
                Interaction(
                    owner=self.user,
                    kind=kind,
                    occurred_on=on,
                    summary=summary,
                    initiated_by=_initiator(kind, n),
                )
                for n, (kind, on, summary, _) in enumerate(chunk, start=len(written))
            ]
            Interaction.objects.bulk_create(rows, batch_size=BATCH)
            written += [row.pk for row in rows]
            Through.objects.bulk_create(
                [
                    Through(interaction_id=row.pk, contact_id=ids[i])
                    for row, (*_, indexes) in zip(rows, chunk, strict=True)
                    for i in indexes
                ],
                batch_size=BATCH * 2,
            )
        return written

    def _copy_interactions(self, planned: list[PlannedInteraction], ids: list[int]) -> list[int]:
        """PostgreSQL: COPY is several times faster than INSERTs for 300,000 rows."""
        table = Interaction._meta.db_table
        through = Interaction.contacts.through._meta.db_table
        now = timezone.now()
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
                [table, len(planned)],
            )
            new_ids = [row[0] for row in cursor.fetchall()]
            raw = cursor.cursor
            given = ["id", "owner_id", "kind", "occurred_on", "summary", "initiated_by"]
            # Every other column gets its field's default, so a column added to
            # Interaction later is filled too (COPY knows no Django defaults).
            rest: dict[str, Any] = {
                str(field.column): field.get_db_prep_save(field.get_default(), connection)
                for field in Interaction._meta.concrete_fields
                if field.column not in given
            }
            rest.update(created_at=now, updated_at=now)
            columns = ", ".join([*given, *rest])
            with raw.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                for n, (pk, (kind, on, summary, _)) in enumerate(
                    zip(new_ids, planned, strict=True)
                ):
                    row = (pk, self.user.pk, kind, on, summary, _initiator(kind, n))
                    copy.write_row((*row, *rest.values()))
            with raw.copy(f"COPY {through} (interaction_id, contact_id) FROM STDIN") as copy:
                for pk, (*_, indexes) in zip(new_ids, planned, strict=True):
                    for i in indexes:
                        copy.write_row((pk, ids[i]))
        return new_ids
