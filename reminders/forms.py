"""Forms of the reminders area that more than one view uses."""

from django import forms

from crm.models import UserSettings

SIGNATURE_MAX_LINES = 6


class SenderForm(forms.ModelForm):
    """Who notes come from: asked on the first visit, and in Settings → Your name on notes."""

    class Meta:
        model = UserSettings
        fields = ["display_name", "signature"]
        labels = {"display_name": "Your name", "signature": "Sign-off"}
        help_texts = {
            "display_name": "How you sign your notes, e.g. “Sam” or “Sam Rivera”. "
            "Templates use it as {my_name}.",
            "signature": "The lines your notes end with ({signature}), e.g. “Warmly,” and your "
            "name. Leave empty for “All the best,” and your name.",
        }
        widgets = {"signature": forms.Textarea(attrs={"rows": 3})}

    def clean_display_name(self) -> str:
        return " ".join(self.cleaned_data["display_name"].split())

    def clean_signature(self) -> str:
        text = self.cleaned_data["signature"].replace("\r\n", "\n").strip()
        if text.count("\n") >= SIGNATURE_MAX_LINES:
            raise forms.ValidationError(
                f"Keep the sign-off to {SIGNATURE_MAX_LINES} lines or fewer."
            )
        return text
