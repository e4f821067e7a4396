"""The contact page is assembled from sections that each area contributes.

An area registers a function that returns the context for its template:

    @detail_section("contacts/_positions.html", column="main", order=30)
    def positions(request, contact):
        return {"positions": contact.positions.all()}

The contact page renders every registered section in order, each template
receiving its own context plus `contact` and `csrf_token` (and nothing from the
context processors: running them once per section cost more than some sections);
"top" sections come first in the main column, before how we met. Sections must
keep their query count independent of how many contacts the user has.

The page's content is cached (contacts/detail_cache.py) until the owner's data
changes: a section must show only its owner's data, the day and the language, never
the time of day (else set NOT_CACHEABLE in its context).
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Literal, TypeVar

from django.middleware.csrf import get_token

from contacts.models import Contact
from crm.http import AuthenticatedHttpRequest

# A section's context may set this when what it shows goes stale with the clock (a
# draft "edited 3 minutes ago"): the page is then rendered afresh on every view.
NOT_CACHEABLE = "not_cacheable"

SectionContext = Callable[[AuthenticatedHttpRequest, Contact], dict[str, Any]]
S = TypeVar("S", bound=SectionContext)


@dataclass(frozen=True)
class Section:
    template: str
    column: Literal["top", "main", "side"]
    order: int
    context: SectionContext


SECTIONS: list[Section] = []


def detail_section(
    template: str, *, column: Literal["top", "main", "side"] = "main", order: int = 50
) -> Callable[[S], S]:
    def register(func: S) -> S:
        SECTIONS.append(Section(template=template, column=column, order=order, context=func))
        SECTIONS.sort(key=lambda s: (s.order, s.template))
        return func

    return register


@dataclass(frozen=True)
class RenderedSection:
    template: str
    column: str
    context: dict[str, Any]


def sections_for(request: AuthenticatedHttpRequest, contact: Contact) -> list[RenderedSection]:
    shared = {"contact": contact, "csrf_token": get_token(request)}
    return [
        RenderedSection(s.template, s.column, {**shared, **s.context(request, contact)})
        for s in SECTIONS
    ]
