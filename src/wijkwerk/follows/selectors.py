"""Reads of the follows app, each a fixed number of queries."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.db import models

from . import registry
from .models import Follow


@dataclass(frozen=True)
class FollowRow:
    follow: Follow
    target: Any  # None when the object is gone
    kind: str  # the model's verbose name
    url: str = ""  # the object's page ("" when it has none or is gone)


def follow_of(user: Any, obj: models.Model) -> Follow | None:
    """The user's follow of `obj` (one query)."""
    if not getattr(user, "is_authenticated", False):
        return None
    return Follow.objects.filter(
        user=user, content_type=ContentType.objects.get_for_model(obj), object_id=obj.pk
    ).first()


def follows_of(user: Any) -> list[FollowRow]:
    """Everything the user follows with the objects: one query for the follows and one per kind
    of object (at most the registered kinds, whatever the number of follows)."""
    follows = list(Follow.objects.filter(user=user).select_related("content_type"))
    wanted: dict[int, set[int]] = defaultdict(set)
    for follow in follows:
        wanted[follow.content_type_id].add(follow.object_id)
    objects: dict[tuple[int, int], Any] = {}
    types: dict[int, ContentType] = {f.content_type_id: f.content_type for f in follows}
    for content_type_id, ids in wanted.items():
        content_type = types[content_type_id]
        model = apps.get_model(content_type.app_label, content_type.model)
        for obj in model._default_manager.filter(pk__in=ids):
            objects[(content_type_id, obj.pk)] = obj
    rows = []
    for follow in follows:
        content_type = types[follow.content_type_id]
        model = apps.get_model(content_type.app_label, content_type.model)
        target = objects.get((follow.content_type_id, follow.object_id))
        rows.append(
            FollowRow(
                follow=follow,
                target=target,
                kind=str(model._meta.verbose_name),
                url=registry.url_of(target) if target is not None else "",
            )
        )
    return rows
