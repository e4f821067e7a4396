"""One home for "this owner's data changed": a per-owner version number in the cache.

Caches of pages and figures built from one person's data put `data_version(owner_id)`
in their keys; anything that changes that person's data calls `data_changed(owner_id)`,
which moves the version on, so every such cache entry is missed from then on (old
entries simply expire). Users of it: the contact page (contacts/detail_cache.py), the
dashboard's overdue count and weekly chart, the Relationships overview and the
who-reaches-out order (through reminders.charts.glance_version).

Who calls `data_changed`:
- every save, delete and many-to-many change of every model with an owner (its own
  `owner`/`user`, or one hop away: a contact's email, a channel's delivery), in the
  apps of OWNED_APPS, through the signals `connect_data_version_signals()` connects
  (CrmConfig.ready());
- `DataChangedMiddleware`: after any unsafe request (POST, PUT, DELETE …) of a signed-in
  person, whatever the view wrote and however (a queryset `.update()` sends no signal);
- bulk writes outside requests (importers, the reminder scan, seed_demo) call it
  themselves, usually as reminders.charts.forget_glance.

Inside a transaction it moves the version twice: now, for this connection, and again on
commit, because until then other processes read the old rows, and a page they render
meanwhile would be cached under the new version with the old data.

The cache is Redis in production, a file cache under `make run`. A missing version starts
from the clock, never from zero again, so an evicted version cannot bring old entries back.
While Redis is down the cache falls back to each process's memory (crm/cache.py), where
another process's change cannot reach: the entries keyed on a version go through
`owner_data_cache`, which neither reads nor keeps anything then; and the versions are
forgotten when Redis answers again.
"""

import hashlib
import time
from collections.abc import Callable, Iterable
from functools import lru_cache, partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.core.exceptions import FieldDoesNotExist
from django.db import models, transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.http import HttpRequest, HttpResponse
from django.utils.translation import get_language

import crm
from crm.cache import DATA_VERSION_PREFIX, cache_is_down

if TYPE_CHECKING:
    from django.contrib.auth.models import User

    from crm.models import UserSettings

OWNED_APPS = ("contacts", "reminders", "carddav", "api", "crm")
# Models of those apps that belong to nobody (not a person's data).
UNOWNED = {"crm.TaskMessage"}  # the task outbox
# Owned, but the app's own bookkeeping that no cached page or figure shows: writing them
# changes nothing a person sees there (an import preview must not drop the caches). What
# an import or a scan writes into contacts and reminders moves the version itself.
BOOKKEEPING = {
    "contacts.ImportJob",  # an import's state and report (its page reads it live)
    "reminders.ScanRun",  # when the reminder scan last ran
    "reminders.DigestLog",  # which digests went out
    "reminders.NotificationDelivery",  # each notification's delivery attempt
}

OwnerOf = Callable[[models.Model], int | None]


def _key(owner_id: int) -> str:
    return f"{DATA_VERSION_PREFIX}{owner_id}"


def data_version(owner_id: int) -> int:
    """This owner's data version: part of the key of every cache built from their data."""
    found = cache.get(_key(owner_id))
    if found is None:
        cache.add(_key(owner_id), _fresh(), None)
        found = cache.get(_key(owner_id), 0)
    return int(found)


class _OwnerDataCache:
    """The cache for what is built from an owner's data, under a key holding their data
    version: the contact page, This week's board, the glance figures, the API's reads.

    While the shared cache (Redis) is down, each process would keep its own copy, which
    a change made in another process (a web worker, the Celery worker) cannot reach: then
    nothing is read or kept, and pages are built afresh.
    """

    def get(self, key: str) -> Any:
        return None if cache_is_down() else cache.get(key)

    def set(self, key: str, value: Any, timeout: float) -> None:
        if not cache_is_down():
            cache.set(key, value, timeout)


owner_data_cache = _OwnerDataCache()


def data_changed(owner_id: int | None) -> None:
    """Something of this owner's changed: drop every cache entry keyed on their version."""
    if owner_id is None:
        return
    _bump(owner_id)
    if transaction.get_connection().in_atomic_block:
        transaction.on_commit(partial(_bump, owner_id), robust=True)


def is_version_bump(callback: object) -> bool:
    """Whether an on-commit callback is data_changed's (tests count the others)."""
    return getattr(callback, "func", None) is _bump


def _fresh() -> int:
    # Microseconds: a version bumped once per change never catches up with the clock.
    return int(time.time() * 1_000_000)


def _bump(owner_id: int) -> None:
    try:
        cache.incr(_key(owner_id))
    except ValueError:
        cache.set(_key(owner_id), _fresh(), None)


# --- Who owns a row --------------------------------------------------------------------


def _direct_owner_field(model: type[models.Model]) -> models.ForeignKey | None:
    user_model = get_user_model()
    for name in ("owner", "user"):
        try:
            field = model._meta.get_field(name)
        except FieldDoesNotExist:
            continue
        if isinstance(field, models.ForeignKey) and field.related_model is user_model:
            return field
    return None


def owner_resolver(model: type[models.Model]) -> OwnerOf | None:
    """How to find the owner of one of `model`'s rows, or None if it belongs to nobody."""
    if model is get_user_model():
        return lambda instance: instance.pk
    direct = _direct_owner_field(model)
    if direct is not None:
        attname = direct.attname
        return lambda instance: getattr(instance, attname)
    for field in model._meta.concrete_fields:
        if not isinstance(field, models.ForeignKey):
            continue
        parent = _direct_owner_field(field.related_model)
        if parent is not None:
            return partial(_owner_through, field, parent.attname)
    return None


def _owner_through(field: models.ForeignKey, owner_attname: str, instance: Any) -> int | None:
    if field.is_cached(instance):
        parent = field.get_cached_value(instance)
        return getattr(parent, owner_attname) if parent is not None else None
    parent_id = getattr(instance, field.attname)
    if parent_id is None:
        return None
    related: Any = field.related_model
    return related._base_manager.filter(pk=parent_id).values_list(owner_attname, flat=True).first()


def owned_models() -> Iterable[type[models.Model]]:
    """Every model of OWNED_APPS (not auto-created through tables), and the user model."""
    yield get_user_model()
    for label in OWNED_APPS:
        yield from apps.get_app_config(label).get_models()


# --- Signals and the request net ---------------------------------------------------------


def _saved(resolve: OwnerOf) -> Callable[..., None]:
    def receiver(sender: type, instance: models.Model, **kwargs: Any) -> None:
        if kwargs.get("raw"):  # loaddata: no owner lookups while fixtures load
            return
        data_changed(resolve(instance))

    return receiver


def _deleted(model: type[models.Model], resolve: OwnerOf) -> Callable[..., None]:
    """Deleting a contact (or an account) deletes thousands of rows, each with a signal:
    move each owner's version once per deletion, and leave the rows one hop away that
    went with their parent to the parent's own signal (no query per row)."""
    foreign_keys = [f for f in model._meta.concrete_fields if isinstance(f, models.ForeignKey)]
    one_hop = _direct_owner_field(model) is None and len(foreign_keys) == 1

    def receiver(sender: type, instance: models.Model, **kwargs: Any) -> None:
        origin = kwargs.get("origin")
        if origin is None or origin is instance:
            data_changed(resolve(instance))
            return
        origin_model = origin if isinstance(origin, type) else type(origin)
        origin_model = getattr(origin, "model", origin_model)  # a queryset's
        if one_hop and origin_model is not model:
            return  # deleted with the parent it belongs to: that deletion moves the version
        owner_id = resolve(instance)
        moved: set[int | None] = origin.__dict__.setdefault("_rapport_versions_moved", set())
        if owner_id not in moved:
            moved.add(owner_id)
            data_changed(owner_id)

    return receiver


def _m2m(resolvers: dict[type[models.Model], OwnerOf]) -> Callable[..., None]:
    def receiver(sender: type, instance: models.Model, action: str, **kwargs: Any) -> None:
        if action.startswith("post_"):
            resolve = resolvers.get(type(instance))
            if resolve is not None:
                data_changed(resolve(instance))

    return receiver


_receivers: list[Callable[..., None]] = []  # signals hold receivers weakly


def connect_data_version_signals() -> None:
    resolvers: dict[type[models.Model], OwnerOf] = {}
    for model in owned_models():
        if model._meta.label in BOOKKEEPING:
            continue
        resolve = owner_resolver(model)
        if resolve is not None:
            resolvers[model] = resolve
    for model, resolve in resolvers.items():
        saved, deleted = _saved(resolve), _deleted(model, resolve)
        _receivers.extend((saved, deleted))
        uid = f"data-version:{model._meta.label}"
        post_save.connect(saved, sender=model, dispatch_uid=f"{uid}:save")
        post_delete.connect(deleted, sender=model, dispatch_uid=f"{uid}:delete")
    m2m_receiver = _m2m(resolvers)
    _receivers.append(m2m_receiver)
    for model in resolvers:
        for field in model._meta.local_many_to_many:
            through: Any = field.remote_field.through
            m2m_changed.connect(
                m2m_receiver, sender=through, dispatch_uid=f"data-version:{through._meta.label}"
            )


SAFE_METHODS = {"GET", "HEAD", "OPTIONS", "TRACE", "PROPFIND", "REPORT"}


class DataChangedMiddleware:
    """After any unsafe request of a signed-in person, their data may have changed."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if request.method not in SAFE_METHODS:
            user = getattr(request, "user", None)
            if user is not None and user.is_authenticated:
                data_changed(user.pk)
        return response


@lru_cache(maxsize=1)
def code_release() -> str:
    """The code this process runs, for the keys of caches that keep markup or JSON (the
    contact page, the board, the API's reads): the version and the newest template, Python
    or catalog file, so an upgrade (or a new build of the same version) never serves what
    the old code cached. Read once per process; the same build gives the same answer."""
    newest = 0.0
    for folder in ("templates", "contacts", "reminders", "carddav", "crm", "api"):
        for path in (Path(settings.BASE_DIR) / folder).rglob("*"):
            if path.suffix in {".html", ".py", ".mo"}:
                newest = max(newest, path.stat().st_mtime)
    return f"{crm.__version__}-{int(newest)}"


def owner_cache_key(kind: str, owner: "User", prefs: "UserSettings", *parts: str) -> str:
    """The key of `owner`'s cached `kind` (the board, an API read) for what `parts` name.

    Under their data version, so their next change misses it; besides `parts` it holds
    what every such answer shows in the owner's own terms: their today, week start, time
    zone and language, and the code's release. Never shared between users: `date_joined`
    keeps keys apart when ids are reused (a recreated user, test databases).
    """
    shown = [
        prefs.today().isoformat(),
        str(prefs.first_weekday),
        prefs.time_zone,
        get_language() or "",
        code_release(),
        *parts,
    ]
    digest = hashlib.sha256("\n".join(shown).encode()).hexdigest()[:32]
    joined = int(owner.date_joined.timestamp())
    return f"rapport:{kind}:{owner.pk}:{joined}:{data_version(owner.pk)}:{digest}"
