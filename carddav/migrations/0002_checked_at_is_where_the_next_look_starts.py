"""SyncSettings.checked_at becomes where the next look at changed contacts starts (it was
the moment of the last look, read with a two-minute look-back): existing marks move back
by those two minutes, so no contact saved around the upgrade is missed."""

from datetime import timedelta

from django.db import migrations
from django.db.models import F


def move_back(apps, schema_editor):
    SyncSettings = apps.get_model("carddav", "SyncSettings")
    SyncSettings.objects.filter(checked_at__isnull=False).update(
        checked_at=F("checked_at") - timedelta(minutes=2)
    )


class Migration(migrations.Migration):
    dependencies = [("carddav", "0001_sync_app_passwords_cards")]

    operations = [migrations.RunPython(move_back, migrations.RunPython.noop)]
