"""The forms of notes: the composer's draft and the note templates (Settings → Note templates).

The API's note edits share `NoteDraftForm`; the JSON backup's restore checks templates with
`NoteTemplateForm` (crm/backup.py).
"""

from typing import Any

from django import forms
from django.http import QueryDict
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from contacts import limits
from reminders.models import NoteDraft
from reminders.notes import allowed_placeholders, unknown_placeholders


class NoteDraftForm(forms.ModelForm):
    body = forms.CharField(
        label=pgettext_lazy("a written message", "Note"),
        required=False,
        max_length=limits.NOTES_MAX,
        widget=forms.Textarea(attrs={"rows": 12}),
    )

    class Meta:
        model = NoteDraft
        fields = ["subject", "body"]
        labels = {"subject": _("Subject")}


class NoteTemplateForm(forms.Form):
    subject = forms.CharField(label=_("Subject"), max_length=200)
    body = forms.CharField(
        label=_("Body"), widget=forms.Textarea(attrs={"rows": 7}), max_length=5000
    )

    def __init__(self, data: QueryDict | None = None, *, kind: str, **kwargs: Any) -> None:
        self.kind = kind
        super().__init__(data, prefix=kind, **kwargs)
        names = ", ".join("{" + name + "}" for name in allowed_placeholders(kind))
        self.fields["body"].help_text = gettext("Placeholders: %(names)s") % {"names": names}

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        for name in ("subject", "body"):
            unknown = unknown_placeholders(self.kind, data.get(name, ""))
            if unknown:
                listed = ", ".join("{" + u + "}" for u in unknown)
                self.add_error(
                    name,
                    gettext("Unknown placeholder %(names)s; use only the ones listed.")
                    % {"names": listed},
                )
        return data
