"""Forms of the import page and the merge page (contacts/views/transfer.py)."""

from typing import Any

from django import forms
from django.utils.formats import date_format
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from contacts.duplicates import BOTH, CURRENT_JOB, DUPLICATE, PHOTO, SURVIVOR, MergePreview
from contacts.importers.detect import AUTO
from contacts.models import UNRATED_LABEL, ImportSource, Position, TrustLevel
from crm.formats import grouped

TRUST_CHOICES = [("", UNRATED_LABEL), *TrustLevel.choices]


# The kinds of file the upload form offers (Monica's API has a form of its own).
FILE_SOURCES = [
    (AUTO, _("Detect automatically")),
    *((value, label) for value, label in ImportSource.choices if value != ImportSource.MONICA_API),
]


class ImportForm(forms.Form):
    source = forms.ChoiceField(
        label=_("What are you importing?"),
        choices=FILE_SOURCES,
        initial=AUTO,
        widget=forms.RadioSelect,
    )
    file = forms.FileField(
        label=_("File"),
        help_text=_(
            "LinkedIn: Connections.csv or the whole data-export ZIP. vCard: a .vcf file "
            "from Apple or Google Contacts. Rapport: a JSON backup. Google Contacts: Export → "
            "Google CSV. Outlook: Export contacts (CSV). Monica: Settings → Export → JSON. "
            "Nothing is saved until you confirm the preview."
        ),
    )
    trust_level = forms.ChoiceField(
        label=_("Trust level for new contacts"),
        choices=TRUST_CHOICES,
        required=False,
        help_text=_(
            "People already in Rapport keep theirs. Not rated yet puts new people in "
            "the Sort queue."
        ),
    )


class MonicaApiForm(forms.Form):
    prefix = "monica"  # beside the upload form on the import page: ids stay unique

    url = forms.URLField(
        label=_("Your Monica's address"),
        max_length=500,
        assume_scheme="https",
        help_text=_("The address you open Monica at, such as https://monica.example.org."),
    )
    token = forms.CharField(
        label=_("Personal access token"),
        max_length=4000,
        strip=True,
        widget=forms.PasswordInput(attrs={"autocomplete": "off"}),
        help_text=_(
            "In Monica: Settings → API → Create new token. Rapport uses it only to "
            "read your account once, and forgets it when the reading is done."
        ),
    )
    trust_level = forms.ChoiceField(
        label=_("Trust level for new contacts"),
        choices=TRUST_CHOICES,
        required=False,
        help_text=_("Monica has no trust level: Not rated yet puts everyone in the Sort queue."),
    )


class TextRadioSelect(forms.RadioSelect):
    """Radios whose labels are texts of several lines: each radio stays beside its text."""

    option_template_name = "forms/radio_option_text.html"


def job_label(job: Position, preview: MergePreview, *, newest: bool) -> str:
    kept = job.contact_id == preview.survivor.pk
    began = job.began_on
    values = {"job": str(job), "day": date_format(began, "j M Y") if began else ""}
    if not began:
        label = (
            gettext("%(job)s — from the contact kept")
            if kept
            else gettext("%(job)s — from the one merged in")
        )
    elif job.start_date:
        label = (
            gettext("%(job)s, since %(day)s — from the contact kept")
            if kept
            else gettext("%(job)s, since %(day)s — from the one merged in")
        )
    else:
        label = (
            gettext("%(job)s, noticed %(day)s — from the contact kept")
            if kept
            else gettext("%(job)s, noticed %(day)s — from the one merged in")
        )
    label = label % values
    return gettext("%(job)s (began last)") % {"job": label} if newest else label


class MergeForm(forms.Form):
    def __init__(self, *args: Any, preview: MergePreview, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if preview.current_jobs:
            newest = preview.newest_job
            self.fields[CURRENT_JOB] = forms.ChoiceField(
                label=_("Current job"),
                choices=[
                    (str(job.pk), job_label(job, preview, newest=job == newest))
                    for job in preview.current_jobs
                ],
                initial=str(newest.pk) if newest else None,
                widget=TextRadioSelect,
                help_text=_(
                    "Both have a current job, and a person has one. The other ends "
                    "the day before the one you keep began, and stays in their career history."
                ),
            )
        if preview.both_photos:
            self.fields[PHOTO] = forms.ChoiceField(
                label=_("Photo"),
                choices=[
                    (SURVIVOR, _("The photo of the contact kept (shown first above)")),
                    (DUPLICATE, _("The photo of the one merged in (shown second above)")),
                ],
                initial=SURVIVOR,
                widget=TextRadioSelect,
                help_text=_("Both have a photo; the other one is deleted with the merge."),
            )
        for choice in preview.choices:
            kept = choice.survivor or gettext("(empty)")
            merged = choice.duplicate or gettext("(empty)")
            options = [
                (SURVIVOR, gettext("%(value)s — from the contact kept") % {"value": kept}),
                (DUPLICATE, gettext("%(value)s — from the one merged in") % {"value": merged}),
            ]
            help_text = ""
            if choice.fits_both:
                options.insert(0, (BOTH, gettext("Keep both")))
            elif choice.can_keep_both and choice.survivor and choice.duplicate:
                help_text = gettext(
                    "Together they are longer than %(limit)s characters, so only one "
                    "can be kept; copy what matters from the other before merging."
                ) % {"limit": grouped(choice.limit)}
            self.fields[choice.name] = forms.ChoiceField(
                label=choice.label,
                choices=options,
                initial=choice.default,
                widget=TextRadioSelect,
                help_text=help_text,
            )
