"""Writes of the follows app, and `notify_followers`, the way other apps mail followers.

    from wijkwerk.follows.services import notify_followers
    notify_followers("news.published", post, context={"post": post}, exclude=[author.pk])

Call it inside the service's transaction, like `notify`; the event must have a `topic`.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from wijkwerk.core import audit, notifications, ratelimit

from . import registry, tokens
from .audit_actions import FollowAction
from .models import Announcement, DigestItem, Follow, Frequency
from .notifications import FOLLOWED

RATE_LIMIT = "follow"


class NotFollowable(ValidationError):
    pass


def _pk(value: Any) -> int | None:
    """A user's id, from a user or an id; None for a system actor or no one."""
    if isinstance(value, int):
        return value
    pk = getattr(value, "pk", None) if getattr(value, "is_authenticated", False) else None
    return pk if isinstance(pk, int) else None


def notify_followers(
    event_name: str,
    target: models.Model,
    *,
    context: dict[str, Any],
    exclude: Iterable[Any] = (),
) -> int:
    """Mail everyone who follows `target`, or something `target` belongs to (its area, that
    area's district or village: `registry.lineage`), once the transaction commits; each person
    once, through the nearest thing they follow, now or in their weekly digest as they chose.

    `exclude`: users (or their ids) who get no mail, e.g. the person who did it. Returns the
    number of followers the mail was queued for."""
    found = notifications.event(event_name)
    if found.topic is None:
        raise ValueError(f"{event_name!r} has no topic: followers only get mails with a topic")
    if FOLLOWED in context:
        raise ValueError(f"the context key {FOLLOWED!r} is notify_followers' own")
    chain = registry.lineage(target)
    keys = [(ContentType.objects.get_for_model(obj).pk, obj.pk) for obj in chain]
    where = Q(pk__in=[])
    for content_type_id, object_id in keys:
        where |= Q(content_type_id=content_type_id, object_id=object_id)
    skipped = {_pk(user) for user in exclude}
    rank = {key: index for index, key in enumerate(keys)}
    nearest: dict[int, int] = {}  # user id -> index in chain
    for user_id, content_type_id, object_id in Follow.objects.filter(where).values_list(
        "user_id", "content_type_id", "object_id"
    ):
        if user_id in skipped:
            continue
        index = rank[(content_type_id, object_id)]
        nearest[user_id] = min(index, nearest.get(user_id, index))
    groups: dict[int, list[int]] = {}
    for user_id, index in sorted(nearest.items()):
        groups.setdefault(index, []).append(user_id)
    for index, user_ids in sorted(groups.items()):
        notifications.notify(
            event_name, recipients=user_ids, context={**context, FOLLOWED: chain[index]}
        )
    return len(nearest)


def announced(keys: Iterable[str]) -> set[str]:
    """Which of `keys` followers have heard of already (one query)."""
    return set(Announcement.objects.filter(key__in=list(keys)).values_list("key", flat=True))


def mark_announced(keys: Iterable[str]) -> None:
    """Count `keys` as told (e.g. a round's first phase, which its publication announced)."""
    Announcement.objects.bulk_create([Announcement(key=key) for key in keys], ignore_conflicts=True)


def notify_followers_once(
    key: str,
    event_name: str,
    target: models.Model,
    *,
    context: dict[str, Any],
    exclude: Iterable[Any] = (),
) -> int:
    """`notify_followers`, at most once ever per `key` (a phase's opening found by a job that
    runs every few minutes, or by two app servers at once): 0 when `key` was told already."""
    with transaction.atomic():
        _announcement, created = Announcement.objects.get_or_create(key=key)
        if not created:
            return 0
        return notify_followers(event_name, target, context=context, exclude=exclude)


def _target_key(target: models.Model) -> dict[str, Any]:
    return {
        "content_type": ContentType.objects.get_for_model(target),
        "object_id": target.pk,
    }


def follow(user: Any, target: models.Model, *, frequency: str = Frequency.WEEKLY) -> Follow:
    """Follow `target` (or change how often, when already followed). The caller checked that
    `user` may see it (views: `policy.can_follow`)."""
    kind = registry.kind_of(target)
    if kind is None:
        raise NotFollowable(_("This cannot be followed."), code="not_followable")
    if frequency not in Frequency.values:
        raise ValidationError(_("Choose how often you want updates."), code="frequency")
    ratelimit.limit(user, RATE_LIMIT)
    with transaction.atomic():
        existing = Follow.objects.select_for_update().filter(user=user, **_target_key(target))
        current = existing.first()
        if current is not None:
            if current.frequency != frequency:
                before = {"frequency": current.frequency}
                current.frequency = frequency
                current.save(update_fields=["frequency"])
                audit.record(
                    actor=user,
                    action=FollowAction.CHANGE,
                    instance=current,
                    before=before,
                    after={"frequency": frequency},
                )
            return current
        created = Follow.objects.create(
            user=user,
            municipality_id=kind.municipality_id(target),
            frequency=frequency,
            **_target_key(target),
        )
        audit.record(
            actor=user,
            action=FollowAction.FOLLOW,
            instance=created,
            after={"followed": str(target), "frequency": frequency},
        )
        return created


def set_frequency(user: Any, follow_id: int, frequency: str) -> Follow | None:
    """Change how often one of the user's own follows mails; None when it is not theirs."""
    if frequency not in Frequency.values:
        raise ValidationError(_("Choose how often you want updates."), code="frequency")
    with transaction.atomic():
        current = Follow.objects.select_for_update().filter(pk=follow_id, user=user).first()
        if current is None:
            return None
        if current.frequency != frequency:
            before = {"frequency": current.frequency}
            current.frequency = frequency
            current.save(update_fields=["frequency"])
            audit.record(
                actor=user,
                action=FollowAction.CHANGE,
                instance=current,
                before=before,
                after={"frequency": frequency},
            )
        return current


def _remove(actor: Any, current: Follow, action: str) -> None:
    audit.record(
        actor=actor,
        action=action,
        instance=current,
        before={"frequency": current.frequency},
    )
    current.delete()  # its waiting digest items go with it


def unfollow(user: Any, target: models.Model) -> bool:
    """Stop following `target`; False when it was not followed."""
    ratelimit.limit(user, RATE_LIMIT)
    with transaction.atomic():
        current = (
            Follow.objects.select_for_update().filter(user=user, **_target_key(target)).first()
        )
        if current is None:
            return False
        _remove(user, current, FollowAction.UNFOLLOW)
        return True


def remove(user: Any, follow_id: int) -> bool:
    """Remove one of the user's own follows (the settings page); False when not theirs."""
    with transaction.atomic():
        current = Follow.objects.select_for_update().filter(pk=follow_id, user=user).first()
        if current is None:
            return False
        _remove(user, current, FollowAction.UNFOLLOW)
        return True


def unsubscribe(token: tokens.Unsubscribe) -> int:
    """What a link in a mail does, without a login: remove the one follow, or every weekly
    follow of the person (the digest's link). Returns how many follows were removed; 0 when they
    were gone already (a second click, a mail client that POSTs twice)."""
    with transaction.atomic():
        follows = Follow.objects.select_for_update().filter(user_id=token.user_id)
        if token.follow_id is not None:
            follows = follows.filter(pk=token.follow_id)
        else:
            follows = follows.filter(frequency=Frequency.WEEKLY)
        removed = list(follows)
        for current in removed:
            # no actor: the link works without a login (the person is the follow's own)
            audit.record(
                actor=None,
                action=FollowAction.UNSUBSCRIBE,
                instance=current,
                before={"frequency": current.frequency},
            )
        Follow.objects.filter(pk__in=[f.pk for f in removed]).delete()
        if token.follow_id is None:
            DigestItem.objects.filter(user_id=token.user_id).delete()
        return len(removed)
