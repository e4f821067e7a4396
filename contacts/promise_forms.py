"""The promise fields: on the interaction forms, the note composer and a contact's page."""

from datetime import date
from typing import Any

from django import forms
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from contacts import limits
from contacts.models import PromiseBy
from contacts.promises import PromiseSpec
from contacts.relation_models import PROMISE_TEXT_MAX
from crm.forms import DateInput


class PromiseForm(forms.Form):
    """One promise; all optional unless `required`, so it can ride along another form."""

    text = forms.CharField(
        label=_("A promise"),
        max_length=PROMISE_TEXT_MAX,
        required=False,
        help_text=_("Optional: “send her the article”, “intro to a designer”."),
    )
    made_by = forms.ChoiceField(
        label=_("Who promised?"),
        choices=PromiseBy.choices,
        initial=PromiseBy.ME,
        required=False,
        widget=forms.RadioSelect,
    )
    due_on = forms.DateField(
        label=pgettext_lazy("promise", "Due"),
        required=False,
        help_text=_("Optional."),
        widget=DateInput(),
    )

    def __init__(self, *args: Any, today: date, required: bool = False, **kwargs: Any) -> None:
        kwargs.setdefault("prefix", "promise")
        super().__init__(*args, **kwargs)
        self.today = today
        self.fields["text"].required = required
        self.fields["due_on"].widget.attrs.update(
            min=limits.EARLIEST.isoformat(), max=limits.latest(today).isoformat()
        )

    def clean_due_on(self) -> date | None:
        value: date | None = self.cleaned_data["due_on"]
        if value is not None and not limits.in_range(value, today=self.today):
            raise forms.ValidationError(
                gettext("Choose a date from %(range)s.") % {"range": limits.range_text(self.today)}
            )
        return value

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("due_on") and not (data.get("text") or "").strip():
            self.add_error("text", gettext("Say what was promised, or leave the due date empty."))
        return data

    def specs(self) -> list[PromiseSpec]:
        """The promise typed here, if any (call after is_valid)."""
        text = (self.cleaned_data.get("text") or "").strip()
        if not text:
            return []
        made_by = self.cleaned_data.get("made_by") or PromiseBy.ME
        return [PromiseSpec(made_by=made_by, text=text, due_on=self.cleaned_data.get("due_on"))]
