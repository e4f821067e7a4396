"""At most one current position per contact, as a partial unique index.

Merges could leave a contact with two current jobs. Before the constraint is added,
every contact with more than one keeps the job that began last (start date, else the
day an import noticed it, else the newest row) current, and the others end the day
before it began, never before they themselves began: the same rule as a job change
(contacts.careers.record_job_change).
"""

from datetime import date, timedelta
from typing import Any

from django.db import migrations, models
from django.db.models import Count, Q


def _began(position: Any) -> tuple[date, int]:
    return (position.start_date or position.detected_on or date.min, position.pk)


def end_extra_current_jobs(apps: Any, schema_editor: Any) -> None:
    Position = apps.get_model("contacts", "Position")
    doubled = (
        Position.objects.filter(end_date__isnull=True)
        .values("contact_id")
        .annotate(n=Count("id"))
        .filter(n__gt=1)
        .values_list("contact_id", flat=True)
    )
    for contact_id in list(doubled):
        current = sorted(
            Position.objects.filter(contact_id=contact_id, end_date__isnull=True), key=_began
        )
        kept = current[-1]
        began = kept.start_date or kept.detected_on or kept.created_at.date()
        for position in current[:-1]:
            end = began - timedelta(days=1)
            own_start = position.start_date or position.detected_on
            if own_start and end < own_start:
                end = own_start
            if position.start_date and end < position.start_date:
                end = position.start_date
            position.end_date = end
            position.save(update_fields=["end_date"])


class Migration(migrations.Migration):
    dependencies = [
        ("contacts", "0004_contact_last_interaction"),
    ]

    operations = [
        migrations.RunPython(end_extra_current_jobs, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="position",
            constraint=models.UniqueConstraint(
                condition=Q(end_date__isnull=True),
                fields=("contact",),
                name="position_one_current_per_contact",
            ),
        ),
    ]
