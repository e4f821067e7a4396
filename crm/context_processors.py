from django.conf import settings
from django.http import HttpRequest

from crm import __version__
from crm.cache import cache_is_down
from crm.outbox import broker_is_down


def rapport(request: HttpRequest) -> dict[str, object]:
    context: dict[str, object] = {
        "rapport_version": __version__,
        "allow_signup": settings.ALLOW_SIGNUP,
        "scheduler_delayed": False,
    }
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        from reminders.heartbeat import scheduler_state

        state = scheduler_state()
        context["scheduler_delayed"] = state.delayed
        context["scheduler_last_run"] = state.last_run
        # Asked after the scheduler state, whose cache read is what notices Redis is gone.
        context["background_paused"] = cache_is_down() or broker_is_down()
    return context
