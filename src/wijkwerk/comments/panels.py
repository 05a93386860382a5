"""Comments' block at the foot of an object's page (core/panels.py, slot "object"), registered in
`CommentsConfig.ready`: the comments with their replies and the form to write one. Returns None
for objects that take no comments (not registered, or not open and without comments)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest


def _object_comments(
    request: HttpRequest, *, obj: Any = None, **kwargs: Any
) -> dict[str, Any] | None:
    from . import registry, selectors, services
    from .forms import CommentForm, ReplyForm
    from .models import Comment

    kind = registry.kind_of(obj)
    if kind is None:
        return None
    is_open = kind.is_open(obj)
    threads = selectors.threads(obj)
    if not is_open and not threads:
        return None
    user = request.user if request is not None else None
    logged_in = bool(user is not None and user.is_authenticated)
    area = kind.area(obj)
    block = services.active_block(user, area.municipality_id) if logged_in and is_open else None
    may_comment = logged_in and is_open and block is None
    may_moderate = logged_in and user.has_perm(
        "comments.moderate_comment",
        Comment(area=area, municipality_id=area.municipality_id),
    )
    count = sum(1 + len(thread.replies) for thread in threads)
    return {
        "comment_threads": [
            (
                thread,
                ReplyForm(auto_id=f"reply-{thread.comment.pk}-%s")
                if may_comment and not thread.comment.is_hidden
                else None,
            )
            for thread in threads
        ],
        "comment_count": count,
        "comment_kind": kind,
        "comment_target": obj,
        "comment_form": CommentForm(auto_id="comment-%s") if may_comment else None,
        "comments_open": is_open,
        "comment_block_message": services.blocked_message(block) if block else "",
        "may_moderate_comments": may_moderate,
        # the moderation queue, found from where a moderator reads comments (a query for them)
        "comment_queue_municipality": area.municipality if may_moderate else None,
        "comment_login_next": kind.url(obj),
    }


def object_comments(request: HttpRequest, *, obj: Any) -> dict[str, Any] | None:
    """The panel's context (the comment view's htmx answer)."""
    return _object_comments(request, obj=obj)


def _moderation_nav(request: HttpRequest | None, **kwargs: Any) -> dict[str, Any] | None:
    """The moderation queue in the main menu, for who moderates comments: one entry per
    municipality they moderate in (the administrator's, and those of the areas where they are
    broker, area coordinator or community worker), from the role index that comes with the
    account (`accounts.roles`): no query, but for a superuser (every municipality: one)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return None
    from wijkwerk.accounts.roles import role_index
    from wijkwerk.areas.models import Municipality

    from .policy import MODERATOR_ROLES

    index = role_index(user)
    areas: set[int] = set()
    for role in MODERATOR_ROLES:
        areas |= index.area_roles.get(role, frozenset())
    admin = set(index.admin_municipality_ids)
    if not (areas or admin or user.is_superuser):
        return None
    if user.is_superuser:
        municipalities = list(Municipality.objects.order_by("name").only("name", "slug"))
    else:
        # an area role is held in its area's municipality (accounts' services hold them to it)
        ids = set(admin)
        for role in MODERATOR_ROLES:
            ids |= index.role_municipalities.get(role, frozenset())
        named = [(index.municipality_names[pk], pk) for pk in ids]
        municipalities = [
            Municipality(pk=pk, name=name, slug=slug) for (name, slug), pk in sorted(named)
        ]
    return {"moderation_municipalities": municipalities} if municipalities else None


def register() -> None:
    from wijkwerk.core.panels import Panel
    from wijkwerk.core.panels import register as add

    # content type (first time in a process), the comments, the writer's block, their roles
    add(
        Panel(
            "object", "comments", "comments/_panel.html", _object_comments, max_queries=4, order=80
        )
    )
    # the moderation queue in the main menu, for moderators (their municipalities)
    add(Panel("nav", "comments", "comments/_nav.html", _moderation_nav, max_queries=2, order=45))
