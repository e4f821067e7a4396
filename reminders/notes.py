"""Note templates, the facts a note can draw on, and the personal-touch check.

Public API (other areas call these):

    render_note(kind, context, *, user=None) -> str
        The body of a note of `kind` (a ReminderKind value or "introduction")
        with `{placeholder}`s filled from `context`. With `user`, that user's
        edited template (UserSettings.note_templates) is used, else the default.
        Placeholders missing from `context` render as "[name]" so the writer
        sees what to fill in; unknown text in braces is left alone.

    render_subject(kind, context, *, user=None) -> str
        The same for the note's subject line.

For an introduction (double opt-in: ask each side first) pass:
    {"first_name": "Ana", "other_name": "Bo Berg",
     "other_context": "Partner at Northwind Ventures", "reason": "you both work on climate"}
"""

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.contrib.auth.models import User
from django.utils import translation
from django.utils.formats import date_format
from django.utils.translation import gettext, ngettext, pgettext_lazy

from contacts.models import Contact, Interaction, InteractionKind
from contacts.relationships import interactions_of
from crm.formats import mid_sentence
from crm.languages import supported
from crm.models import UserSettings
from reminders.models import Reminder, ReminderKind
from reminders.note_defaults import (
    STOCK_WORDS_ELSEWHERE,
    NoteTemplate,
    defaults_in,
    signature_in,
)

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

INTRODUCTION = "introduction"

PLACEHOLDERS: dict[str, str] = {
    "first_name": "Their first name",
    "company": "Company of their current (or new) job",
    "title": "Their job title",
    "years": "Years: at the job for an anniversary, of age for a birthday",
    "duration": "How long at the job, e.g. “5 years”, in the note's language",
    "how_we_met": "How you met, as written on their page",
    "last_interaction": "What your last interaction was about",
    "occasion_date": "The day of the occasion, e.g. 3 March",
    "my_name": "Your name, as set in Settings → Your name on notes",
    "signature": "Your sign-off from Settings (else “All the best,” and your name)",
}
INTRODUCTION_PLACEHOLDERS: dict[str, str] = {
    "first_name": "First name of the person you write to",
    "other_name": "Name of the person you would introduce",
    "other_context": "Who they are, e.g. their job",
    "reason": "Why the two should meet",
    "my_name": "Your name, as set in Settings → Your name on notes",
    "signature": "Your sign-off from Settings (else “All the best,” and your name)",
}


# English defaults: every kind there is (the defaults in each language: note_defaults.py).
DEFAULT_TEMPLATES: dict[str, NoteTemplate] = defaults_in("en")

KIND_LABELS: dict[str, "StrOrPromise"] = {
    **dict(ReminderKind.choices),
    INTRODUCTION: pgettext_lazy("note template for", "Introduction"),
}

_PLACEHOLDER = re.compile(r"\{(\w+)\}")
_KNOWN = {*PLACEHOLDERS, *INTRODUCTION_PLACEHOLDERS}


def allowed_placeholders(kind: str) -> dict[str, str]:
    return INTRODUCTION_PLACEHOLDERS if kind == INTRODUCTION else PLACEHOLDERS


def unknown_placeholders(kind: str, text: str) -> list[str]:
    allowed = allowed_placeholders(kind)
    return sorted({name for name in _PLACEHOLDER.findall(text) if name not in allowed})


def fill(text: str, context: Mapping[str, object]) -> str:
    """Replace `{name}` with context values; a missing or empty value shows as `[name]`.

    Only `{word}` is replaced (no attribute access or format specs), so a user's
    template can never reach into Python objects.
    """

    def value(match: re.Match[str]) -> str:
        name = match.group(1)
        if name not in context and name not in _KNOWN:
            return match.group(0)  # not a placeholder: leave the text as written
        found = context.get(name)
        if found is None or found == "":
            return f"[{match.group(1).replace('_', ' ')}]"
        return str(found)

    return _PLACEHOLDER.sub(value, text)


def unfilled(text: str) -> list[str]:
    """The `[placeholder]` markers `fill` left because the fact is unknown."""
    names = {
        name.replace("_", " ")
        for names in (PLACEHOLDERS, INTRODUCTION_PLACEHOLDERS)
        for name in names
    }
    return sorted({m for m in re.findall(r"\[([a-z ]+)\]", text) if m in names})


def note_language(prefs: UserSettings | None) -> str:
    """The language of a person's notes: theirs, else the page's until they choose one."""
    chosen = prefs.language if prefs is not None else ""
    return supported(chosen or translation.get_language() or "")


def default_templates_for(user: User) -> dict[str, NoteTemplate]:
    """The defaults in the user's language (what an edit is compared with)."""
    return defaults_in(note_language(UserSettings.for_user(user)))


def templates_for(user: User | None) -> dict[str, NoteTemplate]:
    """Every kind's template: the user's edits over the defaults of their language."""
    if user is None or not user.is_authenticated:
        return dict(defaults_in(note_language(None)))
    prefs = UserSettings.for_user(user)
    found = dict(defaults_in(note_language(prefs)))
    saved = prefs.note_templates or {}
    for kind, value in saved.items():
        if kind in found and isinstance(value, dict):
            found[kind] = NoteTemplate(
                subject=str(value.get("subject", found[kind].subject)),
                body=str(value.get("body", found[kind].body)),
            )
    return found


def _template(kind: str, user: User | None) -> NoteTemplate:
    templates = templates_for(user)
    return templates.get(kind, templates[ReminderKind.CUSTOM])


def render_note(kind: str, context: Mapping[str, object], *, user: User | None = None) -> str:
    return fill(_template(kind, user).body, context)


def render_subject(kind: str, context: Mapping[str, object], *, user: User | None = None) -> str:
    return fill(_template(kind, user).subject, context)


# --- What we know about the person --------------------------------------------


@dataclass(frozen=True)
class Fact:
    label: str
    text: str
    # What "Insert" puts in the note; the text itself when empty.
    insert: str = ""

    @property
    def snippet(self) -> str:
        return self.insert or self.text


# How many of each kind of shared history the composer offers.
RECENT_INTERACTIONS = 3
EARLIER_NOTES = 3
PEOPLE_IN_COMMON = 5


@dataclass
class History:
    """What you share with the contact, loaded with a fixed number of queries."""

    contact: Contact
    company: str
    title: str
    last_interaction: Interaction | None
    recent: list[Interaction]
    tags: list[str]
    notes_sent: list[Interaction] = field(default_factory=list)
    introduced: list[Contact] = field(default_factory=list)
    met_together: list[Contact] = field(default_factory=list)

    def facts(self) -> list[Fact]:
        c = self.contact
        facts: list[Fact] = []
        if c.how_we_met:
            facts.append(Fact(gettext("How you met"), c.how_we_met))
        if c.met_at or c.met_on:
            where = c.met_at or ""
            when = date_format(c.met_on, "F Y") if c.met_on else ""
            facts.append(
                Fact(gettext("Where and when you met"), ", ".join(p for p in (where, when) if p))
            )
        if c.introduced_by_id and c.introduced_by:
            name = c.introduced_by.full_name
            facts.append(
                Fact(
                    gettext("Introduced by"),
                    name,
                    gettext("%(name)s introduced us") % {"name": name},
                )
            )
        for interaction in self.recent:
            text = interaction.summary
            if interaction.notes:
                text += f": {interaction.notes[:160]}"
            on = date_format(interaction.occurred_on, "j M Y")
            label = gettext("%(kind)s on %(date)s") % {
                "kind": interaction.get_kind_display(),
                "date": on,
            }
            facts.append(Fact(label, text, interaction.summary))
        for note in self.notes_sent:
            on = date_format(note.occurred_on, "j M Y")
            facts.append(Fact(gettext("Your note of %(date)s") % {"date": on}, note.summary))
        if self.tags:
            facts.append(Fact(gettext("Tags"), ", ".join(self.tags)))
        if self.introduced:
            names = ", ".join(person.full_name for person in self.introduced)
            facts.append(Fact(gettext("They introduced you to"), names))
        if self.met_together:
            names = ", ".join(person.full_name for person in self.met_together)
            facts.append(Fact(gettext("People you both know"), names))
        if c.notes:
            facts.append(Fact(gettext("Your notes"), c.notes[:200]))
        return facts


def load_history(contact: Contact) -> History:
    current = contact.positions.filter(end_date__isnull=True).first()
    # From the contact's own link rows (see interactions_of): walking the owner's newest
    # interactions instead takes 20 ms for someone whose last ones are old.
    theirs = interactions_of(contact).filter(owner=contact.owner)
    recent = list(theirs.exclude(kind=InteractionKind.NOTE_SENT)[:RECENT_INTERACTIONS])
    notes_sent = list(theirs.filter(kind=InteractionKind.NOTE_SENT)[:EARLIER_NOTES])
    people = Contact.objects.owned_by(contact.owner).exclude(pk=contact.pk)
    introduced = list(
        people.filter(introduced_by=contact).only("first_name", "last_name")[:PEOPLE_IN_COMMON]
    )
    # People who were in your interactions with them (a dinner, an introduction).
    shared_ids = Interaction.contacts.through.objects.filter(
        interaction__in=theirs.values("pk")
    ).values("contact_id")
    met_together = list(
        people.filter(pk__in=shared_ids)
        .exclude(pk__in=[p.pk for p in introduced])
        .only("first_name", "last_name")
        .order_by("first_name", "last_name", "pk")[:PEOPLE_IN_COMMON]
    )
    newest = [*recent, *notes_sent]
    newest.sort(key=lambda i: (i.occurred_on, i.pk), reverse=True)
    return History(
        contact=contact,
        company=current.company if current else "",
        title=current.title if current else "",
        last_interaction=recent[0] if recent else (newest[0] if newest else None),
        recent=recent,
        tags=list(contact.tags.values_list("name", flat=True)),
        notes_sent=notes_sent,
        introduced=introduced,
        met_together=met_together,
    )


def note_context(
    *, contact: Contact, history: History, reminder: Reminder | None, user: User
) -> dict[str, object]:
    """Placeholder values for a note to `contact`, about `reminder` if there is one."""
    position = reminder.position if reminder is not None else None
    years: int | None = reminder.years if reminder is not None else None
    if reminder is not None and reminder.kind == ReminderKind.BIRTHDAY and contact.birthday_year:
        years = reminder.due_on.year - contact.birthday_year
    met_at = gettext("we met at %(place)s") % {"place": contact.met_at} if contact.met_at else ""
    how = contact.how_we_met or met_at
    last = history.last_interaction
    return {
        "first_name": contact.first_name or contact.full_name,
        "company": position.company if position else history.company,
        "title": position.title if position else history.title,
        "years": years,
        "duration": (
            ngettext("%(count)s year", "%(count)s years", years) % {"count": years}
            if years is not None
            else ""
        ),
        "how_we_met": how,
        "last_interaction": last.summary if last else "",
        "occasion_date": date_format(reminder.due_on, "j F") if reminder else "",
        **sender_context(user),
    }


def sender_context(user: User) -> dict[str, str]:
    """`{my_name}` and `{signature}`: who the note comes from, as set in Settings."""
    prefs = UserSettings.for_user(user)
    name = prefs.sender_name
    signature = prefs.signature.strip() or signature_in(note_language(prefs)).format(name=name)
    return {"my_name": name, "signature": signature}


# --- Personal touch ------------------------------------------------------------

# Words every congratulation uses; writing more of them does not make a note personal.
_STOCK = """
    a about after again all also always am an and any are as at be been best birthday
    but by can cheers congrats congratulations congratulation day dear deserved did do
    doing done each enjoy every exciting excited for from fun glad good great had happy
    has have hello hey hi hope hoping how i if in is it its it's just know let like lot
    love many me more much my new next news nice not now of on one or our out proud quite
    really regards role run saw see seeing so some success such that the their them then
    there these they things think this those time to too very wanted was way we week
    weeks well were what when while wish wishes wishing with wonderful would year years
    you your yours job position move start started starting anniversary promotion team
    congratulate celebrate celebrating amazing awesome fantastic huge big fingers crossed
    all best warm warmest wishes sincerely thanks thank kind going reach touch while since
    """
STOCK_WORDS = frozenset(_STOCK.split()) | STOCK_WORDS_ELSEWHERE
WORD = re.compile(r"[a-zA-ZÀ-ÿ][a-zA-ZÀ-ÿ'\u2019-]+")
# Distinct words of one's own that make a note more than a form letter.
OWN_WORDS_NEEDED = 4


def _words(text: str) -> set[str]:
    return {w.lower().strip("'\u2019-") for w in WORD.findall(text or "")} - {""}


@dataclass(frozen=True)
class TouchCheck:
    personal: bool
    own_words: list[str]
    used_facts: list[Fact]
    suggestions: list[Fact]

    # The facts named in one sentence ("it mentions how you met, tags"), for the composer.
    @property
    def used_list(self) -> str:
        return ", ".join(mid_sentence(fact.label) for fact in self.used_facts)

    @property
    def suggestion_list(self) -> str:
        return ", ".join(mid_sentence(fact.label) for fact in self.suggestions)


def personal_touch(
    body: str,
    *,
    template: NoteTemplate,
    context: Mapping[str, object],
    facts: list[Fact],
) -> TouchCheck:
    """Does the draft say something only this sender could write?

    Words from the template, the stock vocabulary of congratulations, the
    person's name and their job facts say nothing personal. The draft is
    personal when it uses a fact from the shared history (how you met, what
    you last talked about, tags, your notes) or enough words of its own.
    Never blocks sending: the composer shows the result as advice.
    """
    template_words = _words(_PLACEHOLDER.sub(" ", template.subject + " " + template.body))
    job_and_name = _words(
        " ".join(
            str(context.get(key) or "")
            for key in ("first_name", "company", "title", "occasion_date", "my_name", "signature")
        )
    )
    generic = template_words | job_and_name | STOCK_WORDS
    words = _words(body)
    own = sorted(w for w in words - generic if len(w) > 2 and not w.isdigit())
    used = [f for f in facts if (_words(f.text) - generic - {"met", "meet"}) & set(own)]
    personal = bool(used) or len(own) >= OWN_WORDS_NEEDED
    suggestions = [f for f in facts if f not in used]
    return TouchCheck(personal=personal, own_words=own, used_facts=used, suggestions=suggestions)


def draft_for(*, user: User, contact: Contact, reminder: Reminder | None) -> tuple[str, str]:
    """Subject and body of a new draft from the user's template and the contact's history."""
    history = load_history(contact)
    kind = reminder.kind if reminder is not None else ReminderKind.KEEP_IN_TOUCH
    context = note_context(contact=contact, history=history, reminder=reminder, user=user)
    return render_subject(kind, context, user=user), render_note(kind, context, user=user)
