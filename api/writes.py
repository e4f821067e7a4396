"""Writes through the web pages' own forms and services: one set of rules.

A JSON body is turned into the data the matching form would post, validated by that
form (ContactForm, InteractionForm, NoteDraftForm), then saved by the service the
web view calls. A form's complaints come back as 422 under the request's field names.
"""

from datetime import date, time
from typing import Any

from django import forms
from django.contrib.auth.models import User
from ninja import Field, Schema

from api.auth import preferences
from api.errors import FieldErrors
from contacts.forms import ContactForm, KeepInTouch
from contacts.interaction_forms import InteractionForm, interaction_values
from contacts.models import Contact, Interaction
from contacts.promises import interaction_log
from contacts.relationships import interaction_update
from contacts.services import contact_create, contact_update

# The form's field names that the API names differently.
FORM_TO_API = {"keep_in_touch": "keep_in_touch_days", "contact": "contacts"}


class ContactPatch(Schema):
    """Every field is optional: what you leave out keeps its value."""

    first_name: str | None = Field(None, max_length=1000)
    last_name: str | None = Field(None, max_length=1000)
    trust_level: str | None = Field(
        None, description="following, met, acquaintance, know_well, close; null: not rated yet"
    )
    emails: list[str] | None = Field(None, max_length=100)
    phones: list[str] | None = Field(None, max_length=100)
    tags: list[str] | None = Field(None, max_length=100)
    linkedin_url: str | None = Field(None, max_length=1000)
    birthday_day: int | None = None
    birthday_month: int | None = None
    birthday_year: int | None = None
    met_on: date | None = None
    met_at: str | None = Field(None, max_length=1000)
    how_we_met: str | None = Field(None, max_length=100_000)
    introduced_by: int | None = Field(None, description="The id of the contact who introduced you")
    notes: str | None = Field(None, max_length=100_000)
    keep_in_touch_days: int | None = Field(
        None, description="null: as usual for their trust level; 0: never remind; N: every N days"
    )


class ContactIn(ContactPatch):
    company: str = Field("", max_length=1000, description="Their current job (first known job)")
    title: str = Field("", max_length=1000)


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def _contact_form_data(values: dict[str, Any]) -> dict[str, str]:
    data = {
        name: _text(values.get(name))
        for name in (
            "first_name", "last_name", "company", "title", "trust_level", "linkedin_url",
            "birthday_day", "birthday_month", "birthday_year", "met_on", "met_at",
            "how_we_met", "introduced_by", "notes",
        )
    }  # fmt: skip
    data["emails"] = "\n".join(values.get("emails") or [])
    data["phones"] = "\n".join(values.get("phones") or [])
    data["tags"] = ", ".join(values.get("tags") or [])
    days = values.get("keep_in_touch_days")
    data["keep_in_touch"] = (
        KeepInTouch.DEFAULT
        if days is None
        else KeepInTouch.NEVER
        if days == 0
        else KeepInTouch.EVERY
    )
    data["keep_in_touch_days"] = _text(days) if days else ""
    return data


def _current_values(contact: Contact) -> dict[str, Any]:
    """The contact as ContactPatch fields, so a patch changes only what it sends."""
    values: dict[str, Any] = {
        name: getattr(contact, name)
        for name in ContactPatch.model_fields
        if name not in {"emails", "phones", "tags", "introduced_by"}
    }
    values["introduced_by"] = contact.introduced_by_id
    values["emails"] = [e.email for e in contact.emails.all()]
    values["phones"] = [p.number for p in contact.phones.all()]
    values["tags"] = [t.name for t in contact.tags.all()]
    return values


def form_errors(form: forms.BaseForm) -> FieldErrors:
    return FieldErrors(
        {
            FORM_TO_API.get(field, field): [str(message) for message in messages]
            for field, messages in form.errors.items()
        }
    )


def contact_from_api(*, owner: User, payload: ContactIn) -> Contact:
    form = ContactForm(_contact_form_data(payload.model_dump()), owner=owner)
    if not form.is_valid():
        raise form_errors(form)
    return contact_create(owner=owner, **form.service_kwargs())


def contact_update_from_api(*, owner: User, contact: Contact, payload: ContactPatch) -> Contact:
    values = {**_current_values(contact), **payload.model_dump(exclude_unset=True)}
    form = ContactForm(_contact_form_data(values), owner=owner, contact=contact)
    if not form.is_valid():
        raise form_errors(form)
    return contact_update(contact=contact, **form.service_kwargs())


class InteractionPatch(Schema):
    kind: str | None = Field(
        None, description="call, video_call, meeting, meal, message, email, letter, …"
    )
    initiated_by: str | None = Field(None, description="Who reached out: me, them or mutual")
    occurred_on: date | None = None
    occurred_at: time | None = None
    summary: str | None = Field(None, max_length=1000)
    notes: str | None = Field(None, max_length=100_000)
    contacts: list[int] | None = Field(None, max_length=1000, description="Contact ids")


class InteractionIn(InteractionPatch):
    kind: str
    occurred_on: date
    summary: str = Field(max_length=1000)
    contacts: list[int] = Field(max_length=1000)


def _interaction_form(owner: User, values: dict[str, Any]) -> InteractionForm:
    data: dict[str, Any] = {
        "kind": _text(values.get("kind")),
        "occurred_on": _text(values.get("occurred_on")),
        "occurred_at": values["occurred_at"].strftime("%H:%M") if values.get("occurred_at") else "",
        "summary": _text(values.get("summary")),
        "notes": _text(values.get("notes")),
        "initiated_by": _text(values.get("initiated_by")),
        "contact": [str(pk) for pk in values.get("contacts") or []],
    }
    form = InteractionForm(data, owner=owner, today=preferences(owner).today())
    if not form.is_valid():
        raise form_errors(form)
    return form


def interaction_from_api(*, owner: User, payload: InteractionIn) -> Interaction:
    """Logged as the web logs one: promises written in it ("I promised: …") are kept too."""
    form = _interaction_form(owner, payload.model_dump())
    return interaction_log(owner=owner, today=form.today, **form.service_fields())


def interaction_update_from_api(
    *, owner: User, interaction: Interaction, payload: InteractionPatch
) -> Interaction:
    current = {
        **interaction_values(interaction),
        "contacts": list(interaction.contacts.values_list("pk", flat=True)),
    }
    form = _interaction_form(owner, {**current, **payload.model_dump(exclude_unset=True)})
    return interaction_update(interaction=interaction, **form.service_fields())
