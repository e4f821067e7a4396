"""Personal access tokens: what a script, the REST API or an assistant (MCP) presents."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from crm.models import IssuedSecret
from crm.ownership import OwnedQuerySet


class TokenScope(models.TextChoices):
    READ = "read", _("Read only")
    WRITE = "write", _("Read and write")


class AccessToken(IssuedSecret):
    """A named bearer token of one user, shown once, stored as a digest (IssuedSecret).

    `read` tokens may only look; `write` tokens may also change data through the
    same services the web pages use.
    """

    # A leaked token is recognisable (and secret scanners can be told about it).
    secret_prefix = "rapport_"  # noqa: S105 (a prefix, not a secret)
    # Most operations need the owner's settings (their today, week, time zone): joined to
    # the lookup every request makes, instead of a query of their own (api.auth.preferences).
    found_with = ("owner", "owner__rapport_settings")

    scope = models.CharField(max_length=10, choices=TokenScope.choices, default=TokenScope.READ)

    objects = OwnedQuerySet.as_manager()

    class Meta(IssuedSecret.Meta):
        verbose_name = _("personal access token")

    @property
    def can_write(self) -> bool:
        return self.scope == TokenScope.WRITE
