"""What may be commented on, and for each kind how to find the object for a visitor, whether it
takes comments now, its area (moderation rights, the municipality) and its page.

comments lies above initiatives, budgeting and news, so it registers their kinds itself
(`register_defaults`, from `CommentsConfig.ready`); an app above comments registers its own
kind in its `ready()`.

    key         in URLs: /reacties/nieuw/<key>/<pk>/
    label       the model's "app_label.model_name"
    load        (user, pk) -> the object if the visitor may see its page, else None
    is_open     (obj) -> True when the object takes comments now (public, visible, published)
    area        (obj) -> the object's area (moderation by its officials, the municipality)
    url         (obj) -> its page
    owner_ids   (obj) -> the people whose object it is (not notified yet: see docs)
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db import models
from django.urls import reverse


@dataclass(frozen=True)
class Commentable:
    key: str
    label: str
    load: Callable[[Any, int], Any]
    is_open: Callable[[Any], bool]
    area: Callable[[Any], Any]
    url: Callable[[Any], str]
    owner_ids: Callable[[Any], list[int]] = lambda obj: []


_kinds: dict[str, Commentable] = {}


def register(kind: Commentable) -> None:
    _kinds[kind.key] = kind


def by_key(key: str) -> Commentable | None:
    return _kinds.get(key)


def by_label(label: str) -> Commentable | None:
    for kind in _kinds.values():
        if kind.label == label:
            return kind
    return None


def kind_of(obj: Any) -> Commentable | None:
    if not isinstance(obj, models.Model):
        return None
    return by_label(obj._meta.label_lower)


def labels() -> list[str]:
    return sorted(kind.label for kind in _kinds.values())


def _initiative(user: Any, pk: int) -> Any:
    from wijkwerk.initiatives import selectors

    found = selectors.initiative_for(user, pk)
    if found is None or not user.has_perm("initiatives.view_initiative", found):
        return None
    return found


def _plan(user: Any, pk: int) -> Any:
    from wijkwerk.budgeting import plan_selectors

    return plan_selectors.visible_plan(user, pk)


def _plan_open(plan: Any) -> bool:
    from wijkwerk.budgeting.states import PUBLIC_PROCESS, VISIBLE_PLAN

    return plan.status in VISIBLE_PLAN and plan.process.status in PUBLIC_PROCESS


def _post(user: Any, pk: int) -> Any:
    from wijkwerk.news import selectors

    return selectors.post_for(user, pk)


def _post_open(post: Any) -> bool:
    from wijkwerk.news.states import PUBLISHED

    return post.status in PUBLISHED


def register_defaults() -> None:
    register(
        Commentable(
            key="initiatief",
            label="initiatives.initiative",
            load=_initiative,
            is_open=lambda initiative: bool(initiative.is_public),
            area=lambda initiative: initiative.area,
            url=lambda initiative: initiative.get_absolute_url(),
            owner_ids=lambda initiative: [initiative.applicant_id],
        )
    )
    register(
        Commentable(
            key="plan",
            label="budgeting.plan",
            load=_plan,
            is_open=_plan_open,
            area=lambda plan: plan.area,
            url=lambda plan: reverse("budgeting:plan_detail", kwargs={"pk": plan.pk}),
            owner_ids=lambda plan: [plan.author_id] if plan.author_id else [],
        )
    )
    register(
        Commentable(
            key="nieuws",
            label="news.newspost",
            load=_post,
            is_open=_post_open,
            area=lambda post: post.area,
            url=lambda post: post.get_absolute_url(),
            owner_ids=lambda post: [post.author_id] if post.author_id else [],
        )
    )
