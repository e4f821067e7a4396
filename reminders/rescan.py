"""After an edit on the contact page that moves reminders (a job, a custom date).

Both sections that change occasions (contacts/views/careers.py, reminders/views/dates.py)
answer the same way: the person's reminders are recomputed in the background, then the
refreshed section comes back in place (HTMX), or, without JavaScript, the contact page
with the news as messages. Either way a broker outage is said, never hidden.
"""

from collections.abc import Callable

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext_lazy

from crm.htmx import wants_partial
from crm.http import AuthenticatedHttpRequest
from reminders.tasks import queue_user_scan

DELAYED = gettext_lazy("Reminders are delayed: the task queue is unreachable.")


def rescan_and_answer(
    request: AuthenticatedHttpRequest,
    *,
    status: str,
    page_url: str,
    section: Callable[..., HttpResponse],
) -> HttpResponse:
    """Queue the user's scan; `section(status=..., delayed=...)` renders the refreshed part."""
    delayed = not queue_user_scan(request.user)
    if wants_partial(request):
        return section(status=status, delayed=delayed)
    messages.success(request, status)
    if delayed:
        messages.warning(request, DELAYED)
    return redirect(page_url)
