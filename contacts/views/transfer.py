"""Import and export pages, the import progress/result page, duplicates and merging."""

from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import User
from django.core.paginator import Paginator
from django.db import OperationalError
from django.http import HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_htmx.http import HttpResponseClientRedirect

from contacts.connection_requests import (
    InvitationsFormatError,
    invitations_import_file,
    invitations_in_upload,
)
from contacts.detail_sections import detail_section
from contacts.duplicates import (
    contact_merge,
    find_duplicate_groups,
    merge_preview,
    not_duplicate_mark,
    not_duplicate_unmark,
)
from contacts.exporters import EXPORTS, contact_vcard
from contacts.identity import with_identity
from contacts.import_progress import import_announcement, phase_of
from contacts.importers import ImportFileError
from contacts.importers.detect import AUTO, detect_source
from contacts.importers.jobs import (
    PREVIEW_TASK,
    check_upload,
    import_job_cancel,
    import_job_confirm,
    import_job_discard,
    import_job_retry,
    import_job_waiting_for_broker,
    progress_of,
)
from contacts.importers.linkedin import is_zip
from contacts.importers.monica_jobs import monica_fetch_create
from contacts.importers.previews import (
    ImportBusyError,
    import_job_create,
    is_previewing,
    preview_progress,
    refuse_if_busy,
)
from contacts.models import (
    Contact,
    ImportJob,
    ImportSource,
    ImportStatus,
    NotDuplicate,
    TrustLevel,
)
from contacts.transfer_forms import ImportForm, MergeForm, MonicaApiForm
from contacts.views.requests import invitations_imported
from crm.htmx import render_page_or_partial, wants_partial
from crm.http import AuthenticatedHttpRequest
from crm.ownership import get_owned_or_404

IMPORT_PAGE = "contacts/import.html"


def _import_page(
    request: AuthenticatedHttpRequest,
    form: ImportForm,
    status: int = 200,
    monica_form: MonicaApiForm | None = None,
) -> HttpResponse:
    jobs = ImportJob.objects.owned_by(request.user).defer("payload")[:10]
    return render(
        request,
        IMPORT_PAGE,
        {
            "form": form,
            "monica_form": monica_form or MonicaApiForm(),
            "jobs": jobs,
            "nav_section": "import",
            "max_mb": settings.IMPORT_MAX_BYTES // 1_048_576,
        },
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def import_page(request: AuthenticatedHttpRequest) -> HttpResponse:
    if request.method != "POST":
        return _import_page(request, ImportForm())
    form = ImportForm(request.POST, request.FILES)
    upload = request.FILES.get("file")
    if not form.is_valid() or upload is None:
        return _import_page(request, form, status=400)
    source = form.cleaned_data["source"]
    # Django only makes an UploadedFile for a part with a file name.
    filename, size, data = upload.name or "", upload.size or 0, b""
    try:
        if 0 < size <= settings.IMPORT_MAX_BYTES:
            data = upload.read()
            # LinkedIn's export holds connection requests too; they belong in Requests.
            if (invitations := invitations_in_upload(data)) is not None:
                return _import_invitations(request, form, invitations)
            if is_zip(data):
                source = ImportSource.LINKEDIN  # only LinkedIn's export comes as a ZIP
            elif source == AUTO:
                source = detect_source(data)
        check_upload(source=source, filename=filename, size=size)
        job = import_job_create(
            owner=request.user,
            source=source,
            filename=filename,
            data=data,
            trust_level=form.cleaned_data["trust_level"] or None,
        )
    except ImportFileError as exc:
        form.add_error("file", exc.message)
        return _import_page(request, form, status=exc.status)
    return redirect("contacts:import_preview", pk=job.pk)


@login_required
@require_POST
def import_monica(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Monica through its API: the address and token are checked, then the worker reads."""
    form = MonicaApiForm(request.POST)
    if not form.is_valid():
        return _import_page(request, ImportForm(), status=400, monica_form=form)
    try:
        job = monica_fetch_create(
            owner=request.user,
            url=form.cleaned_data["url"],
            token=form.cleaned_data["token"],
            trust_level=form.cleaned_data["trust_level"] or None,
        )
    except ImportFileError as exc:
        form.add_error(None, exc.message)
        return _import_page(request, ImportForm(), status=exc.status, monica_form=form)
    return redirect("contacts:import_preview", pk=job.pk)


def _import_invitations(
    request: AuthenticatedHttpRequest, form: ImportForm, data: bytes
) -> HttpResponse:
    """An Invitations.csv dropped on Import: imported as connection requests, then shown."""
    try:
        report, guessed = invitations_import_file(owner=request.user, data=data)
    except InvitationsFormatError as error:
        form.add_error("file", str(error))
        return _import_page(request, form, status=400)
    summary = gettext(
        "That was LinkedIn's Invitations.csv: its people are connection requests, "
        "so they are here to decide on. %(summary)s"
    ) % {"summary": report.summary()}
    return invitations_imported(request, summary, report, guessed=guessed)


@login_required
@require_http_methods(["GET", "POST"])
def import_preview(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    job = get_owned_or_404(ImportJob.objects.defer("payload"), request.user, pk=pk)
    polled = wants_partial(request) and request.htmx.target == "preview-progress"
    if polled and not is_previewing(job):
        # The poll of a preview the worker has finished (or failed): load the whole page.
        return HttpResponseClientRedirect(reverse("contacts:import_preview", args=[job.pk]))
    if job.status != ImportStatus.PENDING or job.report.get("confirmed"):
        return redirect("contacts:import_job", pk=job.pk)
    if request.method == "POST":
        if request.POST.get("action") == "cancel":
            if not import_job_discard(job=job):
                return redirect("contacts:import_job", pk=job.pk)
            messages.info(request, gettext("Import cancelled; nothing was changed."))
            return redirect("contacts:import")
        if is_previewing(job):
            return redirect("contacts:import_preview", pk=job.pk)
        try:
            refuse_if_busy(request.user, besides=job)
        except ImportBusyError as exc:
            messages.error(request, exc.message)
            return redirect("contacts:import_preview", pk=job.pk)
        import_job_confirm(job)
        return redirect("contacts:import_job", pk=job.pk)
    if is_previewing(job):
        return _previewing(request, job)
    preview = job.report.get("preview", {})
    return render(
        request,
        "contacts/import_preview.html",
        {
            "job": job,
            "preview": preview,
            "counts": preview.get("counts", {}),
            "nav_section": "import",
            "trust_label": TrustLevel.describe(job.trust_level),
        },
    )


def _previewing(request: AuthenticatedHttpRequest, job: ImportJob) -> HttpResponse:
    """The worker is still reading the file: its progress, polled until the preview is in."""
    context = {
        "job": job,
        "progress": preview_progress(job),
        "preview_url": reverse("contacts:import_preview", args=[job.pk]),
        "nav_section": "import",
        "waiting_for_broker": import_job_waiting_for_broker(job, task=PREVIEW_TASK),
    }
    return render_page_or_partial(
        request,
        "contacts/import_previewing.html",
        context,
        partial="contacts/import_previewing.html#preview-progress",
    )


@login_required
@require_GET
def import_job(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    job = get_owned_or_404(ImportJob.objects.defer("payload"), request.user, pk=pk)
    if job.status == ImportStatus.PENDING and not job.report.get("confirmed"):
        return redirect("contacts:import_preview", pk=job.pk)
    finished = job.status in (ImportStatus.DONE, ImportStatus.FAILED)
    done = progress_of(job)
    announcement = import_announcement(job, done)
    job_url = reverse("contacts:import_job", args=[job.pk])
    context = {
        "job": job,
        "sort_invite": _sort_invite(request.user, job) if job.status == ImportStatus.DONE else None,
        "finished": finished,
        "done": done,
        "report": job.report if finished else {},
        "nav_section": "import",
        "announcement": announcement,
        "job_url": job_url,
        "poll_url": f"{job_url}?{urlencode({'said': announcement.key})}",
        "waiting_for_broker": job.status == ImportStatus.PENDING
        and import_job_waiting_for_broker(job),
    }
    if not wants_partial(request):
        return render(request, "contacts/import_job.html", context)
    # The poll: the page says which milestone it last announced. Only a new one is
    # spoken; a new phase redraws the section, otherwise just the bar and count move.
    said = request.GET.get("said", "")
    context["news"] = said != announcement.key
    context["new_phase"] = phase_of(said) != announcement.phase
    return render(request, "contacts/import_job.html#import-update", context)


# Rating one person in Sort takes a few seconds; round up so the promise holds.
SORT_SECONDS_PER_PERSON = 2


def _sort_invite(owner: User, job: ImportJob) -> dict[str, int] | None:
    """After an import that brought new people: how many wait in Sort, and for how long.

    Everyone imported starts "not rated yet", and nothing reaches This week's keep-in-touch
    until they are rated, so the next step after a first import is Sort, not the list.
    """
    if not job.created_count:
        return None
    unrated = Contact.objects.owned_by(owner).filter(trust_level__isnull=True).count()
    if not unrated:
        return None
    minutes = max(1, round(unrated * SORT_SECONDS_PER_PERSON / 60))
    return {"people": unrated, "minutes": minutes}


@login_required
@require_POST
def import_cancel(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    job = get_owned_or_404(ImportJob.objects.defer("payload"), request.user, pk=pk)
    try:
        cancelled = import_job_cancel(job=job)
    except OperationalError:
        # SQLite: the worker holds the write lock while it saves the import.
        messages.warning(request, gettext("The import is saving right now; try again in a moment."))
        return redirect("contacts:import_job", pk=job.pk)
    if cancelled:
        messages.info(request, gettext("Import cancelled; nothing was imported."))
    else:
        messages.info(request, gettext("The import had already finished."))
    return redirect("contacts:import_job", pk=job.pk)


@login_required
@require_POST
def import_retry(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    job = get_owned_or_404(ImportJob.objects.defer("payload"), request.user, pk=pk)
    try:
        refuse_if_busy(request.user, besides=job)
    except ImportBusyError as exc:
        messages.error(request, exc.message)
        return redirect("contacts:import_job", pk=job.pk)
    if not import_job_retry(job=job):
        messages.error(request, gettext("This import cannot be retried; upload the file again."))
        return redirect("contacts:import")
    return redirect("contacts:import_job", pk=job.pk)


@login_required
@require_GET
def export_download(request: AuthenticatedHttpRequest) -> StreamingHttpResponse | HttpResponse:
    kind = request.GET.get("format", "json")
    if kind not in EXPORTS:
        return HttpResponse(gettext("Unknown export format; use json, vcard or csv."), status=400)
    content_type, extension, exporter = EXPORTS[kind]
    args: tuple[Any, ...] = (request.user,)
    if kind == "vcard":
        args += ("4.0" if request.GET.get("version") == "4.0" else "3.0",)
    stamp = timezone.localdate().isoformat()
    response = StreamingHttpResponse(exporter(*args), content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="rapport-{stamp}.{extension}"'
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_GET
def export_contact(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    contact = get_owned_or_404(Contact, request.user, pk=pk)
    version = "4.0" if request.GET.get("version") == "4.0" else "3.0"
    response = HttpResponse(contact_vcard(contact, version), content_type="text/vcard")
    slug = "".join(ch if ch.isalnum() else "-" for ch in contact.full_name).strip("-") or "contact"
    response["Content-Disposition"] = f'attachment; filename="{slug}.vcf"'
    response["Cache-Control"] = "no-store"
    return response


@detail_section("contacts/export_contact_section.html", column="side", order=90)
def export_section(request: AuthenticatedHttpRequest, contact: Contact) -> dict[str, Any]:
    return {}


MARKED_SHOWN = 20


@login_required
@require_GET
def duplicates(request: AuthenticatedHttpRequest) -> HttpResponse:
    groups = find_duplicate_groups(request.user)
    page = Paginator(groups, 25).get_page(request.GET.get("page"))
    marked = NotDuplicate.objects.owned_by(request.user).select_related("first", "second")
    return render(
        request,
        "contacts/duplicate_list.html",
        {
            "page": page,
            "groups": page.object_list,
            "total": len(groups),
            "marked": marked[:MARKED_SHOWN],
            "marked_total": marked.count(),
            "nav_section": "import",
        },
    )


def _owned_pair(
    request: AuthenticatedHttpRequest, pk: int, other_pk: int
) -> tuple[Contact, Contact]:
    contact = get_owned_or_404(Contact, request.user, pk=pk)
    other = get_owned_or_404(Contact, request.user, pk=other_pk)
    return contact, other


@login_required
@require_POST
def not_duplicate(request: AuthenticatedHttpRequest, pk: int, other_pk: int) -> HttpResponse:
    contact, other = _owned_pair(request, pk, other_pk)
    if contact.pk == other.pk:
        messages.error(request, gettext("Choose two different contacts."))
        return redirect("contacts:duplicates")
    not_duplicate_mark(owner=request.user, contact=contact, other=other)
    messages.success(
        request,
        gettext(
            "%(first)s and %(second)s are marked as different people and no "
            "longer listed together. Undo it under “Marked as different people”."
        )
        % {"first": contact.full_name, "second": other.full_name},
    )
    return redirect("contacts:duplicates")


@login_required
@require_POST
def not_duplicate_undo(request: AuthenticatedHttpRequest, pk: int, other_pk: int) -> HttpResponse:
    contact, other = _owned_pair(request, pk, other_pk)
    if not_duplicate_unmark(owner=request.user, contact=contact, other=other):
        messages.success(
            request,
            gettext("%(first)s and %(second)s may be listed as possible duplicates again.")
            % {"first": contact.full_name, "second": other.full_name},
        )
    return redirect("contacts:duplicates")


@login_required
@require_http_methods(["GET", "POST"])
def merge(request: AuthenticatedHttpRequest, pk: int, other_pk: int) -> HttpResponse:
    contacts = with_identity(Contact.objects.select_related("introduced_by"))
    survivor = get_owned_or_404(contacts, request.user, pk=pk)
    duplicate = get_owned_or_404(contacts, request.user, pk=other_pk)
    if survivor.pk == duplicate.pk:
        messages.error(request, gettext("Choose two different contacts to merge."))
        return redirect("contacts:duplicates")
    preview = merge_preview(survivor=survivor, duplicate=duplicate)
    form = MergeForm(request.POST or None, preview=preview)
    if request.method == "POST" and form.is_valid():
        name = duplicate.full_name
        merged = contact_merge(survivor=survivor, duplicate=duplicate, choices=form.cleaned_data)
        messages.success(
            request,
            gettext("Merged %(name)s into %(survivor)s.")
            % {"name": name, "survivor": merged.full_name},
        )
        return redirect(merged.get_absolute_url())
    return render(
        request,
        "contacts/merge.html",
        {"preview": preview, "form": form, "nav_section": "import"},
    )
