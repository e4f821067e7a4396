"""Settings → Access tokens: create (shown once), list with last use, revoke."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext
from django.views.decorators.http import require_http_methods, require_POST

from api.forms import AccessTokenForm
from api.models import AccessToken
from api.services import access_token_create, access_token_revoke
from crm.http import AuthenticatedHttpRequest
from crm.ownership import get_owned_or_404


def _page(
    request: AuthenticatedHttpRequest,
    form: AccessTokenForm,
    *,
    new_secret: str = "",
    new_token: AccessToken | None = None,
    status: int = 200,
) -> HttpResponse:
    context = {
        "settings_section": "tokens",
        "form": form,
        "tokens": list(AccessToken.objects.owned_by(request.user)),
        "new_secret": new_secret,
        "new_token": new_token,
        "api_base": request.build_absolute_uri(reverse("api:contacts")).rsplit("/", 1)[0],
        "docs_url": reverse("api:openapi-view"),
    }
    return render(request, "api/tokens.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def access_tokens(request: AuthenticatedHttpRequest) -> HttpResponse:
    """POST creates a token and shows its secret on this response only (never stored)."""
    if request.method == "GET":
        return _page(request, AccessTokenForm())
    form = AccessTokenForm(request.POST)
    if form.is_valid():
        try:
            token, secret = access_token_create(
                owner=request.user, name=form.cleaned_data["name"], scope=form.cleaned_data["scope"]
            )
        except ValidationError as error:
            for field, problems in error.message_dict.items():
                for problem in problems:
                    form.add_error(field if field in form.fields else None, problem)
        else:
            return _page(request, AccessTokenForm(), new_secret=secret, new_token=token)
    return _page(request, form)


@login_required
@require_POST
def access_token_revoke_view(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    token = get_owned_or_404(AccessToken, request.user, pk=pk)
    access_token_revoke(token=token)
    messages.success(
        request, gettext("Revoked “%(name)s”: it no longer works.") % {"name": token.name}
    )
    return redirect("access_tokens")
