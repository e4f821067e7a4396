"""The contact page says when a phone deleted the person or disagreed with Rapport."""

from typing import Any

from django import template

from carddav.models import Card
from contacts.models import Contact

register = template.Library()


@register.inclusion_tag("carddav/_contact_notice.html")
def sync_notice(contact: Contact) -> dict[str, Any]:
    card = (
        Card.objects.filter(contact=contact)
        .only("pk", "deleted_on_phone_at", "conflicts", "contact_id")
        .first()
    )
    return {"card": card, "contact": contact}
