"""The contacts directory: list with live search, detail page, add, edit and delete."""

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Case, F, Prefetch, Q, QuerySet, Value, When
from django.db.models.functions import Lower
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext
from django.views.decorators.http import require_GET, require_http_methods
from django_htmx.http import HttpResponseClientRedirect

from contacts.detail_cache import Rendered, contact_page
from contacts.detail_sections import NOT_CACHEABLE, sections_for
from contacts.forms import ContactFilterForm, ContactForm
from contacts.models import TRUST_DESCRIPTIONS, Contact, Position, Tag, TrustLevel
from contacts.search import search_filter
from contacts.services import contact_delete, contact_delete_preview, contact_save
from contacts.templatetags.avatars import avatar
from contacts.timeline_sections import user_settings
from crm.formats import grouped, many_dates
from crm.forms import apply_service_errors
from crm.htmx import wants_partial
from crm.http import AuthenticatedHttpRequest
from crm.ownership import get_owned_or_404

INTRODUCER_RESULTS = 8
SEARCH_COUNT_CAP = 1000
TAG_SUGGESTIONS = 60

# Closest first; *not rated yet* sorts just above `following`.
TRUST_ORDER = Case(
    When(trust_level=TrustLevel.CLOSE, then=Value(6)),
    When(trust_level=TrustLevel.KNOW_WELL, then=Value(5)),
    When(trust_level=TrustLevel.ACQUAINTANCE, then=Value(4)),
    When(trust_level=TrustLevel.MET, then=Value(3)),
    When(trust_level=TrustLevel.FOLLOWING, then=Value(1)),
    default=Value(2),
)
SORTS: dict[str, list[Any]] = {
    "name": ["last_name", "first_name", "id"],
    "recent": ["-created_at", "-id"],
    "last_interaction": [F("last_interaction_on").desc(nulls_last=True), "last_name", "id"],
    "trust": [TRUST_ORDER.desc(), "last_name", "first_name", "id"],
}


class SearchPaginator(Paginator):
    """Counts at most SEARCH_COUNT_CAP matches: past a thousand, the exact number helps
    nobody, and counting every match of a two-letter search is most of its cost."""

    object_list: QuerySet[Contact]

    @cached_property
    def count(self) -> int:
        return self.object_list.order_by()[: SEARCH_COUNT_CAP + 1].count()

    @property
    def capped(self) -> bool:
        return self.count > SEARCH_COUNT_CAP


def _current_positions() -> Prefetch:
    return Prefetch(
        "positions",
        queryset=Position.objects.filter(end_date__isnull=True).order_by("-start_date", "-id"),
        to_attr="current_positions",
    )


def filtered_contacts(user: User, filters: dict[str, Any]) -> QuerySet[Contact]:
    contacts: QuerySet[Contact] = Contact.objects.owned_by(user)
    if filters.get("q"):
        contacts = search_filter(contacts, filters["q"])
    trust = filters.get("trust")
    if trust == "unrated":
        contacts = contacts.filter(trust_level__isnull=True)
    elif trust:
        contacts = contacts.filter(trust_level=trust)
    if filters.get("tag"):
        contacts = contacts.filter(tags__owner=user, tags__name=filters["tag"])
    return contacts.order_by(*SORTS.get(filters.get("sort") or "name", SORTS["name"]))


def _rows(contacts: Any) -> list[dict[str, Any]]:
    """What each row of the list shows, prepared in one pass.

    Plain values render several times faster than attribute lookups and date
    filters in the template, and the list renders 50 rows on every keystroke.
    """
    zone = timezone.get_current_timezone()
    # What date_format(day, "j M Y") gives, with the month names looked up once per page
    # instead of once per cell (50 rows, two dates each, on every keystroke).
    day_month_year = many_dates("j M Y")
    # Translated once per page (a blocktranslate per row cost ~2 ms a page); the title
    # and company are escaped below, the markup is the catalog's own.
    title_at = gettext('%(title)s <span class="muted">at</span> %(company)s')
    rows = []
    for contact in contacts:
        job = contact.current_positions[0] if contact.current_positions else None
        title, company = (escape(job.title), escape(job.company)) if job else ("", "")
        last = contact.last_interaction_on
        added = contact.created_at.astimezone(zone).date()
        rows.append(
            {
                "url": contact.get_absolute_url(),
                "name": contact.full_name,
                "avatar": avatar(contact, "sm"),
                "job": mark_safe(title_at % {"title": title, "company": company})  # noqa: S308
                if title and company
                else title or company,
                "trust": contact.trust_level or "unrated",
                "trust_label": contact.trust_label,
                "tags": [tag.name for tag in contact.tags.all()],
                "last": day_month_year(last) if last else "",
                "last_iso": last.isoformat() if last else "",
                "added": day_month_year(added),
                "added_iso": added.isoformat(),
            }
        )
    return rows


@login_required
@require_GET
def contact_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    tag_names = list(Tag.objects.owned_by(request.user).values_list("name", flat=True))
    form = ContactFilterForm(request.GET, tags=tag_names)
    form.is_valid()
    # Unknown filter values (an old link, a deleted tag) are ignored, not an error page.
    filters = {name: form.cleaned_data.get(name) or "" for name in ("q", "trust", "tag", "sort")}
    # The long text columns are not shown in the list; leave them in the database.
    contacts = (
        filtered_contacts(request.user, filters)
        .defer("search_text", "notes", "how_we_met")
        .prefetch_related(_current_positions(), "tags")
    )
    paginator = (SearchPaginator if filters["q"] else Paginator)(
        contacts, settings.CONTACTS_PER_PAGE
    )
    page = paginator.get_page(request.GET.get("page"))
    filtering = any(filters[name] for name in ("q", "trust", "tag"))
    has_any = paginator.count > 0 or (filtering and Contact.objects.owned_by(request.user).exists())
    context = {
        "form": form,
        "page": page,
        "rows": _rows(page.object_list),
        "filters": filters,
        "filtering": filtering,
        "has_any": has_any,
        "sort": filters["sort"] or "name",
        "search_cap": grouped(SEARCH_COUNT_CAP),
        "list_url": reverse("contacts:list"),
        "nav_section": "contacts",
    }
    template = "contacts/list.html#results" if wants_partial(request) else "contacts/list.html"
    return render(request, template, context)


@login_required
@require_GET
def contact_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    # Whose contact first: the cache is keyed by owner, and nobody else's page is looked up.
    if not Contact.objects.owned_by(request.user).filter(pk=pk).exists():
        raise Http404
    page = contact_page(request, pk, lambda: _render_detail(request, pk))
    return render(
        request,
        "contacts/detail.html",
        {"title": page.title, "content": page.content(request), "nav_section": "contacts"},
    )


def _render_detail(request: AuthenticatedHttpRequest, pk: int) -> Rendered:
    """The contact page's content (cached by contacts.detail_cache)."""
    contact = get_owned_or_404(
        # Every position (in the model's order): the header shows the current ones and
        # the career section lists them all, so one query serves both.
        Contact.objects.select_related("introduced_by").prefetch_related(
            "emails", "phones", "tags", "positions"
        ),
        request.user,
        pk=pk,
    )
    current = [p for p in contact.positions.all() if p.end_date is None]
    contact.current_positions = current  # type: ignore[attr-defined]
    introduced = list(
        contact.introduced.order_by(Lower("last_name"), Lower("first_name"), "id").only(
            "id", "first_name", "last_name", "trust_level"
        )
    )
    columns: dict[str, list[str]] = {"top": [], "main": [], "side": []}
    cacheable = True
    for section in sections_for(request, contact):
        cacheable = cacheable and not section.context.get(NOT_CACHEABLE)
        html = render_to_string(section.template, section.context)
        columns.setdefault(section.column, []).append(html)
    html = render_to_string(
        "contacts/_detail_content.html",
        {
            "contact": contact,
            # Prefetched into a list by _current_positions().
            "current_position": (contact.current_positions or [None])[0],  # type: ignore[attr-defined]
            "trust_description": TRUST_DESCRIPTIONS.get(contact.trust_level)
            or gettext("Imported and not yet sorted; treated like “Met” until you rate them."),
            "introduced": introduced,
            "top_sections": columns["top"],
            "main_sections": columns["main"],
            "side_sections": columns["side"],
        },
    )
    prefs = user_settings(request)
    return Rendered(
        title=contact.full_name,
        html=html,
        today=prefs.today(),
        zone=prefs.zone.key,
        cacheable=cacheable,
    )


def _introducer_candidates(user: Any, query: str, exclude: Contact | None = None) -> list[Contact]:
    # NUL is no part of a name, and PostgreSQL refuses it in a query parameter.
    words = query.replace("\x00", " ").split()
    if not words:
        return []
    # By name only: "who introduced you" is answered with a name, not a company or tag.
    found = Contact.objects.owned_by(user)
    for word in words[:5]:
        found = found.filter(Q(first_name__icontains=word) | Q(last_name__icontains=word))
    if exclude is not None:
        found = found.exclude(pk=exclude.pk)
    return list(found.order_by("last_name", "first_name", "id")[:INTRODUCER_RESULTS])


def _form_page(
    request: AuthenticatedHttpRequest, contact: Contact | None, status: int = 200, **extra: Any
) -> HttpResponse:
    """The add/edit page; also re-shown (unsaved) when the no-JS "Find" button is pressed."""
    form = extra.pop("form", None)
    if form is None:
        initial: dict[str, Any] = {}
        introducer_id = request.GET.get("introduced_by", "")
        if contact is None and introducer_id.isdecimal():
            initial["introduced_by"] = introducer_id
        form = ContactForm(owner=request.user, contact=contact, initial=initial)
    # The user's tags as one-click suggestions (a bounded list: tags, not contacts).
    existing_tags = list(
        Tag.objects.owned_by(request.user).values_list("name", flat=True)[:TAG_SUGGESTIONS]
    )
    return render(
        request,
        "contacts/form.html",
        {
            "form": form,
            "contact": contact,
            "existing_tags": existing_tags,
            "nav_section": "contacts",
            **extra,
        },
        status=status,
    )


def _save(request: AuthenticatedHttpRequest, contact: Contact | None) -> HttpResponse:
    if "find_introducer" in request.POST:
        # No JavaScript: the Find button re-shows the form with matching people to pick.
        initial = request.POST.dict()
        candidates = _introducer_candidates(request.user, initial.get("introducer_q", ""), contact)
        form = ContactForm(
            owner=request.user,
            contact=contact,
            initial=initial,
            introducer_candidates=candidates,
        )
        return _form_page(
            request,
            contact,
            form=form,
            searched=bool(initial.get("introducer_q", "").strip()),
            candidates=candidates,
            introducer_query=initial.get("introducer_q", ""),
        )
    form = ContactForm(request.POST, request.FILES, owner=request.user, contact=contact)
    if form.is_valid():
        try:
            saved = contact_save(
                owner=request.user,
                contact=contact,
                photo=form.cleaned_data.get("photo"),
                remove_photo=bool(form.cleaned_data.get("remove_photo")),
                **form.service_kwargs(),
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            done = gettext("Added %(name)s.") if contact is None else gettext("Saved %(name)s.")
            messages.success(request, done % {"name": saved.full_name})
            return redirect(saved)
    return _form_page(request, contact, form=form)


@login_required
@require_http_methods(["GET", "POST"])
def contact_new(request: AuthenticatedHttpRequest) -> HttpResponse:
    if request.method == "POST":
        return _save(request, None)
    return _form_page(request, None)


@login_required
@require_http_methods(["GET", "POST"])
def contact_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    contact = get_owned_or_404(
        Contact.objects.select_related("introduced_by").prefetch_related(
            "emails", "phones", "tags"
        ),
        request.user,
        pk=pk,
    )
    if request.method == "POST":
        return _save(request, contact)
    return _form_page(request, contact)


@login_required
@require_http_methods(["GET", "POST"])
def contact_delete_view(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    contact = get_owned_or_404(Contact, request.user, pk=pk)
    if request.method == "POST":
        name = contact.full_name
        contact_delete(contact=contact)
        messages.success(request, gettext("Deleted %(name)s.") % {"name": name})
        if wants_partial(request):
            return HttpResponseClientRedirect(reverse("contacts:list"))
        return redirect("contacts:list")
    context = {
        "contact": contact,
        "goes": contact_delete_preview(contact=contact),
        "nav_section": "contacts",
    }
    return render(request, "contacts/confirm_delete.html", context)


@login_required
@require_GET
def introducer_options(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The "Introduced by" choices for a search, swapped into the contact form by htmx."""
    exclude_id = request.GET.get("exclude", "")
    exclude = (
        Contact.objects.owned_by(request.user).filter(pk=int(exclude_id)).first()
        if exclude_id.isdecimal()
        else None
    )
    candidates = _introducer_candidates(request.user, request.GET.get("introducer_q", ""), exclude)
    form = ContactForm(
        owner=request.user,
        contact=exclude,
        initial={"introduced_by": request.GET.get("introduced_by", "")},
        introducer_candidates=candidates,
    )
    return render(
        request,
        "contacts/form.html#introducer_options",
        {
            "form": form,
            "contact": exclude,
            "searched": bool(request.GET.get("introducer_q", "").strip()),
            "candidates": candidates,
            "introducer_query": request.GET.get("introducer_q", ""),
        },
    )
