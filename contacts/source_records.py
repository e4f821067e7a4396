"""Where imported people came from: the kinds of import, and each source's own ids.

A person imported from Monica (or a Google or Outlook export) keeps the id the
source gave them, so importing the same export again finds them by that id even
when they have no email address or LinkedIn profile, and changes nothing.
Kept apart from contacts/models.py, which re-exports both names.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from crm.ownership import OwnedQuerySet


class ImportSource(models.TextChoices):
    LINKEDIN = "linkedin", _("LinkedIn Connections.csv or data export")
    VCARD = "vcard", _("vCard (.vcf)")
    JSON = "json", _("Rapport JSON backup")
    GOOGLE_CSV = "google_csv", _("Google Contacts CSV (“Google CSV”)")
    OUTLOOK_CSV = "outlook_csv", _("Outlook CSV")
    MONICA = "monica", _("Monica JSON export")
    MONICA_API = "monica_api", _("Monica (live, through its API)")


class SourceRecord(models.Model):
    """A contact as the source of an import calls them: (owner, source, external id)."""

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="source_records"
    )
    # Both Monica sources share "monica": the export and the API give the same uuids.
    source = models.CharField(max_length=20)
    external_id = models.CharField(max_length=200)
    contact = models.ForeignKey(
        "contacts.Contact", on_delete=models.CASCADE, related_name="source_records"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = OwnedQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["owner", "source", "external_id"], name="source_record_unique_id"
            )
        ]

    def __str__(self) -> str:
        return f"{self.source}:{self.external_id}"
