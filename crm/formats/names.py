"""The month names of Django's dates (`F`) and of the birthday field (django.utils.dates).

Listed here so they are in Rapport's own catalogs, which come before Django's: a few of
Django's catalogs capitalise them ("Dezembro", "Dicembre") where the language writes them
in lowercase inside a sentence, as in a note's "Lembrei que 7 de dezembro …". The day
names are in the catalogs already (Settings' first day of the week, crm.models.Weekday).
"""

from django.utils.translation import gettext_noop

MONTH_NAMES = [
    gettext_noop("January"),
    gettext_noop("February"),
    gettext_noop("March"),
    gettext_noop("April"),
    gettext_noop("May"),
    gettext_noop("June"),
    gettext_noop("July"),
    gettext_noop("August"),
    gettext_noop("September"),
    gettext_noop("October"),
    gettext_noop("November"),
    gettext_noop("December"),
]
