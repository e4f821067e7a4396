"""The day and month names of Django's dates (`l`, `F`) and of the birthday field.

Listed here so they are in Rapport's own catalogs, which come before Django's: a few of
Django's catalogs capitalise them ("Segunda-feira", "Dezembro", "Dicembre") where the
language writes them in lowercase inside a sentence, as in a note's "Lembrei que 7 de
dezembro …" or the digest's "du lundi 30 novembre". Translate them as they read inside a
sentence. Settings' first-day choices have their own entries (context "day of the week").
"""

from django.utils.translation import gettext_noop

DAY_NAMES = [
    gettext_noop("Monday"),
    gettext_noop("Tuesday"),
    gettext_noop("Wednesday"),
    gettext_noop("Thursday"),
    gettext_noop("Friday"),
    gettext_noop("Saturday"),
    gettext_noop("Sunday"),
]
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
# Short day names (`D`, "Mon 7 Dec"): Django's Italian and Brazilian Portuguese catalogs
# capitalise them ("Lun", "Seg"), which those languages write in lowercase in a sentence.
DAY_ABBREVIATIONS = [
    gettext_noop("Mon"),
    gettext_noop("Tue"),
    gettext_noop("Wed"),
    gettext_noop("Thu"),
    gettext_noop("Fri"),
    gettext_noop("Sat"),
    gettext_noop("Sun"),
]
