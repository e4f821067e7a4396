"""Settings → Security: sessions, two-factor, passkeys and linked single sign-on.

The pages that change these are django-allauth's (two-factor, passkeys, connections);
this page shows where an account stands and links to them.
"""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_POST

from crm.http import AuthenticatedHttpRequest
from crm.security import security_overview, sessions_end_others


@login_required
@require_GET
def security(request: AuthenticatedHttpRequest) -> HttpResponse:
    context = {
        "overview": security_overview(request, request.user),
        "settings_section": "security",
        "password_login": settings.PASSWORD_LOGIN,
    }
    return render(request, "crm/security.html", context)


@login_required
@require_POST
def end_other_sessions(request: AuthenticatedHttpRequest) -> HttpResponse:
    ended = sessions_end_others(request, owner=request.user)
    if ended:
        messages.success(
            request,
            ngettext(
                "Signed out %(count)d other session.", "Signed out %(count)d other sessions.", ended
            )
            % {"count": ended},
        )
    else:
        messages.info(request, _("No other session was signed in."))
    return redirect("security")
