"""Reads of comments: a fixed number of queries whatever the rows; None or empty, never
Http404."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, Max, Prefetch, Q, QuerySet
from django.utils import timezone

from wijkwerk.areas.models import Municipality

from .models import Comment, CommentBlock, CommentReport, CommentStatus
from .policy import POLICY


@dataclass
class Thread:
    comment: Comment
    replies: list[Comment] = field(default_factory=list)


def threads(obj: Any) -> list[Thread]:
    """The comments on `obj`, each with its replies, oldest first: one query (and one for the
    content type the first time a process asks)."""
    content_type = ContentType.objects.get_for_model(obj)
    rows = list(
        Comment.objects.filter(content_type=content_type, object_id=obj.pk)
        .select_related("author")
        .order_by("created_at", "pk")
    )
    found: dict[int, Thread] = {}
    for comment in rows:
        if comment.parent_id is None:
            found[comment.pk] = Thread(comment)
    for comment in rows:
        if comment.parent_id is not None and comment.parent_id in found:
            found[comment.parent_id].replies.append(comment)
    return list(found.values())


def comment(pk: int) -> Comment | None:
    return (
        Comment.objects.select_related(
            "area__parent__parent", "municipality", "author", "content_type", "parent"
        )
        .filter(pk=pk)
        .first()
    )


def municipality(slug: str) -> Municipality | None:
    return Municipality.objects.filter(slug=slug).first()


def _moderated(user: Any, municipality: Municipality) -> QuerySet[Comment]:
    return Comment.objects.filter(
        POLICY.condition("moderate_comment").objects(user), municipality=municipality
    )


def reported(user: Any, municipality: Municipality) -> list[Comment]:
    """The comments with open reports that `user` moderates, the most reported first: three
    queries, and one per kind of object they are on."""
    open_reports = Q(reports__handled_at__isnull=True)
    return list(
        _moderated(user, municipality)
        .filter(status=CommentStatus.VISIBLE)
        .annotate(
            open_reports=Count("reports", filter=open_reports),
            last_report=Max("reports__created_at", filter=open_reports),
        )
        .filter(open_reports__gt=0)
        .select_related("author", "area", "content_type")
        .prefetch_related(
            Prefetch(
                "reports",
                queryset=CommentReport.objects.filter(handled_at__isnull=True).order_by(
                    "created_at", "pk"
                ),
                to_attr="open_report_list",
            ),
            "target",
        )
        .order_by("-open_reports", "-last_report", "-pk")[:100]
    )


def recently_hidden(user: Any, municipality: Municipality) -> list[Comment]:
    return list(
        _moderated(user, municipality)
        .filter(status=CommentStatus.HIDDEN)
        .select_related("author", "area", "hidden_by", "content_type")
        .prefetch_related("target")
        .order_by("-hidden_at", "-pk")[:20]
    )


def blocks(municipality: Municipality) -> list[CommentBlock]:
    """The blocks that hold today or later."""
    today = timezone.localdate()
    return list(
        CommentBlock.objects.filter(municipality=municipality)
        .filter(Q(until__isnull=True) | Q(until__gte=today))
        .select_related("user", "created_by")
        .order_by("-created_at", "-pk")
    )


def block(pk: int) -> CommentBlock | None:
    return CommentBlock.objects.select_related("municipality", "user").filter(pk=pk).first()
