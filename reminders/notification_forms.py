"""The form of a notification channel (Settings → Notifications)."""

from typing import Any

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from reminders.apprise_urls import MAX_URL_LENGTH, BadChannelUrl, CheckedUrl, check_url
from reminders.models import NotificationChannel

HOURS = [(hour, f"{hour:02d}:00") for hour in range(24)]
# The channel's own columns the form edits as they are (the address is checked first).
CHANNEL_FIELDS = ["name", "weekly_digest", "morning_message", "include_keep_in_touch"]


class ChannelForm(forms.ModelForm):
    url = forms.CharField(
        label=_("Apprise address"),
        max_length=MAX_URL_LENGTH,
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "spellcheck": "false", "autocapitalize": "off"}
        ),
        help_text=_(
            "For example ntfy://my-secret-topic, tgram://bot-token/chat-id or "
            "mailtos://user:app-password@example.com. It holds the channel's password or "
            "token: after saving it is only shown shortened."
        ),
    )
    send_hour = forms.TypedChoiceField(
        label=_("Send at"),
        choices=HOURS,
        coerce=int,
        initial=8,
        help_text=_("In your time zone: the morning message, and the digest on your digest day."),
    )

    field_order = [
        "name",
        "url",
        "morning_message",
        "weekly_digest",
        "include_keep_in_touch",
        "send_hour",
    ]

    class Meta:
        model = NotificationChannel
        fields = CHANNEL_FIELDS
        labels = {
            "name": _("Name"),
            "weekly_digest": _("Weekly digest"),
            "morning_message": _("A message on the morning an occasion is due"),
            "include_keep_in_touch": _("Include keep-in-touch reminders"),
        }
        help_texts = {
            "name": _("So you can tell your channels apart, e.g. “Phone (ntfy)”."),
            "weekly_digest": _("Who to congratulate in the week ahead, on your digest day."),
            "morning_message": _(
                "Job changes, work anniversaries, birthdays and your own dates, "
                "with a link to draft a note."
            ),
            "include_keep_in_touch": _("Off by default: people you are due to catch up with."),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.editing = self.instance.pk is not None
        if self.editing:
            self.fields["url"].required = False
            self.fields["url"].label = gettext("New Apprise address")
            self.fields["url"].help_text = gettext(
                "Now %(hint)s (%(service)s). Leave this empty "
                "to keep it; a new address also lifts a pause."
            ) % {"hint": self.instance.url_hint, "service": self.instance.service}
            self.fields["send_hour"].initial = self.instance.send_hour
        else:
            self.fields["morning_message"].initial = True
            self.fields["weekly_digest"].initial = True

    def clean_url(self) -> CheckedUrl | None:
        raw = self.cleaned_data.get("url") or ""
        if self.editing and not raw.strip():
            return None
        try:
            return check_url(raw)
        except BadChannelUrl as exc:
            raise forms.ValidationError(str(exc)) from None

    def service_arguments(self) -> dict[str, Any]:
        """The cleaned values as the channel services take them."""
        data = self.cleaned_data
        return {
            "checked": data["url"],
            **{name: data[name] for name in [*CHANNEL_FIELDS, "send_hour"]},
        }
