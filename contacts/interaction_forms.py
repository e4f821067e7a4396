"""Forms for logging and editing interactions."""

from datetime import date
from typing import Any, cast

from django import forms
from django.contrib.auth.models import User
from django.http import QueryDict
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from contacts import limits
from contacts.models import Contact, Initiator, Interaction, InteractionKind
from crm.forms import DateInput, TimeInput

# The largest id a row can have (a signed 64-bit primary key).
MAX_ID = 2**63 - 1
# The form's fields that are the interaction's own columns (the people are `contact`).
INTERACTION_FIELDS = ("kind", "occurred_on", "occurred_at", "summary", "notes", "initiated_by")


def interaction_values(interaction: Interaction) -> dict[str, Any]:
    """A saved interaction's own fields, as the form's initial values (its people apart)."""
    return {name: getattr(interaction, name) for name in INTERACTION_FIELDS}


def is_row_id(value: object) -> bool:
    """Whether a submitted value can be a row's id at all (ASCII-or-Unicode decimal,
    in range): "²" passes str.isdigit() but not int(), and an id past the column's
    range is a database error inside `pk__in`, not an empty match."""
    text = str(value)
    return text.isdecimal() and 0 < int(text) <= MAX_ID


class OwnContactsField(forms.ModelMultipleChoiceField):
    """A ModelMultipleChoiceField that refuses impossible ids before querying."""

    def clean(self, value: Any) -> Any:
        if isinstance(value, (list, tuple)):
            for pk in value:
                if pk not in self.empty_values and not is_row_id(pk):
                    raise forms.ValidationError(
                        self.error_messages["invalid_pk_value"],
                        code="invalid_pk_value",
                        params={"pk": pk},
                    )
        return super().clean(value)


class InteractionForm(forms.Form):
    """An interaction with one or more of the owner's contacts.

    The `contact` field is rendered by hand (selected people as checkboxes, plus
    search results), never as a widget listing every contact the owner has.
    """

    kind = forms.ChoiceField(label=_("What was it?"), choices=InteractionKind.choices)
    occurred_on = forms.DateField(
        label=pgettext_lazy("when", "Date"),
        widget=DateInput(),
    )
    occurred_at = forms.TimeField(
        label=_("Time"),
        required=False,
        help_text=_("Optional."),
        widget=TimeInput(),
    )
    summary = forms.CharField(
        label=_("Summary"),
        max_length=200,
        help_text=_("One line, e.g. “Coffee at Café Oto, talked about her move to Lisbon”."),
    )
    notes = forms.CharField(
        label=_("Notes"),
        required=False,
        max_length=limits.NOTES_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Anything worth remembering next time."),
    )
    initiated_by = forms.ChoiceField(
        label=_("Who reached out?"),
        choices=Initiator.choices,
        initial=Initiator.ME,
        required=False,
        widget=forms.RadioSelect,
        help_text=_("Counted on their page: who keeps the relationship going."),
    )
    contact = OwnContactsField(
        label=_("People"),
        queryset=Contact.objects.none(),
        error_messages={
            "required": _("Choose at least one person."),
            "invalid_choice": _("Choose people from your own contacts."),
            "invalid_pk_value": _("Choose people from your own contacts."),
        },
    )

    def __init__(self, *args: Any, owner: User, today: date, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.today = today
        contact_field = cast(forms.ModelMultipleChoiceField, self.fields["contact"])
        contact_field.queryset = Contact.objects.owned_by(owner)
        self.fields["occurred_on"].widget.attrs.update(
            min=limits.EARLIEST.isoformat(), max=(today + limits.TIME_ZONE_SLACK).isoformat()
        )

    def clean_occurred_on(self) -> date:
        value: date = self.cleaned_data["occurred_on"]
        limits.validate_past_date(
            value,
            today=self.today,
            slack=limits.TIME_ZONE_SLACK,
            future_message=gettext(
                "That date is in the future. Log an interaction once it has happened."
            ),
        )
        return value

    def selected_ids(self) -> list[int]:
        """The contact ids as submitted, for re-rendering the picker (never trusted)."""
        data = cast(QueryDict, self.data)  # bound to request.POST in every view
        raw = data.getlist(self.add_prefix("contact")) if self.is_bound else []
        return [int(v) for v in raw if is_row_id(v)]

    def first_chosen(self) -> Contact | None:
        """The first of the chosen people in the order submitted (call after is_valid)."""
        chosen = {c.pk: c for c in self.cleaned_data["contact"]}
        return next((chosen[i] for i in self.selected_ids() if i in chosen), None)

    def service_fields(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "kind": data["kind"],
            "occurred_on": data["occurred_on"],
            "occurred_at": data["occurred_at"],
            "summary": data["summary"],
            "notes": data["notes"],
            # Left out (an older form, a quick log from This week): I reached out.
            "initiated_by": data["initiated_by"] or Initiator.ME,
            "contacts": list(data["contact"]),
        }
