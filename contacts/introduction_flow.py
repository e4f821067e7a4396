"""Double opt-in introductions: the steps, the trust gate, and what each step logs.

    ask first -> (first answers) -> ask second -> (second answers) -> introduce -> outcome

Either side may decline from the moment they are asked until the introduction is sent,
and the user may withdraw; a declined introduction is closed. Each step is logged as an
interaction on the person it concerns, through contacts.relationships, so timelines and
keep-in-touch clocks follow. A decline is logged on the decliner alone and shown only
on their page, so nothing the other side sees (their timeline, the facts their drafted
messages draw on) ever mentions it.
"""

from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from contacts import limits
from contacts.models import (
    Contact,
    InteractionKind,
    Introduction,
    TrustLevel,
)
from contacts.relation_models import Initiator, IntroOutcome, IntroSide, IntroStatus
from contacts.relationships import interaction_create
from crm.data_version import data_changed
from crm.formats import grouped, mid_sentence
from crm.models import UserSettings
from reminders.models import Reminder, ReminderKind, ReminderStatus

# After this many days, This week asks how an introduction went.
OUTCOME_AFTER_DAYS = 14

OPEN = (
    IntroStatus.ASK_FIRST,
    IntroStatus.WAITING_FIRST,
    IntroStatus.ASK_SECOND,
    IntroStatus.WAITING_SECOND,
    IntroStatus.SEND,
)

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise
WAITING_ON_THEM = (IntroStatus.WAITING_FIRST, IntroStatus.WAITING_SECOND)
WAITING_ON_ME = (IntroStatus.ASK_FIRST, IntroStatus.ASK_SECOND, IntroStatus.SEND)


@dataclass(frozen=True)
class Step:
    """One action: the statuses it may start from and the status it leads to."""

    label: "StrOrPromise"
    starts: tuple[str, ...]
    ends: str


# The whole state machine. First may decline once asked; second once asked.
STEPS: dict[str, Step] = {
    "asked_first": Step(_("I've asked them"), (IntroStatus.ASK_FIRST,), IntroStatus.WAITING_FIRST),
    "first_yes": Step(_("Said yes"), (IntroStatus.WAITING_FIRST,), IntroStatus.ASK_SECOND),
    "first_no": Step(_("Declined"), OPEN[1:], IntroStatus.DECLINED),
    "asked_second": Step(
        _("I've asked them"), (IntroStatus.ASK_SECOND,), IntroStatus.WAITING_SECOND
    ),
    "second_yes": Step(_("Said yes"), (IntroStatus.WAITING_SECOND,), IntroStatus.SEND),
    "second_no": Step(_("Declined"), OPEN[3:], IntroStatus.DECLINED),
    "sent": Step(_("I've introduced them"), (IntroStatus.SEND,), IntroStatus.SENT),
    "met": Step(IntroOutcome.MET.label, (IntroStatus.SENT,), IntroStatus.DONE),
    "nothing": Step(IntroOutcome.NOTHING.label, (IntroStatus.SENT,), IntroStatus.DONE),
    "withdraw": Step(_("Close it"), OPEN, IntroStatus.DECLINED),
}


def next_status(status: str, action: str) -> str:
    """The status after `action`; ValidationError when the action does not fit."""
    step = STEPS.get(action)
    if step is None or status not in step.starts:
        raise ValidationError(gettext("That step does not fit where this introduction stands."))
    return step.ends


def actions_from(status: str) -> list[str]:
    return [action for action, step in STEPS.items() if status in step.starts]


# --- The trust gate ---------------------------------------------------------------


def _gate_label(level: str) -> str:
    labels: dict[str, str] = {
        TrustLevel.CLOSE: gettext("people you're close to"),
        TrustLevel.KNOW_WELL: gettext("people you know well or closer"),
        TrustLevel.ACQUAINTANCE: gettext("acquaintances or closer"),
    }
    return labels.get(level) or gettext("people you've met")


def introduction_refusal(*, owner: User, first: Contact, second: Contact) -> str:
    """Why these two cannot be introduced, or "" when they can."""
    if first.pk == second.pk:
        return gettext("Choose two different people.")
    minimum = UserSettings.for_user(owner).introduction_min_trust
    for person in (first, second):
        if person.trust_level == TrustLevel.FOLLOWING or person.trust_rank < TrustLevel.rank(
            minimum
        ):
            return gettext(
                "You only introduce %(who)s, and %(name)s is %(level)s. An introduction spends "
                "your credibility: raise their trust level on their page, or change who can be "
                "introduced in Settings."
            ) % {
                "who": _gate_label(minimum),
                "name": person.full_name,
                "level": mid_sentence(person.trust_label),
            }
    return ""


# --- Writes --------------------------------------------------------------------------


@transaction.atomic
def introduction_start(
    *, owner: User, first: Contact, second: Contact, reason: str, today: date
) -> Introduction:
    """Start one, if the trust gate lets it and the two are not being introduced already."""
    if first.owner_id != owner.pk or second.owner_id != owner.pk:
        raise ValidationError(gettext("Choose people from your own contacts."))
    refusal = introduction_refusal(owner=owner, first=first, second=second)
    if refusal:
        raise ValidationError(refusal, code="trust")
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": gettext("Say why they should meet, in your words.")})
    if len(reason) > limits.SHORT_NOTE_MAX:
        raise ValidationError(
            {
                "reason": gettext("Keep it under %(most)s characters.")
                % {"most": grouped(limits.SHORT_NOTE_MAX)}
            }
        )
    pair = Q(first=first, second=second) | Q(first=second, second=first)
    if Introduction.objects.filter(
        pair, owner=owner, status__in=[*OPEN, IntroStatus.SENT]
    ).exists():
        raise ValidationError(gettext("You are already introducing these two."), code="duplicate")
    return Introduction.objects.create(
        owner=owner, first=first, second=second, reason=reason, step_on=today
    )


def _log(
    intro: Introduction, people: list[Contact], summary: str, today: date, by: str, **extra: str
) -> None:
    interaction_create(
        owner=intro.owner,
        kind=extra.get("kind", InteractionKind.MESSAGE),
        occurred_on=today,
        summary=summary[:200],
        notes=extra.get("notes", ""),
        contacts=people,
        initiated_by=by,
    )


def _log_step(intro: Introduction, action: str, today: date) -> None:
    first, second = intro.first, intro.second
    asked = gettext("Asked if they'd like an introduction to %(other)s")
    said_yes = gettext("Said yes to an introduction to %(other)s")
    declined = gettext("Declined an introduction to %(other)s")
    # Asking a side, and its answer, go on that side's timeline only: (who, the other, what).
    side_steps = {
        "asked_first": (first, second, asked, Initiator.ME),
        "first_yes": (first, second, said_yes, Initiator.THEM),
        "first_no": (first, second, declined, Initiator.THEM),
        "asked_second": (second, first, asked, Initiator.ME),
        "second_yes": (second, first, said_yes, Initiator.THEM),
        "second_no": (second, first, declined, Initiator.THEM),
    }
    if action in side_steps:
        person, other, said, by = side_steps[action]
        _log(intro, [person], said % {"other": other}, today, by)
    elif action == "sent":
        summary = gettext("Introduced %(first)s and %(second)s") % {
            "first": first,
            "second": second,
        }
        kind = InteractionKind.INTRODUCTION
        _log(intro, [first, second], summary, today, Initiator.ME, kind=kind, notes=intro.reason)
    elif action in ("met", "nothing"):
        if action == "met":
            summary = gettext("Introduction of %(first)s and %(second)s: they met")
        else:
            summary = gettext("Introduction of %(first)s and %(second)s: nothing came of it")
        summary %= {"first": first, "second": second}
        _log(intro, [first, second], summary, today, Initiator.THEM, kind=InteractionKind.OTHER)
    # Withdrawing logs nothing: whoever was asked hears it in the note the user sends.


def _settle_reminders(intro: Introduction) -> None:
    """A side answered (or it closed): its waiting-introduction reminders are done."""
    Reminder.objects.filter(
        owner=intro.owner,
        kind=ReminderKind.INTRODUCTION,
        occasion_key__startswith=f"introduction:{intro.pk}:",
        status__in=[ReminderStatus.OPEN, ReminderStatus.SNOOZED],
    ).update(status=ReminderStatus.DONE, completed_at=timezone.now(), snoozed_until=None)
    data_changed(intro.owner_id)  # an update sends no signal


@transaction.atomic
def introduction_step(*, introduction: Introduction, action: str, today: date) -> Introduction:
    """Take one step: move the status, log it on the right people, settle reminders.

    The row is locked, so a double click or two tabs cannot take the same step twice.
    """
    intro = (
        Introduction.objects.select_for_update()
        .select_related("first", "second", "owner")
        .get(pk=introduction.pk)
    )
    intro.status = next_status(intro.status, action)
    intro.step_on = today
    if action == "asked_first":
        intro.asked_first_on = today
    elif action == "asked_second":
        intro.asked_second_on = today
    elif action == "sent":
        intro.sent_on = today
    elif action in ("met", "nothing"):
        intro.outcome = IntroOutcome.MET if action == "met" else IntroOutcome.NOTHING
        intro.closed_on = today
    elif intro.status == IntroStatus.DECLINED:
        sides = {"first_no": IntroSide.FIRST, "second_no": IntroSide.SECOND}
        intro.declined_by = sides.get(action, IntroSide.ME)
        intro.closed_on = today
    intro.save()
    _log_step(intro, action, today)
    if action not in ("asked_first", "asked_second"):
        _settle_reminders(intro)
    return intro


# --- Reading -----------------------------------------------------------------------------


def with_people(queryset: QuerySet[Introduction]) -> QuerySet[Introduction]:
    heavy = ("search_text", "notes", "how_we_met")
    return queryset.select_related("first", "second").defer(
        *(f"first__{name}" for name in heavy), *(f"second__{name}" for name in heavy)
    )


def visible_on(contact: Contact) -> QuerySet[Introduction]:
    """The introductions a contact's page shows: theirs, but a declined one only on the
    page of the side that declined it, and one the user withdrew only where it was asked."""
    theirs = Q(first=contact) | Q(second=contact)
    declined = Q(status=IntroStatus.DECLINED)
    shown = (
        ~declined
        | Q(declined_by=IntroSide.FIRST, first=contact)
        | Q(declined_by=IntroSide.SECOND, second=contact)
        | Q(declined_by=IntroSide.ME, first=contact, asked_first_on__isnull=False)
        | Q(declined_by=IntroSide.ME, second=contact, asked_second_on__isnull=False)
    )
    return with_people(Introduction.objects.filter(theirs).filter(shown))


def waiting_on_me(owner: User, today: date) -> list[Introduction]:
    """This week: steps the user has to take, and introductions due an outcome."""
    ask_outcome = Q(status=IntroStatus.SENT, sent_on__lte=today - timedelta(OUTCOME_AFTER_DAYS))
    return list(
        with_people(Introduction.objects.owned_by(owner))
        .filter(Q(status__in=WAITING_ON_ME) | ask_outcome)
        .order_by("step_on", "id")[:10]
    )
