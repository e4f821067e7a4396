"""Contact.last_interaction: the newest interaction, beside last_interaction_on.

Result cards show what the last talk was about; reading it through this key is
one join for a page, where finding it walked every interaction of each person.
Existing contacts are filled in batches, newest as the timeline orders it.
"""

from typing import Any

import django.db.models.deletion
from django.db import migrations, models
from django.db.models import OuterRef, Subquery

BATCH = 1000


def fill_last_interaction(apps: Any, schema_editor: Any) -> None:
    Contact = apps.get_model("contacts", "Contact")
    Interaction = apps.get_model("contacts", "Interaction")
    Link = Interaction.contacts.through
    newest = (
        Link.objects.filter(contact_id=OuterRef("pk"))
        .order_by("-interaction__occurred_on", "-interaction__occurred_at", "-interaction_id")
        .values("interaction_id")[:1]
    )
    ids = list(
        Contact.objects.filter(last_interaction_on__isnull=False)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    for start in range(0, len(ids), BATCH):
        Contact.objects.filter(pk__in=ids[start : start + BATCH]).update(
            last_interaction=Subquery(newest)
        )


class Migration(migrations.Migration):
    dependencies = [
        ("contacts", "0003_perf_keep_in_touch_indexes"),
    ]

    operations = [
        migrations.AddField(
            model_name="contact",
            name="last_interaction",
            field=models.ForeignKey(
                blank=True,
                editable=False,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to="contacts.interaction",
            ),
        ),
        migrations.RunPython(fill_last_interaction, migrations.RunPython.noop, elidable=True),
    ]
