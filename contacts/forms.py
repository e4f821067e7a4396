"""The contact form: every field of a contact, validated with messages a person can act on."""

import calendar
import re
from datetime import date
from typing import TYPE_CHECKING, Any

from django import forms
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils import timezone
from django.utils.dates import MONTHS
from django.utils.translation import gettext, ngettext_lazy, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from contacts import limits
from contacts.models import TRUST_DESCRIPTIONS, UNRATED_LABEL, Contact, TrustLevel
from contacts.normalize import (
    InvalidLinkedInURL,
    normalize_email,
    normalize_linkedin_url,
    normalize_tag,
    normalize_tags,
)
from contacts.photos import MAX_BYTES as MAX_PHOTO_BYTES
from contacts.photos import PhotoError, photo_from_bytes, too_large_message
from crm.forms import DateInput

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

MAX_EMAILS = limits.EMAILS_MAX
MAX_PHONES = limits.PHONES_MAX
MAX_TAGS = limits.TAGS_MAX
PHONE_CHARS = re.compile(r"^[0-9+()\-./ x#*]+$", re.IGNORECASE)
UNRATED = ""
NOBODY = _("Nobody, or I don't remember")


class KeepInTouch:
    DEFAULT = "default"
    NEVER = "never"
    EVERY = "every"
    CHOICES = [
        (DEFAULT, _("As usual for their trust level")),
        (NEVER, _("Never remind me")),
        (EVERY, _("Every … days")),
    ]


def trust_choices() -> list[tuple[str, str]]:
    unrated = gettext("Not rated yet — imported or not sorted yet; treated like “Met”.")
    return [(UNRATED, unrated)] + [
        (level.value, f"{level.label} — {TRUST_DESCRIPTIONS[level]}") for level in TrustLevel
    ]


def _lines(value: str) -> list[str]:
    return [line.strip() for line in value.replace(",", "\n").splitlines() if line.strip()]


# The list fields' limits; ngettext_lazy picks the plural form for the limit ("count").
TOO_MANY_EMAILS = ngettext_lazy(
    "At most %(count)s email address.", "At most %(count)s email addresses.", "count"
)
TOO_MANY_PHONES = ngettext_lazy(
    "At most %(count)s phone number.", "At most %(count)s phone numbers.", "count"
)
TOO_MANY_TAGS = ngettext_lazy("At most %(count)s tag.", "At most %(count)s tags.", "count")


def _refuse(bad: list[str], message: str) -> None:
    """Refuse the entries that are not what the field takes, named in the message."""
    if bad:
        raise ValidationError(message, params={"bad": ", ".join(bad)})


def _at_most(values: list[str], limit: int, message: "StrOrPromise") -> list[str]:
    """The values, or a ValidationError saying `message` when they are over `limit`."""
    if len(values) > limit:
        raise ValidationError(message, params={"count": limit})
    return values


class ContactForm(forms.Form):
    first_name = forms.CharField(
        label=_("First name"),
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    last_name = forms.CharField(
        label=_("Last name"),
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    # Only on Add contact: a first job is what they do, not a job change. Later changes go
    # through "Record a job change" on their page, where the career history lives.
    company = forms.CharField(
        label=_("Company"),
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    title = forms.CharField(
        label=pgettext_lazy("job title", "Title"),
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
        help_text=_("Their current job, if you know it."),
    )
    trust_level = forms.ChoiceField(
        label=_("Trust level"),
        choices=trust_choices,
        required=False,
        widget=forms.RadioSelect,
        help_text=_("How well do you know them? It decides reminders and introductions."),
    )
    emails = forms.CharField(
        label=_("Emails"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2, "autocomplete": "off"}),
        help_text=_("One per line."),
    )
    phones = forms.CharField(
        label=_("Phone numbers"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2, "autocomplete": "off"}),
        help_text=_("One per line, e.g. +1 415 555 0100."),
    )
    linkedin_url = forms.CharField(
        label=_("LinkedIn URL"),
        required=False,
        max_length=300,
        widget=forms.TextInput(attrs={"inputmode": "url", "placeholder": "linkedin.com/in/…"}),
    )
    birthday_day = forms.IntegerField(
        label=_("Day"),
        required=False,
        min_value=1,
        max_value=31,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    birthday_month = forms.TypedChoiceField(
        label=_("Month"),
        required=False,
        coerce=int,
        empty_value=None,
        choices=[("", "—"), *MONTHS.items()],
    )
    birthday_year = forms.IntegerField(
        label=_("Year (optional)"),
        required=False,
        min_value=limits.EARLIEST_YEAR,
        max_value=9999,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    met_on = forms.DateField(
        label=_("When we met"),
        required=False,
        widget=DateInput(),
    )
    met_at = forms.CharField(
        label=_("Place or event"),
        required=False,
        max_length=200,
        help_text=_("e.g. DjangoCon Europe 2024, a friend's wedding."),
    )
    how_we_met = forms.CharField(
        label=_("The story"),
        required=False,
        max_length=limits.HOW_WE_MET_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("The story, in your words: it helps you write notes only you could write."),
    )
    introduced_by = forms.ModelChoiceField(
        label=_("Introduced by"),
        queryset=Contact.objects.none(),
        required=False,
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": _("Choose one of your own contacts.")},
    )
    photo = forms.FileField(
        label=_("Photo"),
        required=False,
        help_text=_("A JPEG, PNG, GIF or WebP of up to 5 MB; it is cropped square and kept small."),
        widget=forms.ClearableFileInput(
            attrs={"accept": "image/jpeg,image/png,image/gif,image/webp"}
        ),
    )
    remove_photo = forms.BooleanField(label=_("Remove the photo"), required=False)
    notes = forms.CharField(
        label=_("Notes"),
        required=False,
        max_length=limits.NOTES_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    introducer_q = forms.CharField(
        label=_("Find who introduced you"),
        required=False,
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}),
        help_text=_("Type a name, then pick them above."),
    )
    tags = forms.CharField(
        label=_("Tags"),
        required=False,
        max_length=1000,
        help_text=_("Separated by commas, e.g. python, mentor, book club."),
    )
    keep_in_touch = forms.ChoiceField(
        label=_("Keep in touch"),
        choices=KeepInTouch.CHOICES,
        initial=KeepInTouch.DEFAULT,
        widget=forms.RadioSelect,
    )
    keep_in_touch_days = forms.IntegerField(
        label=_("Remind me every (days)"),
        required=False,
        min_value=1,
        max_value=limits.KEEP_IN_TOUCH_MAX_DAYS,
        help_text=_("Only used with “Every … days”."),
    )

    def __init__(
        self,
        *args: Any,
        owner: User,
        contact: Contact | None = None,
        introducer_candidates: list[Contact] | None = None,
        **kwargs: Any,
    ) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        self.owner = owner
        self.contact = contact
        if contact is not None:
            del self.fields["company"], self.fields["title"]
        if contact is None or not contact.photo_version:
            del self.fields["remove_photo"]
        self.fields["met_on"].widget.attrs.update(limits.date_input_attrs(past=True))
        owned = Contact.objects.owned_by(owner)
        if contact is not None:
            owned = owned.exclude(pk=contact.pk)  # nobody introduced you to themselves
        introducer = self.fields["introduced_by"]
        assert isinstance(introducer, forms.ModelChoiceField)
        introducer.queryset = owned
        if contact is not None and not self.is_bound:
            self.initial = {**_initial_from(contact), **self.initial}
        # The radio list shows only the chosen introducer and search results, never
        # every contact (there may be thousands); validation still accepts any of them.
        shown = list(introducer_candidates or [])
        chosen = self._chosen_introducer(owned)
        if chosen is not None and chosen.pk not in {c.pk for c in shown}:
            shown.insert(0, chosen)
        introducer.widget.choices = [("", NOBODY)] + [(c.pk, c.full_name) for c in shown]

    def _chosen_introducer(self, owned: Any) -> Contact | None:
        """The contact currently picked (posted, initial, or saved), if it is the owner's."""
        raw = self["introduced_by"].value()
        if isinstance(raw, Contact):
            raw = raw.pk
        if raw in (None, "") or not str(raw).isdecimal():
            return None
        if self.contact is not None and self.contact.introduced_by_id == int(raw):
            return self.contact.introduced_by
        return owned.filter(pk=int(raw)).first()

    # --- single fields ---------------------------------------------------------------

    def clean_trust_level(self) -> str | None:
        return self.cleaned_data["trust_level"] or None

    def clean_linkedin_url(self) -> str:
        try:
            return normalize_linkedin_url(self.cleaned_data["linkedin_url"])
        except InvalidLinkedInURL as error:
            raise ValidationError(str(error)) from None

    def clean_emails(self) -> list[str]:
        emails = list(
            dict.fromkeys(normalize_email(e) for e in _lines(self.cleaned_data["emails"]))
        )
        bad = []
        for email in emails:
            try:
                validate_email(email)
            except ValidationError:
                bad.append(email)
        _refuse(bad, gettext("Not an email address: %(bad)s"))
        return _at_most(emails, MAX_EMAILS, TOO_MANY_EMAILS)

    def clean_phones(self) -> list[str]:
        phones = list(
            dict.fromkeys(
                " ".join(p.split()) for p in self.cleaned_data["phones"].splitlines() if p.strip()
            )
        )
        bad = [
            p
            for p in phones
            if len(p) > limits.PHONE_LENGTH_MAX
            or not PHONE_CHARS.match(p)
            or not any(ch.isdigit() for ch in p)
        ]
        _refuse(bad, gettext("Not a phone number: %(bad)s (digits, spaces, + ( ) - . only)"))
        return _at_most(phones, MAX_PHONES, TOO_MANY_PHONES)

    def clean_tags(self) -> list[str]:
        parts = self.cleaned_data["tags"].split(",")
        names = normalize_tags(parts)
        too_long = [
            part for part in parts if len(normalize_tag(part, cut=False)) > limits.TAG_LENGTH_MAX
        ]
        if too_long:
            raise ValidationError(
                gettext("Tags are at most %(count)s characters each."),
                params={"count": limits.TAG_LENGTH_MAX},
            )
        return _at_most(names, MAX_TAGS, TOO_MANY_TAGS)

    def clean_met_on(self) -> date | None:
        met_on = self.cleaned_data["met_on"]
        limits.validate_past_date(met_on)
        return met_on

    # --- across fields ---------------------------------------------------------------

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        if not (data.get("first_name", "").strip() or data.get("last_name", "").strip()):
            self.add_error("first_name", gettext("Enter a first name, a last name, or both."))
        self._clean_birthday(data)
        self._clean_keep_in_touch(data)
        return data

    def _clean_birthday(self, data: dict[str, Any]) -> None:
        day, month, year = (
            data.get("birthday_day"),
            data.get("birthday_month"),
            data.get("birthday_year"),
        )
        if any(self.has_error(f"birthday_{part}") for part in ("day", "month", "year")):
            return
        if day is None and month is None:
            if year is not None:
                self.add_error(
                    "birthday_day", gettext("Add the day and month of the birthday too.")
                )
            return
        if day is None or month is None:
            field = "birthday_day" if day is None else "birthday_month"
            self.add_error(
                field, gettext("A birthday needs both a day and a month (the year is optional).")
            )
            return
        # Without a year, 29 February is a real birthday; check against a leap year.
        check_year = year or 2000
        if day > calendar.monthrange(check_year, month)[1]:
            if month == 2 and day == 29:
                message = gettext("%(year)s was not a leap year, so it had no 29 February.")
            else:
                message = gettext("%(month)s has no day %(day)s.")
            params = {"year": year, "month": MONTHS[month], "day": day}
            self.add_error("birthday_day", ValidationError(message, params=params))
            return
        if year is not None and date(year, month, day) > timezone.localdate():
            self.add_error("birthday_year", gettext("That birthday is in the future."))

    def _clean_keep_in_touch(self, data: dict[str, Any]) -> None:
        choice = data.get("keep_in_touch")
        days = data.get("keep_in_touch_days")
        if (
            choice == KeepInTouch.EVERY
            and days is None
            and not self.has_error("keep_in_touch_days")
        ):
            self.add_error("keep_in_touch_days", gettext("How many days between reminders?"))

    # --- what the services need --------------------------------------------------------

    def clean_photo(self) -> bytes | None:
        """The photo's bytes once they decode as a usable image (contacts.photos)."""
        upload = self.cleaned_data.get("photo")
        if not upload:
            return None
        if upload.size is None or upload.size > MAX_PHOTO_BYTES:
            raise forms.ValidationError(too_large_message())
        raw = upload.read()
        try:
            photo_from_bytes(raw)
        except PhotoError as error:
            raise forms.ValidationError(str(error)) from error
        return raw

    def service_kwargs(self) -> dict[str, Any]:
        """The cleaned data in the shape contact_create/contact_update take."""
        data = self.cleaned_data
        choice = data["keep_in_touch"]
        keep = (
            None
            if choice == KeepInTouch.DEFAULT
            else 0
            if choice == KeepInTouch.NEVER
            else data["keep_in_touch_days"]
        )
        job = {}
        if self.contact is None:
            job = {"company": data["company"].strip(), "title": data["title"].strip()}
        return {
            **job,
            "first_name": data["first_name"].strip(),
            "last_name": data["last_name"].strip(),
            "trust_level": data["trust_level"],
            "how_we_met": data["how_we_met"].strip(),
            "met_on": data["met_on"],
            "met_at": data["met_at"].strip(),
            "introduced_by": data["introduced_by"],
            "linkedin_url": data["linkedin_url"],
            "notes": data["notes"].strip(),
            "birthday_day": data["birthday_day"],
            "birthday_month": data["birthday_month"],
            "birthday_year": data["birthday_year"],
            "keep_in_touch_days": keep,
            "emails": data["emails"],
            "phones": data["phones"],
            "tags": data["tags"],
        }


def _initial_from(contact: Contact) -> dict[str, Any]:
    keep = contact.keep_in_touch_days
    return {
        "first_name": contact.first_name,
        "last_name": contact.last_name,
        "trust_level": contact.trust_level or UNRATED,
        "how_we_met": contact.how_we_met,
        "met_on": contact.met_on,
        "met_at": contact.met_at,
        "introduced_by": contact.introduced_by_id,
        "linkedin_url": contact.linkedin_url,
        "notes": contact.notes,
        "emails": "\n".join(e.email for e in contact.emails.all()),
        "phones": "\n".join(p.number for p in contact.phones.all()),
        "tags": ", ".join(t.name for t in contact.tags.all()),
        "birthday_day": contact.birthday_day,
        "birthday_month": contact.birthday_month,
        "birthday_year": contact.birthday_year,
        "keep_in_touch": (
            KeepInTouch.DEFAULT
            if keep is None
            else KeepInTouch.NEVER
            if keep == 0
            else KeepInTouch.EVERY
        ),
        "keep_in_touch_days": keep or None,
    }


class ContactFilterForm(forms.Form):
    """The list's search, filters and sort; invalid values fall back to defaults."""

    SORTS = [
        ("name", _("Name")),
        ("recent", _("Recently added")),
        ("last_interaction", _("Last interaction")),
        ("trust", _("Trust level")),
    ]

    q = forms.CharField(
        label=_("Search"),
        required=False,
        max_length=200,
        widget=forms.TextInput(
            attrs={"type": "search", "placeholder": _("Name, email, company, tag, notes…")}
        ),
    )
    trust = forms.ChoiceField(
        label=_("Trust level"),
        required=False,
        choices=[("", _("Any trust level"))]
        + [(level.value, level.label) for level in TrustLevel]
        + [("unrated", UNRATED_LABEL)],
    )
    tag = forms.ChoiceField(label=_("Tag"), required=False, choices=[("", _("Any tag"))])
    sort = forms.ChoiceField(label=_("Sort by"), required=False, choices=SORTS)

    def __init__(self, *args: Any, tags: list[str], **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        tag_field = self.fields["tag"]
        assert isinstance(tag_field, forms.ChoiceField)
        tag_field.choices = [("", gettext("Any tag"))] + [(name, name) for name in tags]
