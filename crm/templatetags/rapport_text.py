"""Text filters that follow the active language (docs/translating.md)."""

from django import template

from crm.formats import mid_sentence as _mid_sentence

register = template.Library()


@register.filter
def mid_sentence(value: object) -> str:
    """`{{ label|mid_sentence }}`: a translated label as it reads inside a sentence
    (crm.formats.mid_sentence); never `|lower` on translated text."""
    return _mid_sentence(value)
