#!/bin/sh
# Start one role of Rapport in a container: web | worker | beat
# (or `manage <command>` for a management command, or any other command as is).
#
# Every role first runs `manage.py bootstrap`: it refuses a production start without
# SECRET_KEY, ALLOWED_HOSTS and BASE_URL, waits for the database, then migrates and
# creates the first admin under a PostgreSQL advisory lock, so replicas that start
# together never race. It is idempotent, so restarts are cheap.
set -eu

role="${1:-web}"
[ "$#" -gt 0 ] && shift

bootstrap() {
  python manage.py bootstrap --timeout "${DB_WAIT_TIMEOUT:-60}"
}

case "$role" in
  web)
    bootstrap
    # WEB_CONCURRENCY and GUNICORN_CMD_ARGS are read by gunicorn itself.
    exec gunicorn crm.wsgi \
      --bind "0.0.0.0:${PORT:-8000}" \
      --workers "${WEB_CONCURRENCY:-2}" \
      --worker-tmp-dir /dev/shm \
      --access-logfile - \
      --logger-class crm.logs.GunicornLogger \
      --error-logfile - \
      --graceful-timeout 20 \
      "$@"
    ;;
  worker)
    bootstrap
    exec celery -A crm worker \
      --loglevel "${LOG_LEVEL:-INFO}" \
      --concurrency "${CELERY_CONCURRENCY:-2}" \
      "$@"
    ;;
  beat)
    bootstrap
    # Exactly one beat per installation; its schedule file lives on a volume so a
    # restart does not forget when tasks last ran.
    exec celery -A crm beat \
      --loglevel "${LOG_LEVEL:-INFO}" \
      --schedule "${CELERY_BEAT_SCHEDULE_FILENAME}" \
      "$@"
    ;;
  manage)
    exec python manage.py "$@"
    ;;
  *)
    exec "$role" "$@"
    ;;
esac
