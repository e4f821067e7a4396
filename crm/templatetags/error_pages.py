"""`{% error_page "404" as error %}`: the words of an error page (crm/error_pages.py)."""

from django import template

from crm.error_pages import PAGES, ErrorPage

register = template.Library()


@register.simple_tag
def error_page(name: str) -> ErrorPage:
    return PAGES[name]
