"""Owner scoping: every lookup of a user's rows goes through these helpers.

Another user's id must look exactly like an id that does not exist (404),
never like a forbidden one (403), and never return data.
"""

from typing import Any, TypeVar

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db import models
from django.shortcuts import get_object_or_404

M = TypeVar("M", bound=models.Model)


class OwnedQuerySet(models.QuerySet[M]):
    """A queryset that knows the lookup path from its rows to their owner."""

    owner_path = "owner"

    def owned_by(self, user: AbstractBaseUser | AnonymousUser) -> "OwnedQuerySet[M]":
        if not user.is_authenticated:
            return self.none()
        return self.filter(**{self.owner_path: user})


def get_owned_or_404[M: models.Model](
    source: type[M] | models.QuerySet[M], user: AbstractBaseUser | AnonymousUser, **lookup: Any
) -> M:
    queryset = source._default_manager.all() if isinstance(source, type) else source
    if not isinstance(queryset, OwnedQuerySet):
        raise TypeError(f"{queryset.model.__name__} has no owner-scoped queryset.")
    return get_object_or_404(queryset.owned_by(user), **lookup)
