"""The messages a double opt-in introduction drafts, each checked for a personal touch.

Asking each side uses the user's *introduction* note template (Settings → Note
templates); introducing the two and closing politely use Rapport's own wording. A draft
to someone draws only on that person's own history, so a decline (logged on the
decliner alone) never reaches the other side's message.
"""

from dataclasses import dataclass

from django.contrib.auth.models import User
from django.utils.translation import gettext

from contacts.models import Contact, Introduction
from contacts.relation_models import IntroSide, IntroStatus
from crm.links import mailto_url
from reminders.notes import (
    INTRODUCTION,
    Fact,
    NoteTemplate,
    TouchCheck,
    fill,
    load_history,
    personal_touch,
    render_note,
    render_subject,
    sender_context,
    templates_for,
)

INTRODUCE = NoteTemplate(
    "{first_name}, meet {other_name}",
    "Hi {first_name} and {other_name},\n\nAs promised, I'm introducing you to each other."
    "\n\n{people}\n\nWhy I think you should talk: {reason}\n\nI'll let you take it from here."
    "\n\n{signature}",
)
CLOSE = NoteTemplate(
    "About the introduction to {other_name}",
    "Hi {first_name},\n\nA quick update: the introduction to {other_name} isn't going to "
    "happen after all. Thank you for being open to it; I'll keep you in mind."
    "\n\n{signature}",
)


@dataclass
class Draft:
    recipients: list[Contact]
    subject: str
    body: str
    touch: TouchCheck
    template: NoteTemplate
    context: dict[str, object]
    facts: list[Fact]

    @property
    def mailto(self) -> str:
        emails = [e.email for person in self.recipients for e in person.emails.all()[:1]]
        return mailto_url(",".join(emails), self.subject, self.body) if emails else ""

    def check(self, body: str) -> TouchCheck:
        """The personal-touch check of an edited body."""
        return personal_touch(body, template=self.template, context=self.context, facts=self.facts)


def _job(contact: Contact) -> str:
    current = contact.positions.filter(end_date__isnull=True).first()
    return str(current) if current else ""


def _make(
    recipients: list[Contact], template: NoteTemplate, context: dict[str, object], facts: list[Fact]
) -> Draft:
    subject, body = fill(template.subject, context), fill(template.body, context)
    touch = personal_touch(body, template=template, context=context, facts=facts)
    return Draft(recipients, subject, body, touch, template, context, facts)


def _ask(owner: User, intro: Introduction, to: Contact, other: Contact) -> Draft:
    context: dict[str, object] = {
        "first_name": to.first_name or to.full_name,
        "other_name": other.full_name,
        "other_context": _job(other) or "someone I know and trust",
        "reason": intro.reason,
        **sender_context(owner),
    }
    template = templates_for(owner)[INTRODUCTION]
    subject = render_subject(INTRODUCTION, context, user=owner)
    body = render_note(INTRODUCTION, context, user=owner)
    facts = load_history(to).facts()
    touch = personal_touch(body, template=template, context=context, facts=facts)
    return Draft([to], subject, body, touch, template, context, facts)


def _introduce(owner: User, intro: Introduction) -> Draft:
    first, second = intro.first, intro.second
    first_job, second_job = _job(first), _job(second)
    context: dict[str, object] = {
        "first_name": first.first_name or first.full_name,
        "other_name": second.first_name or second.full_name,
        "people": "\n".join(
            gettext("%(name)s is %(job)s.") % {"name": person.full_name, "job": job}
            for person, job in ((first, first_job), (second, second_job))
            if job
        )
        or gettext("You both know me, and I think you'll get on."),
        "reason": intro.reason,
        **sender_context(owner),
    }
    facts = load_history(first).facts() + load_history(second).facts()
    return _make([first, second], INTRODUCE, context, facts)


def _close(owner: User, to: Contact, other: Contact) -> Draft:
    context: dict[str, object] = {
        "first_name": to.first_name or to.full_name,
        "other_name": other.full_name,
        **sender_context(owner),
    }
    return _make([to], CLOSE, context, load_history(to).facts())


def step_drafts(owner: User, intro: Introduction) -> list[Draft]:
    """The messages the current step needs: an ask, the introduction, or polite closes."""
    first, second = intro.first, intro.second
    if intro.status == IntroStatus.ASK_FIRST:
        return [_ask(owner, intro, first, second)]
    if intro.status == IntroStatus.ASK_SECOND:
        return [_ask(owner, intro, second, first)]
    if intro.status == IntroStatus.SEND:
        return [_introduce(owner, intro)]
    if intro.status != IntroStatus.DECLINED:
        return []
    # Closed: a word to each side that was asked and did not decline it themselves.
    told: list[tuple[Contact, Contact]] = []
    if intro.asked_first_on and intro.declined_by != IntroSide.FIRST:
        told.append((first, second))
    if intro.asked_second_on and intro.declined_by != IntroSide.SECOND:
        told.append((second, first))
    return [_close(owner, to, other) for to, other in told]
