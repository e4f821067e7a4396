"""Cursor (keyset) pagination: each page starts after the last row of the one before.

A cursor is the sort key of that last row, opaque to clients (URL-safe base64 of
JSON). Unlike page numbers it never skips or repeats a row when rows are added or
removed between requests, and every page costs the same however deep it is: the
database seeks to the key instead of counting past an offset. No total is counted.
"""

import base64
import binascii
import json
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Model, Q, QuerySet

from api.errors import FieldErrors

DEFAULT_LIMIT = 50
MAX_LIMIT = 200
BAD_CURSOR = "Not a cursor from this list; start again without one."


@dataclass(frozen=True)
class Page[T]:
    items: list[T]
    next_cursor: str | None


def _encode(values: list[Any]) -> str:
    raw = json.dumps([v.isoformat() if hasattr(v, "isoformat") else v for v in values])
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def _decode(cursor: str, queryset: QuerySet[Any], fields: list[str]) -> list[Any]:
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        values = json.loads(raw)
    except (binascii.Error, ValueError, UnicodeDecodeError):
        raise FieldErrors({"cursor": [BAD_CURSOR]}) from None
    if not isinstance(values, list) or len(values) != len(fields) or not all(map(_sane, values)):
        raise FieldErrors({"cursor": [BAD_CURSOR]})
    meta = queryset.model._meta
    try:
        return [
            meta.get_field(name).to_python(value)
            for name, value in zip(fields, values, strict=True)
        ]
    except (ValidationError, TypeError, ValueError, OverflowError):
        raise FieldErrors({"cursor": [BAD_CURSOR]}) from None


def _sane(value: Any) -> bool:
    """A value the database can take: no NUL (PostgreSQL refuses it), ids in range."""
    if isinstance(value, str):
        return "\x00" not in value and len(value) <= 1000
    if isinstance(value, bool) or value is None:
        return False
    if isinstance(value, int):
        return abs(value) < 2**63
    return False


def _after(order: list[str], values: list[Any]) -> Q:
    """Rows after `values` in `order` (e.g. ["last_name", "-id"]), as a keyset condition."""
    after = Q(pk__in=[])
    equal = Q()
    for field, value in zip(order, values, strict=True):
        name = field.lstrip("-")
        beyond = "lt" if field.startswith("-") else "gt"
        after |= equal & Q(**{f"{name}__{beyond}": value})
        equal &= Q(**{name: value})
    # The first key alone bounds the scan, so the database can seek in its index.
    first = order[0].lstrip("-")
    bound = Q(**{f"{first}__{'lte' if order[0].startswith('-') else 'gte'}": values[0]})
    return bound & after


def keyset[M: Model, T](
    queryset: QuerySet[M, T], *, order: list[str], cursor: str | None
) -> QuerySet[M, T]:
    """`queryset` in `order`, from the row after `cursor` on (not yet cut to a page)."""
    fields = [field.lstrip("-") for field in order]
    queryset = queryset.order_by(*order)
    if cursor:
        queryset = queryset.filter(_after(order, _decode(cursor, queryset, fields)))
    return queryset


def page_of[T](rows: list[T], *, order: list[str], limit: int) -> Page[T]:
    """The page in `rows` (up to limit + 1 rows of `keyset`, in its order)."""
    if len(rows) <= limit:
        return Page(items=rows, next_cursor=None)
    rows = rows[:limit]
    last = rows[-1]
    fields = [field.lstrip("-") for field in order]
    if isinstance(last, dict):
        return Page(items=rows, next_cursor=_encode([last[f] for f in fields]))
    return Page(items=rows, next_cursor=_encode([getattr(last, f) for f in fields]))


def paginate[M: Model, T](
    queryset: QuerySet[M, T], *, order: list[str], cursor: str | None, limit: int
) -> Page[T]:
    """One page of `queryset` in `order` (non-null fields, ending with a unique one).

    Its rows are model instances, or dicts from `values()` that include the order's fields.
    """
    rows = list(keyset(queryset, order=order, cursor=cursor)[: limit + 1])
    return page_of(rows, order=order, limit=limit)
