"""Faces: `{% avatar contact %}` shows a person's photo, or their initials on a stable colour.

The colour comes from the contact's id, so a person keeps theirs across pages and
renames; every colour of the palette keeps white initials above 4.5:1 contrast. The
avatar is decorative (the name always sits next to it), so it is hidden from screen
readers. No inline styles: sizes and colours are classes (strict CSP).
"""

from django import template
from django.utils.html import format_html

from contacts.models import Contact
from crm.urlcache import id_url

register = template.Library()

PALETTE_SIZE = 12
SIZES = ("sm", "md", "lg")


def initials(contact: Contact) -> str:
    first = (contact.first_name or "").strip()
    last = (contact.last_name or "").strip()
    letters = first[0] + last[0] if first and last else (first or last)[:2]
    return letters.upper() or "?"


def colour_index(contact_id: int | None) -> int:
    # Knuth's multiplicative hash spreads neighbouring ids (people imported together)
    # over the palette instead of walking it in order.
    return ((contact_id or 0) * 2654435761 % 2**32) % PALETTE_SIZE


@register.simple_tag
def avatar(contact: Contact, size: str = "md") -> str:
    size = size if size in SIZES else "md"
    version = getattr(contact, "photo_version", 0)
    if version and contact.pk:
        return format_html(
            '<img class="avatar avatar--{} avatar--photo" src="{}?v={}" alt="" '
            'width="256" height="256" loading="lazy" decoding="async">',
            size,
            id_url("contacts:photo", contact.pk),
            version,
        )
    return format_html(
        '<span class="avatar avatar--{} avatar--c{}" aria-hidden="true">{}</span>',
        size,
        colour_index(contact.pk),
        initials(contact),
    )
