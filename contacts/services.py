"""Writes that touch a contact and its related rows, each in one transaction."""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, F, Q, QuerySet
from django.utils.translation import gettext

from contacts.careers import record_job_change
from contacts.changes import announce_changed
from contacts.models import (
    Contact,
    ContactEmail,
    ContactPhone,
    ContactPhoto,
    Interaction,
    Tag,
)
from contacts.normalize import normalize_email, normalize_tags
from contacts.photos import Photo, PhotoError, photo_from_bytes
from contacts.search import reindex_contacts
from contacts.trust_history import record_trust_change
from crm.data_version import data_changed
from reminders.models import NoteDraft, Reminder, ReminderStatus


def tags_get_or_create(*, owner: User, names: Iterable[str]) -> list[Tag]:
    """The owner's tags with these names (normalised), creating the missing ones (set-based)."""
    wanted = set(normalize_tags(names))
    if not wanted:
        return []
    existing = {tag.name: tag for tag in Tag.objects.filter(owner=owner, name__in=wanted)}
    missing = [Tag(owner=owner, name=name) for name in wanted - existing.keys()]
    Tag.objects.bulk_create(missing, ignore_conflicts=True)
    return list(Tag.objects.filter(owner=owner, name__in=wanted))


def contact_tags_add(*, owner: User, tags: Iterable[tuple[int, Iterable[str]]]) -> None:
    """Add tags to many contacts at once: (contact id, tag names) pairs; tags they
    already have are left alone. For imports; the form replaces a contact's tags."""
    pairs = [(contact_id, normalize_tags(names)) for contact_id, names in tags]
    by_name = {
        tag.name: tag.pk
        for tag in tags_get_or_create(owner=owner, names={n for _, names in pairs for n in names})
    }
    through = Contact.tags.through
    rows = [
        through(contact_id=contact_id, tag_id=by_name[name])
        for contact_id, names in pairs
        for name in names
    ]
    through.objects.bulk_create(rows, batch_size=1000, ignore_conflicts=True)
    data_changed(int(owner.pk))  # a bulk write sends no signal


@transaction.atomic
def contact_create(
    *,
    owner: User,
    emails: Iterable[str] = (),
    phones: Iterable[str] = (),
    tags: Iterable[str] = (),
    company: str = "",
    title: str = "",
    **fields: Any,
) -> Contact:
    """A new contact with its details and, when given, their current job.

    The job goes through the career service like every other position: it is the
    person's first known job, which raises no "new job" occasion.
    """
    contact = _save(Contact(owner=owner, **fields), emails=emails, phones=phones, tags=tags)
    if company.strip() or title.strip():
        record_job_change(
            contact=contact, company=company.strip(), title=title.strip(), start_date=None
        )
    return contact


@transaction.atomic
def contact_update(
    *,
    contact: Contact,
    emails: Iterable[str] | None = None,
    phones: Iterable[str] | None = None,
    tags: Iterable[str] | None = None,
    **fields: Any,
) -> Contact:
    before = contact.trust_level
    for name, value in fields.items():
        setattr(contact, name, value)
    saved = _save(contact, emails=emails, phones=phones, tags=tags)
    record_trust_change(contact=saved, before=before, after=saved.trust_level)
    return saved


@transaction.atomic
def contact_save(
    *,
    owner: User,
    contact: Contact | None,
    photo: bytes | None = None,
    remove_photo: bool = False,
    **fields: Any,
) -> Contact:
    """The contact form's save: a new or edited contact, and its photo, in one transaction.

    A photo that contact_photo_set refuses leaves no half-saved contact.
    """
    if contact is None:
        contact = contact_create(owner=owner, **fields)
    else:
        contact = contact_update(contact=contact, **fields)
    if photo:
        contact_photo_set(contact=contact, raw=photo)
    elif remove_photo:
        contact_photo_remove(contact=contact)
    return contact


def _save(
    contact: Contact,
    *,
    emails: Iterable[str] | None,
    phones: Iterable[str] | None,
    tags: Iterable[str] | None,
) -> Contact:
    """Validate and save a created or edited contact with its details (None: leave as is)."""
    _check_introducer(contact)
    contact.full_clean(exclude=["owner", "introduced_by", "tags"])
    contact.save()
    _replace_details(contact, emails=emails, phones=phones, tags=tags)
    return contact


def _interactions_with(contact: Contact) -> QuerySet[Interaction]:
    """The contact's interactions, each with `people`: how many contacts it has."""
    theirs = Interaction.objects.filter(contacts=contact).values("pk")
    return Interaction.objects.filter(owner_id=contact.owner_id, pk__in=theirs).annotate(
        people=Count("contacts")
    )


@dataclass(frozen=True)
class DeletePreview:
    """What deleting a contact takes with it, counted in the database."""

    emails: int
    phones: int
    positions: int
    dates_to_remember: int
    reminders: int
    open_reminders: int
    drafts: int
    sent_notes: int
    solo_interactions: int
    shared_interactions: int
    introduced: int
    introduced_names: list[str]

    @property
    def introduced_more(self) -> int:
        return self.introduced - len(self.introduced_names)


INTRODUCED_SHOWN = 5


def contact_delete_preview(*, contact: Contact) -> DeletePreview:
    """Counts for the delete confirmation; a fixed number of aggregate queries."""
    people = _interactions_with(contact).aggregate(
        solo=Count("pk", filter=Q(people=1)), shared=Count("pk", filter=Q(people__gt=1))
    )
    reminders = Reminder.objects.filter(contact=contact).aggregate(
        total=Count("pk"),
        open=Count("pk", filter=Q(status__in=[ReminderStatus.OPEN, ReminderStatus.SNOOZED])),
    )
    notes = NoteDraft.objects.filter(contact=contact).aggregate(
        drafts=Count("pk", filter=Q(sent_at__isnull=True)),
        sent=Count("pk", filter=Q(sent_at__isnull=False)),
    )
    details = Contact.objects.filter(pk=contact.pk).aggregate(
        emails=Count("emails", distinct=True),
        phones=Count("phones", distinct=True),
        positions=Count("positions", distinct=True),
        dates=Count("custom_dates", distinct=True),
        introduced=Count("introduced", distinct=True),
    )
    names = list(
        Contact.objects.filter(introduced_by=contact)
        .order_by("last_name", "first_name", "pk")
        .values_list("first_name", "last_name")[:INTRODUCED_SHOWN]
    )
    return DeletePreview(
        emails=details["emails"],
        phones=details["phones"],
        positions=details["positions"],
        dates_to_remember=details["dates"],
        reminders=reminders["total"],
        open_reminders=reminders["open"],
        drafts=notes["drafts"],
        sent_notes=notes["sent"],
        solo_interactions=people["solo"],
        shared_interactions=people["shared"],
        introduced=details["introduced"],
        introduced_names=[f"{first} {last}".strip() for first, last in names],
    )


@transaction.atomic
def contact_delete(*, contact: Contact) -> None:
    """Delete a contact with everything of theirs that contact_delete_preview() lists.

    Interactions shared with other people stay (without this person); interactions
    that were only with this person go too, since nobody else is left in them. People
    they introduced stay, without the link.
    """
    # django-stubs cannot see the `people` annotation made in _interactions_with().
    solo = _interactions_with(contact).filter(people=1).values_list("pk", flat=True)  # type: ignore[misc]
    Interaction.objects.filter(pk__in=list(solo)).delete()
    contact.delete()


def _check_introducer(contact: Contact) -> None:
    """Only the owner's other contacts can have introduced them (never another user's)."""
    introducer_id = contact.introduced_by_id
    if introducer_id is None:
        return
    if introducer_id == contact.pk:
        raise ValidationError(
            {"introduced_by": gettext("Someone cannot introduce you to themselves.")}
        )
    if not Contact.objects.filter(pk=introducer_id, owner_id=contact.owner_id).exists():
        raise ValidationError({"introduced_by": gettext("Choose one of your own contacts.")})


def _replace_details(
    contact: Contact,
    *,
    emails: Iterable[str] | None,
    phones: Iterable[str] | None,
    tags: Iterable[str] | None,
) -> None:
    """Replace whichever of emails, phones and tags were given, then reindex search."""
    if emails is not None:
        contact.emails.all().delete()
        unique = dict.fromkeys(normalize_email(e) for e in emails if e and e.strip())
        ContactEmail.objects.bulk_create(ContactEmail(contact=contact, email=e) for e in unique)
    if phones is not None:
        contact.phones.all().delete()
        unique_phones = dict.fromkeys(p.strip() for p in phones if p and p.strip())
        ContactPhone.objects.bulk_create(
            ContactPhone(contact=contact, number=p) for p in unique_phones
        )
    if tags is not None:
        contact.tags.set(tags_get_or_create(owner=contact.owner, names=tags))
    reindex_contacts([contact])


@transaction.atomic
def contact_photo_set(*, contact: Contact, raw: bytes) -> Contact:
    """Check and store a new photo for `contact` (contacts.photos says what is accepted).

    Raises ValidationError({"photo": ...}) for a file that is not a usable image, with
    nothing changed.
    """
    try:
        photo = photo_from_bytes(raw)
    except PhotoError as error:
        raise ValidationError({"photo": str(error)}) from error
    ContactPhoto.objects.update_or_create(
        contact=contact,
        defaults={"data": photo.data, "width": photo.width, "height": photo.height},
    )
    contact.photo_version += 1
    Contact.objects.filter(pk=contact.pk).update(photo_version=F("photo_version") + 1)
    announce_changed([contact.pk])
    return contact


def contact_photos_add(*, photos: Sequence[tuple[int, Photo]]) -> None:
    """Faces for contacts that have none yet (imports, restores), checked already."""
    ContactPhoto.objects.bulk_create(
        [
            ContactPhoto(contact_id=pk, data=photo.data, width=photo.width, height=photo.height)
            for pk, photo in photos
        ],
        batch_size=100,
    )
    faced = Contact.objects.filter(pk__in=[pk for pk, _ in photos])
    faced.update(photo_version=1)
    # Bulk writes send no signals.
    for owner_id in faced.order_by().values_list("owner_id", flat=True).distinct():
        data_changed(owner_id)


@transaction.atomic
def contact_photo_remove(*, contact: Contact) -> Contact:
    ContactPhoto.objects.filter(contact=contact).delete()
    contact.photo_version = 0
    Contact.objects.filter(pk=contact.pk).update(photo_version=0)
    announce_changed([contact.pk])
    return contact
