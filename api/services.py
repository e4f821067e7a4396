"""Issuing and revoking personal access tokens."""

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from api.models import AccessToken, TokenScope

# More than this is a sign of tokens nobody revokes; the page says so.
MAX_TOKENS = 50


@transaction.atomic
def access_token_create(*, owner: User, name: str, scope: str) -> tuple[AccessToken, str]:
    """A new token and its secret, which is shown once and never stored."""
    name = name.strip()
    if not name:
        raise ValidationError({"name": _("Give the token a name, e.g. the script that uses it.")})
    if scope not in TokenScope.values:
        raise ValidationError({"scope": _("Choose read only, or read and write.")})
    tokens = AccessToken.objects.owned_by(owner)
    if tokens.filter(name=name).exists():
        raise ValidationError(
            {"name": _("You already have a token named “%(name)s”.") % {"name": name}}
        )
    if tokens.count() >= MAX_TOKENS:
        raise ValidationError(
            {
                "name": ngettext(
                    "You have %(count)s token; revoke the ones you no longer use first.",
                    "You have %(count)s tokens; revoke the ones you no longer use first.",
                    MAX_TOKENS,
                )
                % {"count": MAX_TOKENS}
            }
        )
    return AccessToken.issue(owner=owner, name=name, scope=scope)


@transaction.atomic
def access_token_revoke(*, token: AccessToken) -> None:
    """Revoked at once: the next request that presents it is refused."""
    token.delete()
