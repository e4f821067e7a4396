# syntax=docker/dockerfile:1
# One image for every role of Rapport: web (gunicorn), worker and beat (Celery).
# docker/entrypoint.sh picks the role; see docs/self-hosting.md.

# --- builder: a virtual environment with the pinned runtime dependencies -----------
# Base images are pinned to a release (bump them on purpose, with the CHANGELOG); both
# are multi-arch, so the image builds for linux/amd64 and linux/arm64 alike.
FROM python:3.13.9-slim-trixie AS builder
ENV PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_NO_CACHE_DIR=1 PYTHONDONTWRITEBYTECODE=1
WORKDIR /build
COPY requirements.lock ./
# requirements.lock is the runtime set only (development tools are in requirements-dev.lock).
# --no-deps installs exactly what it pins: a package missing from it fails in CI's replay
# of this file (.ci/run), not in a self-hoster's container.
RUN python -m venv /opt/venv \
 && /opt/venv/bin/pip install --require-virtualenv --no-deps -r requirements.lock \
 && /opt/venv/bin/pip check
# The translation catalogs compiled (.po to .mo; only .po files are in git) with GNU
# gettext, which stays in this stage: the runtime image takes only the .mo files.
RUN apt-get update \
 && apt-get install -y --no-install-recommends gettext \
 && rm -rf /var/lib/apt/lists/*
COPY docker/compile_messages.sh ./
COPY crm/locale crm/locale/
RUN sh compile_messages.sh crm/locale

# --- runtime ------------------------------------------------------------------------
FROM python:3.13.9-slim-trixie AS runtime
ARG RAPPORT_UID=10001
ENV PATH=/opt/venv/bin:$PATH \
    PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    DJANGO_SETTINGS_MODULE=crm.settings \
    RAPPORT_VAR_DIR=/app/var \
    STATIC_ROOT=/app/staticfiles \
    STATIC_MANIFEST=true \
    CELERY_BEAT_SCHEDULE_FILENAME=/app/var/beat/celerybeat-schedule \
    PORT=8000
# pg_dump for the nightly backup (crm/backups.py): the same major version as compose's db.
RUN apt-get update \
 && apt-get install -y --no-install-recommends postgresql-client \
 && rm -rf /var/lib/apt/lists/*
RUN groupadd --system --gid ${RAPPORT_UID} rapport \
 && useradd --system --uid ${RAPPORT_UID} --gid rapport --home-dir /app --shell /usr/sbin/nologin rapport
COPY --from=builder /opt/venv /opt/venv
WORKDIR /app
# The code stays owned by root: the app can write only to var/ and staticfiles/.
COPY . .
COPY --from=builder /build/crm/locale /app/crm/locale
# Static files are collected (hashed and compressed by WhiteNoise) once, at build time.
# The key only lets settings load here; the real one comes from .env at run time.
RUN SECRET_KEY=collectstatic-only-not-a-secret DEBUG=false python manage.py collectstatic --noinput \
 && mkdir -p /app/var/beat /app/var/backups \
 && chown -R rapport:rapport /app/var /app/staticfiles \
 && chmod +x docker/entrypoint.sh
USER rapport
EXPOSE 8000
# Web role: /healthz answers 200 while the database and Redis do. Compose gives the
# worker and beat checks of their own (each answers a ping on its node name).
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
  CMD ["python", "docker/healthcheck.py"]
ENTRYPOINT ["docker/entrypoint.sh"]
CMD ["web"]
