"""Representations of records (an API document, a page fragment) cached under the record's
version, so that a stale read is impossible.

- A versioned model (:class:`Versioned`) has a ``version`` column that every write bumps in the
  same transaction: its own ``save()`` (as ``version + 1`` in SQL, so concurrent writers never
  share a number), the saves and deletes of its dependent rows (:func:`register_dependents`,
  through signals) and, for bulk writes that send no signal, the writing service's call of
  :func:`touch`.
- A read learns the version in the query that checks access (it costs nothing more), and asks
  the cache for ``kind:pk:version:language:day``. After a write, the next read asks for a key
  that was never filled; nothing has to be deleted, and an old key ages out.
- A representation is stored only once its transaction is known to be committed
  (``on_commit``): one built from a write that is rolled back must never be served.

The cache is per process (``CACHES["local"]``, memory), which a version-keyed entry allows:
each worker fills its own and none can be stale."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable
from typing import Any, TypeVar

from django.core.cache import caches
from django.db import models, transaction
from django.db.models import F, QuerySet
from django.db.models.signals import post_delete, post_save
from django.utils import timezone, translation

LOCAL_CACHE = "local"
T = TypeVar("T")
Parents = Callable[[Any], "Iterable[int] | QuerySet[Any]"]


_LABELS: dict[tuple[int, str], dict[Any, str]] = {}


def choice_label(field: models.Field[Any, Any], value: Any) -> Any:
    """The label of ``value`` among ``field``'s choices in the active language, from a table
    built once per field and language (Django rebuilds it, hashing every lazy label, on each
    ``get_FOO_display()`` call)."""
    key = (id(field), translation.get_language() or "")
    labels = _LABELS.get(key)
    if labels is None:
        labels = _LABELS[key] = {v: str(label) for v, label in field.flatchoices}
    try:
        return labels.get(value, value)
    except TypeError:  # an unhashable value has no label
        return value


class LabelledModel(models.Model):
    """``get_FOO_display()`` through :func:`choice_label`: the same labels, cheaper."""

    class Meta:
        abstract = True

    def _get_FIELD_display(self, field: models.Field[Any, Any]) -> Any:
        return choice_label(field, getattr(self, field.attname))


class Versioned(LabelledModel):
    """A record whose representations are cached under its version."""

    # db_default: rows written by COPY or raw SQL start at version 1 too.
    version = models.PositiveBigIntegerField(default=1, db_default=1, editable=False)

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self._state.adding:
            super().save(*args, **kwargs)
            return
        update_fields = kwargs.get("update_fields")
        if update_fields is not None:
            kwargs["update_fields"] = {*update_fields, "version"}
        self.version = F("version") + 1
        super().save(*args, **kwargs)
        # Read again (lazily, on first use) instead of keeping the expression.
        del self.__dict__["version"]


def touch(model: type[Versioned], pks: Iterable[int] | QuerySet[Any]) -> int:
    """Bump the version of the ``model`` rows ``pks`` (ids, or a query of ids): what a bulk
    write that sends no signal must call, in its transaction."""
    ids = pks if isinstance(pks, QuerySet) else list(pks)
    if not isinstance(ids, QuerySet) and not ids:
        return 0
    return model._default_manager.filter(pk__in=ids).update(version=F("version") + 1)


def register_dependents(
    parent: type[Versioned], dependents: dict[type[models.Model], Parents]
) -> None:
    """Every save or delete of a dependent row bumps the version of the parents it names:
    ``{Principal: lambda p: [p.organization_id]}``."""
    for model, parents in dependents.items():

        def bump(
            sender: type[models.Model], instance: Any, parents: Parents = parents, **_: Any
        ) -> None:
            touch(parent, parents(instance))

        uid = f"representations:{parent._meta.label}:{model._meta.label}"
        post_save.connect(bump, sender=model, weak=False, dispatch_uid=uid + ":save")
        post_delete.connect(bump, sender=model, weak=False, dispatch_uid=uid + ":delete")


def cache_key(kind: str, pk: int, version: int, *parts: object) -> str:
    """The key of one representation; language and day are part of every key (labels are
    translated, and a term or a responsibility is current relative to today)."""
    language = translation.get_language() or ""
    day = timezone.localdate().isoformat()
    extra = ":".join(str(p) for p in parts)
    return f"{kind}:{pk}:{version}:{language}:{day}:{extra}"


def cached(key: str, build: Callable[[], T]) -> T:
    """The representation under ``key``, built (and stored once committed) when missing."""
    store = caches[LOCAL_CACHE]
    value = store.get(key)
    if value is None:
        value = build()
        transaction.on_commit(lambda: store.set(key, value))
    return value


def etag(key: str) -> str:
    """A weak validator for the representation under ``key`` (a digest: the key names the
    record's internal id)."""
    digest = hashlib.blake2b(key.encode(), digest_size=12).hexdigest()
    return f'W/"{digest}"'
