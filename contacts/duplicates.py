"""Possible duplicates (same email, LinkedIn URL or normalised name) and merging them.

A merge keeps one contact (the survivor) and folds the other into it: every
interaction, position, reminder, note, custom date, tag, email, phone and
"introduced by" link moves over, and so does the photo when the survivor has none
(with both, the user picks one); the user picks each surviving value.
Nothing is lost: where the same reminder occasion exists on both, the
duplicate's copy is dropped (the unique constraint allows only one) after its
note drafts are pointed at the survivor's.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.contrib.auth.models import User
from django.db import transaction
from django.db.models import Count, Prefetch, Q
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from contacts import limits
from contacts.careers import began_sort_key, end_replaced_job
from contacts.models import (
    Contact,
    ContactEmail,
    ContactPhone,
    ContactPhoto,
    Interaction,
    Introduction,
    NotDuplicate,
    Position,
    TrustLevel,
)
from contacts.normalize import normalize_name
from contacts.relationships import refresh_last_interaction
from contacts.search import reindex_contacts
from contacts.trust_history import record_trust_change
from reminders.models import Reminder

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

MAX_GROUP = 20  # a "name" shared by more people than this is not a duplicate signal


@dataclass
class DuplicateGroup:
    contacts: list[Contact]
    reasons: list[str] = field(default_factory=list)

    @property
    def survivor(self) -> Contact:
        return self.contacts[0]


def find_duplicate_groups(owner: User) -> list[DuplicateGroup]:
    """Groups of the owner's contacts that may be one person, with why (fixed query count)."""
    reasons: dict[frozenset[int], list[str]] = defaultdict(list)

    emails = (
        ContactEmail.objects.filter(contact__owner=owner)
        .values("email")
        .annotate(n=Count("contact", distinct=True))
        .filter(n__gt=1)
        .values_list("email", flat=True)
    )
    by_email: dict[str, set[int]] = defaultdict(set)
    for contact_id, email in ContactEmail.objects.filter(
        contact__owner=owner, email__in=emails
    ).values_list("contact_id", "email"):
        by_email[email].add(contact_id)
    for email, ids in by_email.items():
        reasons[frozenset(ids)].append(gettext("same email %(email)s") % {"email": email})

    urls = (
        Contact.objects.filter(owner=owner)
        .exclude(linkedin_url="")
        .values("linkedin_url")
        .annotate(n=Count("id"))
        .filter(n__gt=1)
        .values_list("linkedin_url", flat=True)
    )
    by_url: dict[str, set[int]] = defaultdict(set)
    for pk, url in Contact.objects.filter(owner=owner, linkedin_url__in=urls).values_list(
        "pk", "linkedin_url"
    ):
        by_url[url].add(pk)
    for ids in by_url.values():
        reasons[frozenset(ids)].append(gettext("same LinkedIn profile"))

    by_name: dict[str, set[int]] = defaultdict(set)
    for pk, first, last in Contact.objects.filter(owner=owner).values_list(
        "pk", "first_name", "last_name"
    ):
        by_name[normalize_name(f"{first} {last}")].add(pk)
    for ids in by_name.values():
        if 1 < len(ids) <= MAX_GROUP:
            reasons[frozenset(ids)].append(gettext("same name"))

    reasons = _without_marked_pairs(owner, reasons)
    wanted = {pk for ids in reasons for pk in ids}
    contacts = Contact.objects.filter(owner=owner, pk__in=wanted).prefetch_related(
        "emails", Prefetch("positions", queryset=Position.objects.filter(end_date__isnull=True))
    )
    by_pk = {c.pk: c for c in contacts}
    groups = [
        DuplicateGroup(
            # The oldest contact is the natural survivor.
            contacts=[by_pk[pk] for pk in sorted(ids)],
            reasons=why,
        )
        for ids, why in reasons.items()
    ]
    groups.sort(
        key=lambda g: (g.survivor.last_name.lower(), g.survivor.first_name.lower(), g.survivor.pk)
    )
    return groups


def _without_marked_pairs(
    owner: User, reasons: dict[frozenset[int], list[str]]
) -> dict[frozenset[int], list[str]]:
    """Groups split where the owner said two people are different: what stays together
    is linked by pairs nobody marked, and a group left with one person is gone."""
    marked = {
        frozenset(pair)
        for pair in NotDuplicate.objects.filter(owner=owner).values_list("first_id", "second_id")
    }
    if not marked:
        return reasons
    kept: dict[frozenset[int], list[str]] = defaultdict(list)
    for ids, why in reasons.items():
        unmarked = [frozenset((a, b)) for a in ids for b in ids if a < b]
        unmarked = [pair for pair in unmarked if pair not in marked]
        # Connected parts of the group over the unmarked pairs.
        parts: list[set[int]] = []
        for pair in unmarked:
            touching = [part for part in parts if part & pair]
            merged = set(pair).union(*touching)
            parts = [part for part in parts if not part & pair] + [merged]
        for part in parts:
            kept[frozenset(part)] += [w for w in why if w not in kept[frozenset(part)]]
    return kept


def _pair(contact: Contact, other: Contact) -> tuple[Contact, Contact]:
    return (contact, other) if contact.pk < other.pk else (other, contact)


def not_duplicate_mark(*, owner: User, contact: Contact, other: Contact) -> NotDuplicate:
    """Remember that two of the owner's contacts are different people."""
    if contact.pk == other.pk or {contact.owner_id, other.owner_id} != {owner.pk}:
        raise ValueError("Mark two different contacts of the same owner.")
    first, second = _pair(contact, other)
    mark, _ = NotDuplicate.objects.get_or_create(owner=owner, first=first, second=second)
    return mark


def not_duplicate_unmark(*, owner: User, contact: Contact, other: Contact) -> bool:
    """Undo not_duplicate_mark: the pair may be listed as possible duplicates again."""
    first, second = _pair(contact, other)
    deleted, _ = NotDuplicate.objects.filter(owner=owner, first=first, second=second).delete()
    return deleted > 0


def _carry_marks(survivor: Contact, duplicate: Contact) -> None:
    """The duplicate's "different people" marks now hold for the survivor, who is them."""
    others = {
        b if a == duplicate.pk else a
        for a, b in NotDuplicate.objects.filter(
            Q(first=duplicate) | Q(second=duplicate)
        ).values_list("first_id", "second_id")
    } - {survivor.pk}
    for other in Contact.objects.filter(pk__in=others):
        first, second = _pair(survivor, other)
        NotDuplicate.objects.get_or_create(owner_id=survivor.owner_id, first=first, second=second)


# --- Merge ------------------------------------------------------------------------

SURVIVOR, DUPLICATE, BOTH = "survivor", "duplicate", "both"
CURRENT_JOB = "current_job"
PHOTO = "photo"
# Text that can keep both values (the default: a merge loses nothing typed), joined
# like this, as long as the result fits the field.
KEEP_BOTH: dict[str, tuple[str, int]] = {
    "how_we_met": ("\n\n", limits.HOW_WE_MET_MAX),
    "met_at": ("; ", Contact._meta.get_field("met_at").max_length or 200),
    "notes": ("\n\n", limits.NOTES_MAX),
}
# Fields the user chooses between; text fields may also keep both values.
MERGE_FIELDS: list[tuple[str, "StrOrPromise", bool]] = [
    ("first_name", _("First name"), False),
    ("last_name", _("Last name"), False),
    ("trust_level", _("Trust level"), False),
    ("linkedin_url", _("LinkedIn URL"), False),
    ("birthday", _("Birthday"), False),
    ("how_we_met", _("How we met"), True),
    ("met_on", _("Met on"), False),
    ("met_at", _("Place or event"), True),
    ("introduced_by", _("Introduced by"), False),
    ("keep_in_touch_days", _("Keep in touch every (days)"), False),
    ("connected_on", _("Connected on LinkedIn"), False),
    ("notes", _("Notes"), True),
]
BIRTHDAY_FIELDS = ("birthday_year", "birthday_month", "birthday_day")


def _value(contact: Contact, name: str) -> Any:
    if name == "birthday":
        return tuple(getattr(contact, f) for f in BIRTHDAY_FIELDS)
    if name == "introduced_by":
        return contact.introduced_by_id
    return getattr(contact, name)


def _display(contact: Contact, name: str) -> str:
    if name == "birthday":
        return contact.birthday_display
    if name == "trust_level":
        return contact.trust_label
    if name == "introduced_by":
        return contact.introduced_by.full_name if contact.introduced_by else ""
    value = getattr(contact, name)
    return "" if value in (None, "") else str(value)


@dataclass
class FieldChoice:
    name: str
    label: "StrOrPromise"
    survivor: str
    duplicate: str
    can_keep_both: bool

    @property
    def fits_both(self) -> bool:
        """Both values are there, and joined they still fit the field."""
        if not (self.can_keep_both and self.survivor and self.duplicate):
            return False
        separator, limit = KEEP_BOTH[self.name]
        return len(self.survivor) + len(separator) + len(self.duplicate) <= limit

    @property
    def limit(self) -> int:
        return KEEP_BOTH[self.name][1]

    @property
    def default(self) -> str:
        if self.fits_both:
            return BOTH
        return DUPLICATE if not self.survivor and self.duplicate else SURVIVOR


@dataclass
class MergePreview:
    survivor: Contact
    duplicate: Contact
    choices: list[FieldChoice]
    moves: dict[str, int]
    # Both have a current job: the person picks the one that stays current.
    current_jobs: list[Position] = field(default_factory=list)

    @property
    def both_photos(self) -> bool:
        """Both have a photo: the person picks the one to keep."""
        return bool(self.survivor.photo_version and self.duplicate.photo_version)

    @property
    def newest_job(self) -> Position | None:
        return max(self.current_jobs, key=began_sort_key) if self.current_jobs else None


def _current_jobs(survivor: Contact, duplicate: Contact) -> list[Position]:
    """The current jobs of both, the survivor's first; empty unless there are two or more."""
    jobs = list(
        Position.objects.filter(contact__in=[survivor, duplicate], end_date__isnull=True)
        .select_related("contact")
        .order_by("-start_date", "-id")
    )
    jobs.sort(key=lambda p: p.contact_id != survivor.pk)
    return jobs if len(jobs) > 1 else []


def merge_preview(*, survivor: Contact, duplicate: Contact) -> MergePreview:
    """The fields that differ, and how many rows the merge would move."""
    choices = [
        FieldChoice(
            name=name,
            label=label,
            survivor=_display(survivor, name),
            duplicate=_display(duplicate, name),
            can_keep_both=both,
        )
        for name, label, both in MERGE_FIELDS
        if _value(survivor, name) != _value(duplicate, name)
        and not (name == "introduced_by" and duplicate.introduced_by_id == survivor.pk)
    ]
    duplicate_keys = set(
        Reminder.objects.filter(contact=survivor).values_list("kind", "occasion_key")
    )
    reminders = list(Reminder.objects.filter(contact=duplicate).values_list("kind", "occasion_key"))
    moves = {
        "interactions": duplicate.interactions.count(),
        "positions": duplicate.positions.count(),
        "reminders": sum(1 for r in reminders if r not in duplicate_keys),
        "reminders_dropped": sum(1 for r in reminders if r in duplicate_keys),
        "notes": duplicate.note_drafts.count(),
        "emails": duplicate.emails.exclude(email__in=survivor.emails.values("email")).count(),
        "phones": duplicate.phones.exclude(number__in=survivor.phones.values("number")).count(),
        "tags": duplicate.tags.exclude(pk__in=survivor.tags.values("pk")).count(),
        "introduced": duplicate.introduced.exclude(pk=survivor.pk).count(),
        "photo": int(bool(duplicate.photo_version and not survivor.photo_version)),
    }
    return MergePreview(
        survivor=survivor,
        duplicate=duplicate,
        choices=choices,
        moves=moves,
        current_jobs=_current_jobs(survivor, duplicate),
    )


def _apply_choices(survivor: Contact, duplicate: Contact, choices: dict[str, str]) -> None:
    for name, label, can_keep_both in MERGE_FIELDS:
        choice = choices.get(name) or SURVIVOR
        if name not in choices and can_keep_both:
            choice = _default_choice(survivor, duplicate, name, label)
        if choice == DUPLICATE:
            if name == "birthday":
                for f in BIRTHDAY_FIELDS:
                    setattr(survivor, f, getattr(duplicate, f))
            elif name == "introduced_by":
                survivor.introduced_by_id = duplicate.introduced_by_id
            else:
                setattr(survivor, name, getattr(duplicate, name))
        elif choice == BOTH and can_keep_both:
            parts = [getattr(survivor, name), getattr(duplicate, name)]
            if parts[0] != parts[1]:
                setattr(survivor, name, KEEP_BOTH[name][0].join(p for p in parts if p))
    if survivor.introduced_by_id in (survivor.pk, duplicate.pk):
        # Someone cannot have introduced themselves to the user.
        survivor.introduced_by_id = None
    if survivor.trust_level and survivor.trust_level not in TrustLevel.values:
        survivor.trust_level = None


def _default_choice(survivor: Contact, duplicate: Contact, name: str, label: "StrOrPromise") -> str:
    """A text the caller chose nothing for: both when they fit, as the merge form offers."""
    return FieldChoice(
        name=name,
        label=label,
        survivor=_display(survivor, name),
        duplicate=_display(duplicate, name),
        can_keep_both=True,
    ).default


def _one_current_job(survivor: Contact, duplicate: Contact, keep: str | None) -> None:
    """Before the positions move over: if both have a current job, only the chosen one
    (by default the one that began last) stays current; the other ends the day before
    it began, as a job change would have ended it."""
    current = list(
        Position.objects.select_for_update().filter(
            contact__in=[survivor, duplicate], end_date__isnull=True
        )
    )
    if len(current) < 2:
        return
    kept = next((p for p in current if str(p.pk) == keep), None) or max(current, key=began_sort_key)
    for position in current:
        if position.pk != kept.pk:
            position.end_date = end_replaced_job(position, replaced_on=kept.began_on)
            position.save(update_fields=["end_date"])


def _keep_photo(survivor: Contact, duplicate: Contact, choice: str | None) -> None:
    """The duplicate's photo moves over when the survivor has none, or when it is chosen;
    otherwise it goes with the duplicate. The version moves on, so the photo's URL changes."""
    if not duplicate.photo_version or (survivor.photo_version and choice != DUPLICATE):
        return
    ContactPhoto.objects.filter(contact=survivor).delete()
    ContactPhoto.objects.filter(contact=duplicate).update(contact=survivor)
    survivor.photo_version = max(survivor.photo_version, duplicate.photo_version) + 1


@transaction.atomic
def contact_merge(
    *, survivor: Contact, duplicate: Contact, choices: dict[str, str] | None = None
) -> Contact:
    """Fold `duplicate` into `survivor`, keeping the chosen values, and delete it.

    `choices` maps a field of MERGE_FIELDS to SURVIVOR, DUPLICATE or BOTH (missing: the
    form's default, so texts keep both values), CURRENT_JOB to the id of the
    position that stays current when both have one, and PHOTO to whose photo stays
    when both have one (missing: the survivor's).
    """
    if survivor.pk == duplicate.pk or survivor.owner_id != duplicate.owner_id:
        raise ValueError("Merge two different contacts of the same owner.")
    survivor = Contact.objects.select_for_update().get(pk=survivor.pk)
    duplicate = Contact.objects.select_for_update().get(pk=duplicate.pk)
    choices = choices or {}
    level_before = survivor.trust_level
    _apply_choices(survivor, duplicate, choices)
    _one_current_job(survivor, duplicate, choices.get(CURRENT_JOB))

    # Interactions: re-link, without a second link where both took part.
    links = Interaction.contacts.through.objects
    shared = links.filter(contact=survivor).values("interaction_id")
    links.filter(contact=duplicate, interaction_id__in=shared).delete()
    links.filter(contact=duplicate).update(contact=survivor)

    # Reminders: the same occasion on both is kept once (the survivor's).
    mine = {
        (kind, key): pk
        for pk, kind, key in Reminder.objects.filter(contact=survivor).values_list(
            "pk", "kind", "occasion_key"
        )
    }
    for reminder in Reminder.objects.filter(contact=duplicate):
        twin = mine.get((reminder.kind, reminder.occasion_key))
        if twin is None:
            continue
        reminder.drafts.update(reminder_id=twin)
        reminder.delete()
    Reminder.objects.filter(contact=duplicate).update(contact=survivor)

    # Details: keep every email and phone the survivor lacks, and every tag.
    survivor_emails = set(survivor.emails.values_list("email", flat=True))
    ContactEmail.objects.filter(contact=duplicate, email__in=survivor_emails).delete()
    ContactEmail.objects.filter(contact=duplicate).update(contact=survivor)
    survivor_phones = set(survivor.phones.values_list("number", flat=True))
    ContactPhone.objects.filter(contact=duplicate, number__in=survivor_phones).delete()
    ContactPhone.objects.filter(contact=duplicate).update(contact=survivor)
    survivor.tags.add(*duplicate.tags.all())

    # People the duplicate introduced are now introduced by the survivor.
    Contact.objects.filter(introduced_by=duplicate).exclude(pk=survivor.pk).update(
        introduced_by=survivor
    )
    # An introduction of the two to each other has nobody left to introduce.
    Introduction.objects.filter(
        Q(first=duplicate, second=survivor) | Q(first=survivor, second=duplicate)
    ).delete()
    # Everything else that points at a contact (positions, custom dates, note drafts,
    # connection requests, and whatever other areas add) moves as it is.
    handled = {"interactions", "reminders", "emails", "phones", "introduced", "tags"}
    for relation in Contact._meta.related_objects:
        if relation.one_to_many and relation.get_accessor_name() not in handled:
            relation.related_model._base_manager.filter(**{relation.field.name: duplicate}).update(
                **{relation.field.name: survivor}
            )

    if survivor.connected_on is None:
        survivor.connected_on = duplicate.connected_on
    _carry_marks(survivor, duplicate)
    _keep_photo(survivor, duplicate, choices.get(PHOTO))
    duplicate.delete()
    survivor.full_clean(exclude=["owner", "introduced_by", "tags"])
    survivor.save()
    # The duplicate's history moved over with its other rows; the merge adds its own step.
    record_trust_change(contact=survivor, before=level_before, after=survivor.trust_level)
    refresh_last_interaction([survivor.pk])
    reindex_contacts([survivor])
    survivor.refresh_from_db()
    return survivor
