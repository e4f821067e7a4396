"""The contact page sections of this area: timeline, activity sparkline, keep in touch.

Imported by contacts.views.interactions so the sections register when URLs load.
"""

from datetime import date
from typing import Any

from django.middleware.csrf import get_token

from contacts.detail_sections import detail_section
from contacts.interaction_forms import InteractionForm
from contacts.models import Contact, InteractionKind
from contacts.promise_forms import PromiseForm
from contacts.promises import promise_section_context
from contacts.reach_out import reach_out_balance
from contacts.sparkline import interactions_per_month
from contacts.timeline import timeline_page
from crm.http import AuthenticatedHttpRequest
from crm.models import UserSettings
from reminders.keep_in_touch import keep_in_touch_status, round_reminder


def user_settings(request: AuthenticatedHttpRequest) -> UserSettings:
    """The user's settings, read once per request however many sections need them."""
    cached = getattr(request, "_rapport_user_settings", None)
    if cached is None:
        cached = UserSettings.for_user(request.user)
        request._rapport_user_settings = cached  # type: ignore[attr-defined]
    return cached


def timeline_context(
    request: AuthenticatedHttpRequest,
    contact: Contact,
    *,
    prefs: UserSettings | None = None,
    form: InteractionForm | None = None,
    promise_form: PromiseForm | None = None,
) -> dict[str, Any]:
    prefs = prefs or user_settings(request)
    today = prefs.today()
    touch = keep_in_touch_status(contact, prefs, today)
    return {
        "contact": contact,
        "log_form": form or blank_log_form(request, contact, today),
        "promise_form": promise_form or blank_promise_form(contact, today),
        **promises_card_context(contact, today),
        "page": timeline_page(contact, 1),
        "sparkline": interactions_per_month(contact, today),
        "touch": touch,
        "touch_round": round_reminder(contact, touch) if touch.is_due else None,
        "balance": reach_out_balance(contact, today),
        "prefs": prefs,
        # Sections may be rendered with only their own context; give the form its token.
        "csrf_token": get_token(request),
    }


def blank_log_form(
    request: AuthenticatedHttpRequest, contact: Contact, today: date
) -> InteractionForm:
    """The contact page's log form; its ids are per contact so they never clash."""
    return InteractionForm(
        initial={"occurred_on": today, "kind": InteractionKind.MEETING},
        owner=request.user,
        today=today,
        auto_id=f"id_log_{contact.pk}_%s",
    )


def promises_card_context(
    contact: Contact, today: date, form: PromiseForm | None = None
) -> dict[str, Any]:
    """What contacts/_promises.html needs: the promises and the card's own add form."""
    return {
        "promises": promise_section_context(contact, today),
        "promise_add_form": form or PromiseForm(today=today, prefix=f"add-{contact.pk}"),
    }


def blank_promise_form(contact: Contact, today: date) -> PromiseForm:
    return PromiseForm(today=today, auto_id=f"id_log_{contact.pk}_%s")


@detail_section("contacts/_timeline.html", column="main", order=40)
def timeline_section(request: AuthenticatedHttpRequest, contact: Contact) -> dict[str, Any]:
    today = user_settings(request).today()
    return {
        "log_form": blank_log_form(request, contact, today),
        "promise_form": blank_promise_form(contact, today),
        "page": timeline_page(contact, 1),
        "csrf_token": get_token(request),
    }


@detail_section("contacts/_timeline_activity.html", column="side", order=30)
def activity_section(request: AuthenticatedHttpRequest, contact: Contact) -> dict[str, Any]:
    return {"sparkline": interactions_per_month(contact, user_settings(request).today())}


@detail_section("contacts/_keep_in_touch.html", column="side", order=20)
def keep_in_touch_section(request: AuthenticatedHttpRequest, contact: Contact) -> dict[str, Any]:
    prefs = user_settings(request)
    touch = keep_in_touch_status(contact, prefs, prefs.today())
    return {
        "touch": touch,
        "balance": reach_out_balance(contact, prefs.today()),
        "touch_round": round_reminder(contact, touch) if touch.is_due else None,
        "csrf_token": get_token(request),
    }
