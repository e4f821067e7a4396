"""The contact page sections of this area: timeline, activity sparkline, keep in touch.

Imported by contacts.views.interactions so the sections register when URLs load.
"""

from datetime import date
from functools import lru_cache
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.middleware.csrf import get_token
from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

from contacts.detail_sections import detail_section
from contacts.interaction_forms import InteractionForm
from contacts.models import Contact, InteractionKind
from contacts.promise_forms import PromiseForm
from contacts.promises import promise_section_context
from contacts.reach_out import Balance
from contacts.sparkline import Sparkline, activity_and_balance
from contacts.timeline import contact_timeline_page
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


def activity(
    request: AuthenticatedHttpRequest, contact: Contact, today: date
) -> tuple[Sparkline, Balance]:
    """The activity chart and who reaches out, read once per request for both sections."""
    key = (contact.pk, today)
    cached = getattr(request, "_rapport_activity", None)
    if cached is None or cached[0] != key:
        cached = (key, activity_and_balance(contact, today))
        request._rapport_activity = cached  # type: ignore[attr-defined]
    return cached[1]


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
    sparkline, balance = activity(request, contact, today)
    return {
        "contact": contact,
        **log_form_context(request, contact, today, form, promise_form),
        **promises_card_context(contact, today),
        "page": contact_timeline_page(contact),
        "sparkline": sparkline,
        "touch": touch,
        "touch_round": round_reminder(contact, touch) if touch.is_due else None,
        "balance": balance,
        "prefs": prefs,
        # Sections may be rendered with only their own context; give the form its token.
        "csrf_token": get_token(request),
    }


LOG_FIELDS = "contacts/_log_fields.html"
PROMISE_ADD_FIELDS = "contacts/_promise_add_fields.html"
# Stands for the contact's id in the blank forms' HTML, rendered once for every contact.
_STAND_IN = "0STANDIN0"


@lru_cache(maxsize=8)
def _blank_html(template: str, today: date, language: str | None) -> str:
    """A blank form's HTML for any contact: what it shows depends only on the day (its
    initial date and date limits) and the language. The contact page carries three such
    forms, and rendering them field by field was a third of the page's time."""
    if template == PROMISE_ADD_FIELDS:
        context: dict[str, Any] = {"pf": PromiseForm(today=today, prefix=f"add-{_STAND_IN}")}
    else:
        context = {
            "form": InteractionForm(
                initial={"occurred_on": today, "kind": InteractionKind.MEETING},
                # Nobody's contacts: the people field is not among these fields.
                owner=AnonymousUser(),  # type: ignore[arg-type]
                today=today,
                auto_id=f"id_log_{_STAND_IN}_%s",
            ),
            "pf": PromiseForm(today=today, auto_id=f"id_log_{_STAND_IN}_%s"),
        }
    return render_to_string(template, context)


def blank_fields(template: str, contact: Contact, today: date) -> SafeString:
    html = _blank_html(template, today, get_language())
    return mark_safe(html.replace(_STAND_IN, str(contact.pk)))  # noqa: S308  # rendered above


def log_form_context(
    request: AuthenticatedHttpRequest,
    contact: Contact,
    today: date,
    form: InteractionForm | None = None,
    promise_form: PromiseForm | None = None,
) -> dict[str, Any]:
    """The log form: as bound forms (to show their errors) or as the blank fields."""
    if form is None and promise_form is None:
        return {"log_fields": blank_fields(LOG_FIELDS, contact, today)}
    return {
        "log_form": form or blank_log_form(request, contact, today),
        "promise_form": promise_form or blank_promise_form(contact, today),
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
    add: dict[str, Any] = {"promise_add_form": form}
    if form is None:
        add = {"promise_add_fields": blank_fields(PROMISE_ADD_FIELDS, contact, today)}
    return {"promises": promise_section_context(contact, today), **add}


def blank_promise_form(contact: Contact, today: date) -> PromiseForm:
    return PromiseForm(today=today, auto_id=f"id_log_{contact.pk}_%s")


@detail_section("contacts/_timeline.html", column="main", order=40)
def timeline_section(request: AuthenticatedHttpRequest, contact: Contact) -> dict[str, Any]:
    today = user_settings(request).today()
    return {
        **log_form_context(request, contact, today),
        "page": contact_timeline_page(contact),
        "csrf_token": get_token(request),
    }


@detail_section("contacts/_timeline_activity.html", column="side", order=30)
def activity_section(request: AuthenticatedHttpRequest, contact: Contact) -> dict[str, Any]:
    return {"sparkline": activity(request, contact, user_settings(request).today())[0]}


@detail_section("contacts/_keep_in_touch.html", column="side", order=20)
def keep_in_touch_section(request: AuthenticatedHttpRequest, contact: Contact) -> dict[str, Any]:
    prefs = user_settings(request)
    touch = keep_in_touch_status(contact, prefs, prefs.today())
    return {
        "touch": touch,
        "balance": activity(request, contact, prefs.today())[1],
        "touch_round": round_reminder(contact, touch) if touch.is_due else None,
        "csrf_token": get_token(request),
    }
