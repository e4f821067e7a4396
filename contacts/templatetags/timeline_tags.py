"""Template tags for the contact timeline."""

from typing import Any

from django import template

from contacts.models import Interaction
from contacts.timeline import interaction_row

register = template.Library()


@register.simple_tag
def timeline_row(
    interaction: Interaction, next_url: str = "", page_contact_id: int | None = None
) -> dict[str, Any]:
    """`{% timeline_row interaction next page_contact_id as row %}`: see interaction_row."""
    return interaction_row(interaction, next_url or "", page_contact_id or None)
