"""Contacts since 0.1.0: photos, who started an interaction, where an imported contact
came from (and the new import sources), promises, introductions, the history of trust
levels, and two indexes on contacts (by trust level and id, by last change)."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    replaces = [
        ("contacts", "0007_contact_photo"),
        ("contacts", "0008_interaction_initiated_by"),
        ("contacts", "0009_source_records_and_new_import_sources"),
        ("contacts", "0010_promise"),
        ("contacts", "0011_introduction"),
        ("contacts", "0012_contact_owner_trust_id"),
        ("contacts", "0013_trust_change"),
        ("contacts", "0014_introduction_named_relations"),
        ("contacts", "0015_contact_owner_updated_index"),
    ]

    dependencies = [
        ("contacts", "0006_not_duplicate"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="contact",
            name="photo_version",
            field=models.PositiveIntegerField(default=0, editable=False),
        ),
        migrations.CreateModel(
            name="ContactPhoto",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("data", models.BinaryField()),
                ("width", models.PositiveSmallIntegerField()),
                ("height", models.PositiveSmallIntegerField()),
                ("updated_at", models.DateTimeField(auto_now=True)),
                (
                    "contact",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="photo",
                        to="contacts.contact",
                    ),
                ),
            ],
        ),
        migrations.AddField(
            model_name="interaction",
            name="initiated_by",
            field=models.CharField(
                choices=[
                    ("me", "I reached out"),
                    ("them", "They reached out"),
                    ("mutual", "Mutual: we both did"),
                ],
                default="me",
                max_length=10,
            ),
        ),
        migrations.AlterField(
            model_name="importjob",
            name="source",
            field=models.CharField(
                choices=[
                    ("linkedin", "LinkedIn Connections.csv or data export"),
                    ("vcard", "vCard (.vcf)"),
                    ("json", "Rapport JSON backup"),
                    ("google_csv", "Google Contacts CSV (“Google CSV”)"),
                    ("outlook_csv", "Outlook CSV"),
                    ("monica", "Monica JSON export"),
                    ("monica_api", "Monica (live, through its API)"),
                ],
                max_length=20,
            ),
        ),
        migrations.CreateModel(
            name="SourceRecord",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("source", models.CharField(max_length=20)),
                ("external_id", models.CharField(max_length=200)),
                ("created_at", models.DateTimeField(auto_now_add=True)),
                (
                    "contact",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="source_records",
                        to="contacts.contact",
                    ),
                ),
                (
                    "owner",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="source_records",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={
                "constraints": [
                    models.UniqueConstraint(
                        fields=("owner", "source", "external_id"), name="source_record_unique_id"
                    )
                ],
            },
        ),
        migrations.CreateModel(
            name="Promise",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "made_by",
                    models.CharField(
                        choices=[("me", "I promised"), ("them", "They promised")],
                        default="me",
                        max_length=10,
                    ),
                ),
                ("text", models.CharField(max_length=200, verbose_name="what")),
                ("due_on", models.DateField(blank=True, null=True, verbose_name="due")),
                ("kept_on", models.DateField(blank=True, null=True)),
                ("created_at", models.DateTimeField(auto_now_add=True)),
                (
                    "contact",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="promises",
                        to="contacts.contact",
                    ),
                ),
                (
                    "interaction",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to="contacts.interaction",
                    ),
                ),
                (
                    "kept_interaction",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to="contacts.interaction",
                    ),
                ),
                (
                    "owner",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="promises",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={
                "ordering": [
                    models.OrderBy(models.F("due_on"), nulls_last=True),
                    "created_at",
                    "id",
                ],
                "indexes": [
                    models.Index(
                        condition=models.Q(("kept_on__isnull", True)),
                        fields=["owner", "due_on"],
                        name="promise_open_by_due",
                    ),
                    models.Index(fields=["contact", "kept_on"], name="promise_contact_kept"),
                ],
            },
        ),
        migrations.CreateModel(
            name="Introduction",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("reason", models.TextField(max_length=5000, verbose_name="why they should meet")),
                (
                    "status",
                    models.CharField(
                        choices=[
                            ("ask_first", "Ask the first person"),
                            ("waiting_first", "Waiting for the first person's answer"),
                            ("ask_second", "Ask the second person"),
                            ("waiting_second", "Waiting for the second person's answer"),
                            ("send", "Both said yes: introduce them"),
                            ("sent", "Introduced: how did it go?"),
                            ("done", "Done"),
                            ("declined", "Closed"),
                        ],
                        default="ask_first",
                        max_length=20,
                    ),
                ),
                ("step_on", models.DateField()),
                ("asked_first_on", models.DateField(blank=True, null=True)),
                ("asked_second_on", models.DateField(blank=True, null=True)),
                ("sent_on", models.DateField(blank=True, null=True)),
                (
                    "outcome",
                    models.CharField(
                        blank=True,
                        choices=[("met", "They met"), ("nothing", "Nothing came of it")],
                        max_length=20,
                    ),
                ),
                (
                    "declined_by",
                    models.CharField(
                        blank=True,
                        choices=[
                            ("first", "The first person"),
                            ("second", "The second person"),
                            ("me", "I closed it"),
                        ],
                        max_length=10,
                    ),
                ),
                ("closed_on", models.DateField(blank=True, null=True)),
                ("created_at", models.DateTimeField(auto_now_add=True)),
                ("updated_at", models.DateTimeField(auto_now=True)),
                (
                    "first",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="introductions_first",
                        to="contacts.contact",
                    ),
                ),
                (
                    "owner",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="introductions",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "second",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="introductions_second",
                        to="contacts.contact",
                    ),
                ),
            ],
            options={
                "ordering": ["-created_at", "-id"],
                "indexes": [
                    models.Index(fields=["owner", "status"], name="introduction_owner_status"),
                    models.Index(fields=["first"], name="introduction_first"),
                    models.Index(fields=["second"], name="introduction_second"),
                ],
                "constraints": [
                    models.CheckConstraint(
                        condition=models.Q(("first", models.F("second")), _negated=True),
                        name="introduction_two_people",
                    )
                ],
            },
        ),
        migrations.RemoveIndex(
            model_name="contact",
            name="contact_owner_trust",
        ),
        migrations.AddIndex(
            model_name="contact",
            index=models.Index(
                fields=["owner", "trust_level", "id"], name="contact_owner_trust_id"
            ),
        ),
        migrations.CreateModel(
            name="TrustChange",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("from_level", models.CharField(blank=True, max_length=20, null=True)),
                ("to_level", models.CharField(blank=True, max_length=20, null=True)),
                ("promotion", models.BooleanField()),
                ("changed_on", models.DateField()),
                ("created_at", models.DateTimeField(auto_now_add=True)),
                (
                    "contact",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="trust_changes",
                        to="contacts.contact",
                    ),
                ),
                (
                    "owner",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={
                "ordering": ["-changed_on", "-id"],
                "indexes": [
                    models.Index(
                        condition=models.Q(("promotion", True)),
                        fields=["owner", "-changed_on"],
                        name="trustchange_owner_promotions",
                    )
                ],
            },
        ),
        migrations.AddIndex(
            model_name="contact",
            index=models.Index(fields=["owner", "updated_at"], name="contact_owner_updated"),
        ),
    ]
