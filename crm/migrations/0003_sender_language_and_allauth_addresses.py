"""Settings since 0.1.0: the sender's name and signature, who can be introduced, the
language, and a week that starts as usual in that language unless one chose a day
(existing accounts keep the day they had).

Accounts move to django-allauth: the email address each existing account already has
becomes its primary, verified address there (an administrator set it), so log-in by
email and password reset keep working and nobody is asked to confirm an address.
An address shared by several accounts goes to the oldest of them only (allauth keeps
verified addresses unique); the others keep logging in by username.
"""

import crm.models
from django.conf import settings
from django.db import migrations, models


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
    replaces = [
        ("crm", "0003_sender_name"),
        ("crm", "0004_introduction_min_trust"),
        ("crm", "0005_existing_users_email_addresses"),
        ("crm", "0006_language_and_week_start_by_locale"),
    ]

    dependencies = [
        ("crm", "0002_task_outbox"),
        ("account", "0009_emailaddress_unique_primary_email"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="usersettings",
            name="display_name",
            field=models.CharField(blank=True, max_length=100, verbose_name="your name"),
        ),
        migrations.AddField(
            model_name="usersettings",
            name="sender_asked",
            field=models.BooleanField(default=False),
        ),
        migrations.AddField(
            model_name="usersettings",
            name="signature",
            field=models.TextField(blank=True, max_length=500),
        ),
        migrations.AddField(
            model_name="usersettings",
            name="introduction_min_trust",
            field=models.CharField(
                choices=[
                    ("close", "Only people I'm close to"),
                    ("know_well", "People I know well or closer"),
                    ("acquaintance", "Acquaintances or closer"),
                    ("met", "Anyone I've met (and people not rated yet)"),
                ],
                default="know_well",
                max_length=20,
                verbose_name="who can be introduced",
            ),
        ),
        migrations.AddField(
            model_name="usersettings",
            name="language",
            field=models.CharField(
                blank=True, default="", max_length=10, validators=[crm.models.validate_language]
            ),
        ),
        migrations.AlterField(
            model_name="usersettings",
            name="week_start",
            field=models.PositiveSmallIntegerField(
                blank=True,
                choices=[
                    (0, "Monday"),
                    (1, "Tuesday"),
                    (2, "Wednesday"),
                    (3, "Thursday"),
                    (4, "Friday"),
                    (5, "Saturday"),
                    (6, "Sunday"),
                ],
                default=None,
                null=True,
            ),
        ),
        migrations.RunPython(existing_addresses, migrations.RunPython.noop),
    ]
