"""factory_boy factories for every model. Owners are consistent by default:
a contact's positions, interactions and reminders belong to the contact's owner."""

import datetime as dt
import json
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

import factory
from django.contrib.auth.models import User
from django.db import models

from contacts.models import (
    ConnectionRequest,
    Contact,
    ContactEmail,
    ContactPhone,
    ImportJob,
    ImportSource,
    Interaction,
    InteractionKind,
    Position,
    Tag,
    TrustLevel,
)
from contacts.relationships import interaction_create
from reminders.models import CustomDate, NoteDraft, NotificationChannel, Reminder, ReminderKind


class ModelFactory[T: models.Model](factory.django.DjangoModelFactory[T]):
    """A DjangoModelFactory that type checkers know returns its model: `ContactFactory()`
    is a Contact."""

    class Meta:
        abstract = True

    if TYPE_CHECKING:
        # factory_boy's metaclass turns the call into create(); mypy would otherwise
        # take the result for an instance of the factory.
        def __new__(cls, *args: Any, **kwargs: Any) -> T: ...  # type: ignore[misc]


class UserFactory(ModelFactory[User]):
    class Meta:
        model = User
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.com")
    password = factory.django.Password("correct horse battery staple")


class TagFactory(ModelFactory[Tag]):
    class Meta:
        model = Tag
        django_get_or_create = ("owner", "name")

    owner = factory.SubFactory(UserFactory)
    name = factory.Sequence(lambda n: f"tag{n}")


class ContactFactory(ModelFactory[Contact]):
    class Meta:
        model = Contact
        skip_postgeneration_save = True

    owner = factory.SubFactory(UserFactory)
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    trust_level = TrustLevel.ACQUAINTANCE

    @factory.post_generation
    def tags(self, create: bool, extracted: list[str] | None, **kwargs: object) -> None:
        if create and extracted:
            self.tags.set(TagFactory(owner=self.owner, name=name) for name in extracted)


class ContactEmailFactory(ModelFactory[ContactEmail]):
    class Meta:
        model = ContactEmail

    contact = factory.SubFactory(ContactFactory)
    email = factory.Sequence(lambda n: f"person{n}@example.org")


class ContactPhoneFactory(ModelFactory[ContactPhone]):
    class Meta:
        model = ContactPhone

    contact = factory.SubFactory(ContactFactory)
    number = factory.Sequence(lambda n: f"+1 415 555 {n:04d}")


class PositionFactory(ModelFactory[Position]):
    class Meta:
        model = Position

    contact = factory.SubFactory(ContactFactory)
    company = factory.Faker("company")
    title = factory.Faker("job")
    start_date = dt.date(2021, 3, 1)


class InteractionFactory(ModelFactory[Interaction]):
    class Meta:
        model = Interaction
        skip_postgeneration_save = True

    owner = factory.SubFactory(UserFactory)
    kind = InteractionKind.CALL
    occurred_on = dt.date(2026, 11, 1)
    summary = factory.Faker("sentence", nb_words=6)

    @factory.post_generation
    def contacts(self, create: bool, extracted: list[Contact] | None, **kwargs: object) -> None:
        """Pass contacts=[...]; note this does not update last_interaction_on (services do)."""
        if create and extracted:
            self.contacts.set(extracted)


class CustomDateFactory(ModelFactory[CustomDate]):
    class Meta:
        model = CustomDate

    contact = factory.SubFactory(ContactFactory)
    label = "Wedding anniversary"
    date = dt.date(2015, 6, 20)


class ContactRowFactory[T: models.Model](ModelFactory[T]):
    """A row about one contact, owned by that contact's owner (a reminder, a note)."""

    class Meta:
        abstract = True

    contact = factory.SubFactory(ContactFactory)
    owner = factory.SelfAttribute("contact.owner")


class ReminderFactory(ContactRowFactory[Reminder]):
    class Meta:
        model = Reminder

    kind = ReminderKind.BIRTHDAY
    occasion_key = factory.Sequence(lambda n: f"test-{n}")
    due_on = dt.date(2026, 12, 1)


class NoteDraftFactory(ContactRowFactory[NoteDraft]):
    class Meta:
        model = NoteDraft

    subject = "Congratulations"
    body = "Congratulations on the new role!"


class ImportJobFactory(ModelFactory[ImportJob]):
    class Meta:
        model = ImportJob

    owner = factory.SubFactory(UserFactory)
    source = ImportSource.LINKEDIN
    filename = "Connections.csv"


class ConnectionRequestFactory(ModelFactory[ConnectionRequest]):
    class Meta:
        model = ConnectionRequest

    owner = factory.SubFactory(UserFactory)
    name = factory.Faker("name")
    linkedin_url = factory.Sequence(lambda n: f"https://www.linkedin.com/in/person-{n}")


class NotificationChannelFactory(ModelFactory[NotificationChannel]):
    class Meta:
        model = NotificationChannel

    owner = factory.SubFactory(UserFactory)
    name = "Phone"
    url = "json://127.0.0.1:9/hook"
    url_hint = "json://127.0.0.1:9/hook"
    service = "JSON"


def log_interaction(
    owner: User,
    contacts: Iterable[Contact],
    *,
    on: dt.date,
    summary: str = "Call",
    kind: str = "call",
    **extra: Any,
) -> Interaction:
    """An interaction logged through the service, as a person would (last interaction kept)."""
    return interaction_create(
        owner=owner, kind=kind, occurred_on=on, summary=summary, contacts=list(contacts), **extra
    )


# The contact form's optional fields (contacts/forms.py), posted empty unless a test fills them.
CONTACT_FORM_OPTIONAL = (
    "how_we_met",
    "met_on",
    "met_at",
    "introduced_by",
    "introducer_q",
    "emails",
    "phones",
    "linkedin_url",
    "birthday_day",
    "birthday_month",
    "birthday_year",
    "tags",
    "notes",
    "keep_in_touch_days",
)


def contact_form_data(**fields: Any) -> dict[str, Any]:
    """What the add/edit contact form posts for Grace Hopper, known well, kept in touch with
    at the default pace and nothing else filled in; `fields` fill in or replace the rest."""
    return {
        **dict.fromkeys(CONTACT_FORM_OPTIONAL, ""),
        "first_name": "Grace",
        "last_name": "Hopper",
        "trust_level": "know_well",
        "keep_in_touch": "default",
        **fields,
    }


def backup_json(**sections: Any) -> bytes:
    """A Rapport JSON backup file (format 1) holding these sections, e.g.
    `backup_json(contacts=[{"id": 1, "first_name": "Ada"}])`; a section given replaces
    the header's `format` or `version`."""
    return json.dumps({"format": "rapport", "version": 1, **sections}).encode()


def jpeg_bytes(color: tuple[int, int, int] = (200, 40, 40)) -> bytes:
    """A small plain-coloured JPEG, as a photo a person uploads or a phone sends."""
    import io

    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (64, 48), color).save(out, format="JPEG")
    return out.getvalue()


def contact_with_everything(owner: User) -> Contact:
    """Grace Hopper with every field of a contact filled in, introduced by Alan Turing:
    for the pages and API answers that must show it all."""
    introducer = ContactFactory(owner=owner, first_name="Alan", last_name="Turing")
    contact = ContactFactory(
        owner=owner,
        first_name="Grace",
        last_name="Hopper",
        trust_level=TrustLevel.KNOW_WELL,
        how_we_met="She gave a talk on compilers.",
        met_on=dt.date(2019, 5, 4),
        met_at="PyCon Berlin",
        introduced_by=introducer,
        linkedin_url="https://www.linkedin.com/in/gracehopper",
        birthday_month=12,
        birthday_day=9,
        notes="Loves COBOL.",
        keep_in_touch_days=45,
        tags=["navy"],
    )
    ContactEmailFactory(contact=contact, email="grace@navy.example")
    ContactPhoneFactory(contact=contact, number="+1 415 555 0100")
    PositionFactory(contact=contact, company="US Navy", title="Rear Admiral")
    return contact


def maya_started_at_northwind(owner: User, *, on: dt.date, **contact_fields: Any) -> Reminder:
    """Maya Okafor, met at PyCon Berlin queueing for the climbing social, started at Northwind
    Ventures as Partner on `on`: her job-change reminder, due that day."""
    maya = ContactFactory(
        owner=owner,
        first_name="Maya",
        last_name="Okafor",
        how_we_met="We met at PyCon Berlin, queueing for the climbing social",
        **contact_fields,
    )
    position = PositionFactory(
        contact=maya, company="Northwind Ventures", title="Partner", start_date=on
    )
    return ReminderFactory(contact=maya, kind=ReminderKind.JOB_CHANGE, position=position, due_on=on)
