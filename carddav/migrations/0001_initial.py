import carddav.models
import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True

    replaces = [
        ("carddav", "0001_sync_app_passwords_cards"),
        ("carddav", "0002_checked_at_is_where_the_next_look_starts"),
        ("carddav", "0003_sync_tokens_name_the_address_book"),
    ]

    dependencies = [
        ("contacts", "0007_photos_promises_introductions_trust_history"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="AppPassword",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("name", models.CharField(max_length=100)),
                ("hint", models.CharField(max_length=16)),
                ("digest", models.CharField(max_length=64, unique=True)),
                ("created_at", models.DateTimeField(auto_now_add=True)),
                ("last_used_at", models.DateTimeField(blank=True, null=True)),
                (
                    "owner",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="%(app_label)s_%(class)ss",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={
                "ordering": ["-created_at"],
                "abstract": False,
            },
        ),
        migrations.CreateModel(
            name="SyncSettings",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("levels", models.JSONField(blank=True, default=carddav.models.default_levels)),
                ("seq", models.BigIntegerField(default=0)),
                ("checked_at", models.DateTimeField(blank=True, null=True)),
                ("needs_full", models.BooleanField(default=True)),
                ("full_after", models.BigIntegerField(default=0)),
                (
                    "owner",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="sync_settings",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                ("tags", models.ManyToManyField(blank=True, related_name="+", to="contacts.tag")),
                ("book", models.CharField(default=carddav.models.new_book, max_length=16)),
            ],
        ),
        migrations.CreateModel(
            name="Card",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("uid", models.CharField(max_length=255)),
                ("name", models.CharField(max_length=255)),
                ("etag", models.CharField(blank=True, max_length=64)),
                ("seq", models.BigIntegerField(default=0)),
                ("present", models.BooleanField(default=True)),
                ("seen_updated_at", models.DateTimeField(blank=True, null=True)),
                ("stale_mark", models.PositiveIntegerField(default=0)),
                ("seen_mark", models.PositiveIntegerField(default=0)),
                ("from_phone", models.BooleanField(default=False)),
                ("deleted_on_phone_at", models.DateTimeField(blank=True, null=True)),
                ("kept_version", models.CharField(blank=True, max_length=5)),
                ("kept", models.JSONField(blank=True, default=dict)),
                ("extra", models.TextField(blank=True)),
                ("history", models.JSONField(blank=True, default=dict)),
                ("conflicts", models.JSONField(blank=True, default=list)),
                (
                    "contact",
                    models.OneToOneField(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="sync_card",
                        to="contacts.contact",
                    ),
                ),
                (
                    "owner",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="sync_cards",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={
                "ordering": ["id"],
                "indexes": [
                    models.Index(fields=["owner", "seq"], name="card_owner_seq"),
                    models.Index(
                        condition=models.Q(("contact__isnull", True), ("present", True)),
                        fields=["owner"],
                        name="card_owner_orphaned",
                    ),
                    models.Index(
                        condition=models.Q(("stale_mark__gt", models.F("seen_mark"))),
                        fields=["owner"],
                        name="card_owner_stale",
                    ),
                ],
                "constraints": [
                    models.UniqueConstraint(fields=("owner", "uid"), name="card_unique_uid"),
                    models.UniqueConstraint(fields=("owner", "name"), name="card_unique_name"),
                ],
            },
        ),
    ]
