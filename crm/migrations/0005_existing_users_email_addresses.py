"""Accounts move to django-allauth: the email address each existing account already has
becomes its primary, verified address there (an administrator set it), so log-in by
email and password reset keep working and nobody is asked to confirm an address.

An address shared by several accounts goes to the oldest of them only (allauth keeps
verified addresses unique); the others keep logging in by username.
"""

from django.conf import settings
from django.db import migrations


def existing_addresses(apps, schema_editor):
    User = apps.get_model(*settings.AUTH_USER_MODEL.split("."))
    EmailAddress = apps.get_model("account", "EmailAddress")
    taken = {email.lower() for email in EmailAddress.objects.values_list("email", flat=True)}
    with_address = set(EmailAddress.objects.values_list("user_id", flat=True))
    rows = []
    for user_id, email in User.objects.exclude(email="").order_by("pk").values_list("pk", "email"):
        address = email.strip().lower()
        if not address or address in taken or user_id in with_address:
            continue
        taken.add(address)
        rows.append(EmailAddress(user_id=user_id, email=address, verified=True, primary=True))
    EmailAddress.objects.bulk_create(rows, batch_size=500)


class Migration(migrations.Migration):
    dependencies = [
        ("crm", "0004_introduction_min_trust"),
        ("account", "0009_emailaddress_unique_primary_email"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [migrations.RunPython(existing_addresses, migrations.RunPython.noop)]
