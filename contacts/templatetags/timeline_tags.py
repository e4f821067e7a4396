"""Template filters for the contact timeline."""

from collections.abc import Iterable

from django import template

from contacts.models import Contact

register = template.Library()


@register.filter
def shared_with(people: Iterable[Contact], page_contact_id: int | None) -> list[Contact]:
    """The people to name under an interaction: on a contact's page, everyone but them.

    Without a page contact (an interaction shown on its own), everyone, but only when
    there is more than one: a lone person needs no "With".
    """
    people = list(people)
    if page_contact_id:
        return [person for person in people if person.pk != page_contact_id]
    return people if len(people) > 1 else []
