"""The counted words of a Losing touch row ("3 days overdue · every 30 days"), in Python.

The page lists 25 people on every visit; a `{% blocktranslate count %}` costs about
40 µs a time, several a row, where ngettext here costs a few. The msgids are the
ones the template used, so the catalogs keep one entry for each.
"""

from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext, ngettext


@dataclass(frozen=True)
class TouchWords:
    overdue: str
    cadence: str
    reached: str  # who reached out in the last year; only shown when sorting by it


def touch_words(contact: Any, touch: Any) -> TouchWords:
    """`touch` is reminders.keep_in_touch's status; `contact` carries reach_out's counts."""
    days, cadence = touch.days_overdue, touch.cadence
    if days:
        overdue = ngettext("%(counter)s day overdue", "%(counter)s days overdue", days)
    else:
        overdue = gettext("Due today")
    if touch.cadence_from_contact:
        every = ngettext(
            "every %(counter)s day (set for them)", "every %(counter)s days (set for them)", cadence
        )
    else:
        every = ngettext("every %(counter)s day", "every %(counter)s days", cadence)
    them = getattr(contact, "reached_them", 0) or 0
    reached = ngettext(
        "in the last year they reached out %(counter)s time, you %(mine)s",
        "in the last year they reached out %(counter)s times, you %(mine)s",
        them,
    )
    return TouchWords(
        overdue=overdue % {"counter": days},
        cadence=every % {"counter": cadence},
        reached=reached % {"counter": them, "mine": getattr(contact, "reached_me", 0)},
    )
