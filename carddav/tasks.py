"""Celery tasks of phone sync: thin wrappers that take ids and call services."""

from celery import shared_task
from django.contrib.auth.models import User

from carddav.refresh import REFRESH_TASK, refresh
from crm.celery import retry_policy


@shared_task(name=REFRESH_TASK, **retry_policy(backoff_max=5 * 60, max_retries=5))
def refresh_cards(owner_id: int) -> int:
    """Finish a full pass over someone's contacts that a sync request began."""
    owner = User.objects.filter(pk=owner_id, is_active=True).first()
    if owner is None:
        return 0
    return refresh(owner, budget=None).seq
