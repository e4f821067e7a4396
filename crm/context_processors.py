from django.conf import settings
from django.http import HttpRequest

from crm import __version__


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
    return context
