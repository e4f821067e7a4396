"""Operations: /healthz for containers and proxies, and the System status page."""

import platform

import django
from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from crm import __version__
from crm.backups import backup_list
from crm.health import broker_kind, probe_broker, probe_database, queue_length
from crm.http import AuthenticatedHttpRequest
from reminders.channels import channel_health
from reminders.heartbeat import beat_state, scheduler_state, worker_state
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
    """Staff see the whole instance; everyone else the scheduler's health and their scans."""
    finished_full = ScanRun.objects.filter(finished_at__isnull=False, user__isnull=True)
    last_scheduled = finished_full.filter(trigger=ScanTrigger.BEAT).order_by("-finished_at").first()
    context: dict[str, object] = {
        "staff": request.user.is_staff,
        "version": __version__,
        "scheduler": scheduler_state(),
        "last_scheduled_scan": last_scheduled,
        "scan_hour": settings.REMINDER_SCAN_HOUR,
        "time_zone": settings.TIME_ZONE,
        "channels": channel_health(owner=request.user),
    }
    if not request.user.is_staff:
        # How many users there are, and who was scanned when, is the administrator's.
        own = ScanRun.objects.filter(user=request.user).select_related("user")
        context["recent_scans"] = list(own[:RECENT_SCANS])
        return render(request, "crm/status.html", context)
    # The last scan of every user (beat's, or `manage.py scan_reminders`), and beat's own.
    context |= {
        "python_version": platform.python_version(),
        "django_version": django.get_version(),
        "database_vendor": connection.display_name,
        "broker": broker_kind(),
        "debug": settings.DEBUG,
        "probes": [probe_database(), probe_broker()],
        "last_scan": finished_full.order_by("-finished_at").first(),
        "recent_scans": list(ScanRun.objects.select_related("user")[:RECENT_SCANS]),
        "worker": worker_state(),
        "beat": beat_state(),
        "queue_length": queue_length(),
        "backups": backup_list(),
        "backup_dir": settings.BACKUP_DIR,
        "backup_hour": settings.BACKUP_HOUR,
        "backup_keep": settings.BACKUP_KEEP,
    }
    return render(request, "crm/status.html", context)
