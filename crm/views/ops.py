"""Operations: /healthz for containers and proxies, System status for admins."""

import platform

import django
from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import path
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from crm import __version__
from crm.health import broker_kind, probe_broker, probe_database, queue_length
from crm.http import AuthenticatedHttpRequest
from reminders.heartbeat import scheduler_state, worker_state
from reminders.models import ScanRun, ScanTrigger

RECENT_SCANS = 10


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    """200 when the database and the broker answer, else 503. No login, no data."""
    probes = [probe_database(), probe_broker()]
    healthy = all(probe.ok for probe in probes)
    body = {
        "status": "ok" if healthy else "unavailable",
        **{probe.name: "ok" if probe.ok else probe.detail for probe in probes},
    }
    return JsonResponse(body, status=200 if healthy else 503)


@login_required
@never_cache
@require_GET
def status(request: AuthenticatedHttpRequest) -> HttpResponse:
    if not request.user.is_staff:
        raise PermissionDenied("The system status page is for administrators.")
    recent = list(ScanRun.objects.select_related("user")[:RECENT_SCANS])
    finished_full = ScanRun.objects.filter(finished_at__isnull=False, user__isnull=True)
    # The last scan of every user (beat's, or `manage.py scan_reminders`), and beat's own.
    last_finished = finished_full.order_by("-finished_at").first()
    last_scheduled = finished_full.filter(trigger=ScanTrigger.BEAT).order_by("-finished_at").first()
    context = {
        "version": __version__,
        "python_version": platform.python_version(),
        "django_version": django.get_version(),
        "database_vendor": connection.display_name,
        "broker": broker_kind(),
        "debug": settings.DEBUG,
        "probes": [probe_database(), probe_broker()],
        "scheduler": scheduler_state(),
        "last_scan": last_finished,
        "last_scheduled_scan": last_scheduled,
        "recent_scans": recent,
        "worker": worker_state(),
        "queue_length": queue_length(),
        "scan_hour": settings.REMINDER_SCAN_HOUR,
        "time_zone": settings.TIME_ZONE,
    }
    return render(request, "crm/status.html", context)


urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("status/", status, name="status"),
]
