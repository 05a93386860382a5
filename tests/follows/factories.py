from __future__ import annotations

from typing import Any

from django.contrib.contenttypes.models import ContentType

from wijkwerk.follows.models import DigestItem, Follow, Frequency


def follow(user: Any, target: Any, frequency: str = Frequency.WEEKLY) -> Follow:
    return Follow.objects.create(
        user=user,
        content_type=ContentType.objects.get_for_model(target),
        object_id=target.pk,
        frequency=frequency,
    )


def item(followed: Follow, line: str, *, link: str = "", label: str = "Dorst-Zuid") -> DigestItem:
    return DigestItem.objects.create(
        user_id=followed.user_id,
        follow=followed,
        event="tests.follows.happened",
        line=line,
        link=link,
        target_label=label,
    )
