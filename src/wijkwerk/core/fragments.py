"""Shared fragments: parts of a page that are the same for every viewer (an area page's panels,
what a resident group does), kept in the shared cache so that a page built from a dozen queries
answers from one.

The cache is the database cache of settings.CACHES, so every app process on every server sees
the same entries. A fragment is stored with the token of its family; a change to a model the
family watches renews the token once the transaction commits, and every fragment stored under
the old token is then a miss. So a new event shows on the area page at the next request, from
whichever process. A fragment also expires after `FRAGMENT_CACHE_SECONDS` (what a fragment shows
may depend on the time: coming events, open surveys, a round's phase), and changes that bypass
the models' signals (`QuerySet.update`, `bulk_create`) show at the latest then.

Why the token is renewed after the commit and not in the transaction: a request reading between
the renewal and the commit would store the old data under the new token. After the commit, a
request that read the old token stores under a token that is no longer current, and one that
reads the new token reads the committed data.

    fragments.watch("group_activity", "events.Event", "news.NewsPost")  # in AppConfig.ready()
    parts = fragments.cached("group_activity", str(group.pk), render)  # render() -> dict of str

Panels say it with `Panel(shared=True, depends_on=...)` (core/panels.py), a part of a template
with `{% shared_fragment family key %}` (core/templatetags/fragments.py).

`FRAGMENT_CACHE_SECONDS = 0` turns the cache off: the tests run so, as they never commit; the
browser journeys (whose writes commit), the tests of this module and those that count a page's
queries as served turn it on.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.apps import apps
from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models import Model
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.utils.translation import get_language

# A change to one of these models renews the family's token (model labels, by family).
_watched: dict[str, set[str]] = {}
# The model that declares each watched many-to-many relation, by its through model: a change
# made from either side (pilot.areas.add(area), area.pilots.add(pilot)) is a change of it.
_relation_owner: dict[type[Model], type[Model]] = {}


def enabled() -> bool:
    return settings.FRAGMENT_CACHE_SECONDS > 0


def watch(family: str, *labels: str) -> None:
    """Renew `family`'s token whenever an instance of one of the models is saved or deleted, or
    one of its many-to-many relations changes. Call from `AppConfig.ready()`."""
    for label in labels:
        _watched.setdefault(family, set()).add(label)
        model = apps.get_model(label)
        uid = f"wijkwerk_fragments:{label}"
        # One receiver per model renews every family that watches it.
        post_save.connect(_on_change, sender=model, dispatch_uid=uid, weak=False)
        post_delete.connect(_on_change, sender=model, dispatch_uid=uid, weak=False)
        for relation in model._meta.many_to_many:
            through = relation.remote_field.through
            _relation_owner[through] = model
            m2m_changed.connect(
                _on_m2m_change, sender=through, dispatch_uid=f"{uid}:{relation.name}", weak=False
            )


def watched(family: str) -> frozenset[str]:
    return frozenset(_watched.get(family, ()))


def _families_of(model: type[Model]) -> list[str]:
    label = model._meta.label
    return [family for family, labels in _watched.items() if label in labels]


def _on_change(sender: type[Model], **kwargs: Any) -> None:
    update_fields = kwargs.get("update_fields")
    # Logging in writes the last login only: nothing a fragment shows.
    if update_fields is not None and set(update_fields) <= {"last_login"}:
        return
    for family in _families_of(sender):
        changed(family)


def _on_m2m_change(sender: type[Model], action: str, **kwargs: Any) -> None:
    if action.startswith("post_"):
        for family in _families_of(_relation_owner[sender]):
            changed(family)


@dataclass
class _Pending:
    """The families whose tokens the current transaction renews when it commits (once each,
    however many rows it writes)."""

    families: set[str] = field(default_factory=set)
    done: bool = False

    def renew(self) -> None:
        self.done = True
        renew(*self.families)


def renew(*families: str) -> None:
    """New tokens for the families now: every fragment stored under the old ones is a miss."""
    cache.set_many({_token_key(f): uuid.uuid4().hex for f in families}, timeout=None)


def changed(family: str) -> None:
    """Renew `family`'s token when the current transaction commits (at once outside one)."""
    if not enabled():
        return
    connection = transaction.get_connection()
    pending: _Pending | None = getattr(connection, "wijkwerk_fragments_pending", None)
    # Still registered and not run: this transaction renews already (a rolled-back transaction
    # or savepoint dropped its callback, and then a new one is registered).
    if (
        pending is not None
        and not pending.done
        and any(f == pending.renew for _, f, _ in connection.run_on_commit)
    ):
        pending.families.add(family)
        return
    pending = _Pending({family})
    connection.wijkwerk_fragments_pending = pending
    transaction.on_commit(pending.renew)


def _token_key(family: str) -> str:
    return f"wijkwerk:fragments:{family}:token"


def _entry_key(family: str, key: str) -> str:
    return f"wijkwerk:fragments:{family}:{key}:{get_language()}"


def cached(family: str, key: str, render: Callable[[], dict[str, str]]) -> dict[str, str]:
    """The parts `render()` makes for `key` (in the active language), from the cache while the
    family's token is the one they were stored under: one query on a hit (the token and the
    entry together), the render and a write on a miss."""
    if not enabled():
        return render()
    token_key, entry_key = _token_key(family), _entry_key(family, key)
    found = cache.get_many([token_key, entry_key])
    token = found.get(token_key)
    entry = found.get(entry_key)
    if token is not None and entry is not None and entry[0] == token:
        parts: dict[str, str] = entry[1]
        return parts
    if token is None:
        # the first use (or the cache was cleared): a token of its own, kept unless one was set
        # meanwhile
        cache.add(token_key, uuid.uuid4().hex, timeout=None)
        token = cache.get(token_key)
    parts = render()
    cache.set(entry_key, (token, parts), timeout=settings.FRAGMENT_CACHE_SECONDS)
    return parts
