"""Telling apart people who share a name wherever they are listed side by side.

Two "Ingrid Torres" in the people picker, a merge preview or the duplicates list are
told apart by what else Rapport knows: the current job, else an email address, else
the day each was added (said only when someone else has the same name). `with_identity`
annotates a queryset with those (subqueries: the same number of queries however many
contacts), and `Contact.told_apart` reads them.
"""

from django.db.models import Count, IntegerField, OuterRef, QuerySet, Subquery

from contacts.models import Contact, ContactEmail, Position


def with_identity(contacts: QuerySet[Contact]) -> QuerySet[Contact]:
    current = Position.objects.filter(contact=OuterRef("pk"), end_date__isnull=True)
    first_email = ContactEmail.objects.filter(contact=OuterRef("pk")).order_by("id")
    namesakes = (
        Contact.objects.filter(
            owner=OuterRef("owner"),
            first_name=OuterRef("first_name"),
            last_name=OuterRef("last_name"),
        )
        .order_by()
        .values("owner")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return contacts.annotate(
        identity_company=Subquery(current.values("company")[:1]),
        identity_title=Subquery(current.values("title")[:1]),
        identity_email=Subquery(first_email.values("email")[:1]),
        identity_namesakes=Subquery(namesakes, output_field=IntegerField()),
    )
