"""The note composer's form (the web composer and the API's note edits share it)."""

from django import forms

from contacts import limits
from reminders.models import NoteDraft


class NoteDraftForm(forms.ModelForm):
    body = forms.CharField(
        label="Note",
        required=False,
        max_length=limits.NOTES_MAX,
        widget=forms.Textarea(attrs={"rows": 12}),
    )

    class Meta:
        model = NoteDraft
        fields = ["subject", "body"]
