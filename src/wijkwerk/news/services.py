"""Writing, publishing and taking offline news posts. Every write: one transaction, the policy
check, an audit event. Texts are plain: stored as typed, shown escaped (HTML is shown as text)."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from wijkwerk.areas.models import Area, AreaCouncil, ResidentGroup
from wijkwerk.core import audit
from wijkwerk.core.text import has_control_characters
from wijkwerk.follows.services import notify_followers

from . import pictures
from .audit_actions import NewsAction
from .models import ALT_MAX, BODY_MAX, LEAD_MAX, REASON_MAX, TITLE_MAX, NewsPost
from .notifications import PUBLISHED as PUBLISHED_EVENT
from .refusals import NewsRefused
from .states import PUBLISHABLE, PUBLISHED, PostStatus


@dataclass(frozen=True)
class Publisher:
    """On whose behalf a post is written: the area itself, one of its councils or groups."""

    key: str  # "area", "council:<pk>", "group:<pk>"
    label: str
    council: AreaCouncil | None = None
    group: ResidentGroup | None = None


def publishers(user: Any, area: Area) -> list[Publisher]:
    """What `user` may write news for in `area` (the area itself, its councils, its groups):
    empty when nothing. Three queries at most."""
    if not getattr(user, "is_authenticated", False):
        return []
    found: list[Publisher] = []
    probe = NewsPost(area=area, municipality_id=area.municipality_id)
    if user.has_perm("news.change_post", probe):
        found.append(Publisher("area", _("%(area)s (the area)") % {"area": area.name}))
    for council in AreaCouncil.objects.filter(area=area).order_by("name", "pk"):
        probe = NewsPost(area=area, municipality_id=area.municipality_id, council=council)
        if user.has_perm("news.change_post", probe):
            found.append(Publisher(f"council:{council.pk}", council.name, council=council))
    for group in ResidentGroup.objects.filter(area=area, dissolved_at__isnull=True).order_by(
        "name", "pk"
    ):
        probe = NewsPost(area=area, municipality_id=area.municipality_id, group=group)
        if user.has_perm("news.change_post", probe):
            found.append(Publisher(f"group:{group.pk}", group.name, group=group))
    return found


def _clean(title: str, lead: str, body: str) -> tuple[str, str, str]:
    title, lead, body = (title or "").strip(), (lead or "").strip(), (body or "").strip()
    if not title or not lead or not body:
        raise NewsRefused(_("A news post needs a title, a lead and a text."), "incomplete")
    if has_control_characters(title) or has_control_characters(lead):
        raise NewsRefused(_("The title and the lead are one line each."), "not_single_line")
    if len(title) > TITLE_MAX or len(lead) > LEAD_MAX or len(body) > BODY_MAX:
        raise NewsRefused(
            _(
                "The title may have at most %(title)d characters, the lead %(lead)d and the "
                "text %(body)d."
            )
            % {"title": TITLE_MAX, "lead": LEAD_MAX, "body": BODY_MAX},
            "too_long",
        )
    return title, lead, body


@dataclass(frozen=True)
class PictureChange:
    """What a form asks of the post's picture: a new upload (with its description), a new
    description only, or removing it. `None` on a service call: the picture stays as it is."""

    upload: UploadedFile | None = None
    alt: str = ""
    remove: bool = False


def _check_picture(change: PictureChange | None, has_picture: bool) -> pictures.Picture | None:
    """Check the picture before anything is saved (also the CPU work of re-encoding it)."""
    if change is None or change.remove:
        return None
    alt = (change.alt or "").strip()
    if (change.upload is not None or has_picture) and not alt:
        raise NewsRefused(
            _(
                "Describe the picture in a few words, for those who cannot see it (for example: "
                "“Children planting trees on the square”)."
            ),
            "picture_alt",
        )
    if len(alt) > ALT_MAX or has_control_characters(alt):
        raise NewsRefused(
            _("The description of the picture is one line of at most %(limit)d characters.")
            % {"limit": ALT_MAX},
            "picture_alt",
        )
    if change.upload is None:
        return None
    try:
        return pictures.process(change.upload)
    except ValidationError as error:
        message, code = error.messages[0], str(error.code)
        if code == "empty":
            raise NewsRefused(message, "empty") from error
        if code == "too_large":
            raise NewsRefused(message, "too_large") from error
        if code == "wrong_type":
            raise NewsRefused(message, "wrong_type") from error
        if code == "too_many_pixels":
            raise NewsRefused(message, "too_many_pixels") from error
        raise NewsRefused(message, "bad_image") from error


def _apply_picture(
    post: NewsPost, change: PictureChange | None, processed: pictures.Picture | None
) -> dict[str, Any] | None:
    """Set the post's picture fields (the caller saves the post, and deletes a new file again
    if its transaction fails); the file replaced is deleted once the transaction commits.
    Returns what the audit log keeps of the change, or None when nothing changed."""
    if change is None:
        return None
    old_name = str(post.picture.name or "")
    after: dict[str, Any]
    if change.remove:
        if not old_name:
            return None
        post.picture = ""
        post.picture_alt = ""
        post.picture_width = post.picture_height = None
        after = {"picture": None, "picture_alt": ""}
    elif processed is not None:
        name = f"{secrets.token_hex(12)}.{processed.extension}"
        post.picture.save(name, ContentFile(processed.content), save=False)
        post.picture_width, post.picture_height = processed.width, processed.height
        post.picture_alt = change.alt.strip()
        after = {
            "picture": processed.extension.upper(),
            "picture_width": processed.width,
            "picture_height": processed.height,
            "picture_alt": post.picture_alt,
        }
    elif old_name and change.alt.strip() != post.picture_alt:
        post.picture_alt = change.alt.strip()
        return {"picture_alt": post.picture_alt}
    else:
        return None
    if old_name:
        storage = post.picture.storage
        transaction.on_commit(lambda: storage.delete(old_name))
    return after


def _forget_new_file(post: NewsPost, before: str) -> None:
    """After a failed transaction: delete a file saved for it (nothing half saved)."""
    name = str(post.picture.name or "")
    if name and name != before:
        post.picture.storage.delete(name)


def _lock(post: NewsPost) -> NewsPost:
    return (
        NewsPost.objects.select_for_update(of=("self",))
        .select_related("area__parent__parent", "council", "group")
        .get(pk=post.pk)
    )


def post_create(
    *,
    actor: Any,
    area: Area,
    title: str,
    lead: str,
    body: str,
    council: AreaCouncil | None = None,
    group: ResidentGroup | None = None,
    picture: PictureChange | None = None,
) -> NewsPost:
    """A draft post in `area`, for the area itself or one of its councils or groups, perhaps
    with a picture (checked, re-encoded without metadata: pictures.py) and its description."""
    if council is not None and group is not None:
        raise NewsRefused(_("A post is from a council or a group, not both."), "foreign_publisher")
    if (council is not None and council.area_id != area.pk) or (
        group is not None and group.area_id != area.pk
    ):
        raise NewsRefused(_("That council or group is not of this area."), "foreign_publisher")
    title, lead, body = _clean(title, lead, body)
    post = NewsPost(
        municipality_id=area.municipality_id,
        area=area,
        council=council,
        group=group,
        title=title,
        lead=lead,
        body=body,
        author=actor if getattr(actor, "is_authenticated", False) else None,
    )
    if not actor.has_perm("news.change_post", post):
        raise PermissionDenied
    processed = _check_picture(picture, has_picture=False)
    try:
        with transaction.atomic():
            shown = _apply_picture(post, picture, processed)
            post.save()
            after = audit.snapshot(post, ["area", "council", "group", "title", "status"])
            audit.record(
                actor=actor,
                action=NewsAction.POST_CREATE,
                instance=post,
                after={**after, **(shown or {})},
            )
    except BaseException:
        _forget_new_file(post, "")
        raise
    return post


PICTURE_FIELDS = ["picture", "picture_alt", "picture_width", "picture_height"]


def post_change(
    *,
    actor: Any,
    post: NewsPost,
    title: str,
    lead: str,
    body: str,
    picture: PictureChange | None = None,
) -> NewsPost:
    """Change the post's texts, and its picture as `picture` asks (None: it stays)."""
    title, lead, body = _clean(title, lead, body)
    if not actor.has_perm("news.change_post", post):
        raise PermissionDenied
    processed = _check_picture(picture, has_picture=bool(post.picture))
    before_name = str(post.picture.name or "")
    try:
        with transaction.atomic():
            post = _lock(post)
            if not actor.has_perm("news.change_post", post):
                raise PermissionDenied
            before_name = str(post.picture.name or "")
            before = audit.snapshot(post, ["title", "lead"])
            post.title, post.lead, post.body = title, lead, body
            shown = _apply_picture(post, picture, processed)
            post.save(update_fields=["title", "lead", "body", "updated_at", *PICTURE_FIELDS])
            audit.record(
                actor=actor,
                action=NewsAction.POST_CHANGE,
                instance=post,
                before=before,
                after={**audit.snapshot(post, ["title", "lead"]), **(shown or {})},
            )
    except BaseException:
        _forget_new_file(post, before_name)
        raise
    return post


def post_publish(*, actor: Any, post: NewsPost) -> NewsPost:
    """Publish a draft (or a post taken offline, again): everyone reads it from now on."""
    with transaction.atomic():
        post = _lock(post)
        if not actor.has_perm("news.publish_post", post):
            raise PermissionDenied
        if post.status not in PUBLISHABLE:
            raise NewsRefused(_("This post is published already."), "already_published")
        before = {"status": post.status}
        post.status = PostStatus.PUBLISHED
        if post.published_at is None:
            post.published_at = timezone.now()
        post.unpublished_at = None
        post.unpublished_reason = ""
        post.save(
            update_fields=[
                "status",
                "published_at",
                "unpublished_at",
                "unpublished_reason",
                "updated_at",
            ]
        )
        audit.record(
            actor=actor,
            action=NewsAction.POST_PUBLISH,
            instance=post,
            before=before,
            after={"status": post.status},
        )
        _tell_followers(post)
    return post


def _tell_followers(post: NewsPost) -> None:
    """Followers of the post's council or group, or of its area (and of the areas around it:
    the follows app's lineage), hear of it now or in their weekly digest, as they chose."""
    notify_followers(
        PUBLISHED_EVENT,
        post.council or post.group or post.area,
        context={"post": post},
        exclude=[post.author_id] if post.author_id else [],
    )


def post_unpublish(*, actor: Any, post: NewsPost, reason: str) -> NewsPost:
    """Take a published post offline, with the reason (kept for its writers and the log)."""
    reason = (reason or "").strip()
    with transaction.atomic():
        post = _lock(post)
        if not actor.has_perm("news.unpublish_post", post):
            raise PermissionDenied
        if post.status not in PUBLISHED:
            raise NewsRefused(_("Only a published post can be taken offline."), "not_published")
        if not reason:
            raise NewsRefused(_("Say why the post is taken offline."), "reason_required")
        if len(reason) > REASON_MAX:
            raise NewsRefused(
                _("The reason may have at most %(max)d characters.") % {"max": REASON_MAX},
                "too_long",
            )
        post.status = PostStatus.UNPUBLISHED
        post.unpublished_at = timezone.now()
        post.unpublished_reason = reason
        post.save(update_fields=["status", "unpublished_at", "unpublished_reason", "updated_at"])
        audit.record(
            actor=actor,
            action=NewsAction.POST_UNPUBLISH,
            instance=post,
            before={"status": PostStatus.PUBLISHED},
            after={"status": post.status, "unpublished_reason": reason},
        )
    return post
