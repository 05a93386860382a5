"""Writing, reporting and moderating comments. Every write: one transaction, the policy check,
an audit event. Comments are plain text: stored as typed, always shown escaped (a script is
shown as text, never run)."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from wijkwerk.core import audit, notifications, ratelimit

from . import registry
from .audit_actions import CommentAction
from .models import (
    BODY_MAX,
    REASON_MAX,
    Comment,
    CommentBlock,
    CommentReport,
    CommentStatus,
    ReportReason,
)
from .notifications import NEW_COMMENT
from .policy import moderates_in_municipality
from .refusals import CommentRefused

RATE_LIMIT = "comment"
REPORT_RATE_LIMIT = "comment_report"


def active_block(user: Any, municipality_id: int) -> CommentBlock | None:
    """The person's block on commenting in the municipality, if it holds today: one query."""
    if not getattr(user, "is_authenticated", False):
        return None
    block = CommentBlock.objects.filter(user_id=user.pk, municipality_id=municipality_id).first()
    if block is None or (block.until is not None and block.until < timezone.localdate()):
        return None
    return block


def blocked_message(block: CommentBlock) -> str:
    if block.until is None:
        return _("You may not comment in this municipality. The moderator's reason: %(reason)s") % {
            "reason": block.reason
        }
    return _(
        "You may not comment in this municipality until %(date)s. The moderator's reason: "
        "%(reason)s"
    ) % {"date": date_format(block.until, "DATE_FORMAT"), "reason": block.reason}


def _text(value: str, *, limit: int, empty: str) -> str:
    value = (value or "").strip()
    if not value:
        raise CommentRefused(empty, "empty")
    if len(value) > limit:
        raise CommentRefused(
            _("Write at most %(max)s characters (you wrote %(count)s).")
            % {"max": f"{limit:,}".replace(",", "."), "count": f"{len(value):,}".replace(",", ".")},
            "too_long",
        )
    return value


def comment_post(*, actor: Any, obj: Any, body: str, parent: Comment | None = None) -> Comment:
    """A comment by `actor` on `obj` (whose page the view showed them), or a reply to `parent`
    (a visible top-level comment on the same object: one level of replies)."""
    if not getattr(actor, "is_authenticated", False):
        raise PermissionDenied
    kind = registry.kind_of(obj)
    if kind is None or not kind.is_open(obj):
        raise CommentRefused(_("Comments cannot be placed here."), "not_open")
    area = kind.area(obj)
    body = _text(body, limit=BODY_MAX, empty=_("Write your comment first."))
    if parent is not None and (
        parent.object_id != obj.pk
        or parent.content_type.model_class() is not type(obj)
        or parent.parent_id is not None
        or parent.status != CommentStatus.VISIBLE
    ):
        raise CommentRefused(_("You cannot reply to that comment."), "bad_parent")
    block = active_block(actor, area.municipality_id)
    if block is not None:
        raise CommentRefused(blocked_message(block), "blocked")
    ratelimit.limit(actor, RATE_LIMIT)
    from django.contrib.contenttypes.models import ContentType

    with transaction.atomic():
        comment = Comment.objects.create(
            content_type=ContentType.objects.get_for_model(obj),
            object_id=obj.pk,
            municipality_id=area.municipality_id,
            area=area,
            author=actor,
            parent=parent,
            body=body,
        )
        audit.record(
            actor=actor,
            action=CommentAction.POST,
            instance=comment,
            after={
                "on": str(obj)[:200],
                "length": len(body),
                "parent": parent and parent.pk,
            },
        )
        owners = [pk for pk in kind.owner_ids(obj) if pk and pk != actor.pk]
        if owners:
            notifications.notify(
                NEW_COMMENT,
                recipients=owners,
                context={"comment": comment, "title": str(obj), "url": kind.url(obj)},
            )
    return comment


def comment_report(
    *, actor: Any, comment: Comment, reason: str, explanation: str = ""
) -> CommentReport:
    """Report a comment as abuse (once per person): it goes to the moderation queue."""
    if reason not in ReportReason.values:
        raise CommentRefused(_("Choose why you report this comment."), "bad_reason")
    explanation = (explanation or "").strip()
    if len(explanation) > REASON_MAX:
        raise CommentRefused(
            _("Write at most %(max)s characters.") % {"max": REASON_MAX}, "too_long"
        )
    if not actor.has_perm("comments.report_comment", comment):
        raise PermissionDenied
    if CommentReport.objects.filter(comment=comment, reporter_id=actor.pk).exists():
        raise CommentRefused(_("You have reported this comment already."), "already_reported")
    ratelimit.limit(actor, REPORT_RATE_LIMIT)
    try:
        with transaction.atomic():
            report = CommentReport.objects.create(
                comment=comment, reporter=actor, reason=reason, explanation=explanation
            )
            audit.record(
                actor=actor,
                action=CommentAction.REPORT,
                instance=comment,
                after={"reason": reason},
            )
    except IntegrityError:  # a second report at the same moment
        raise CommentRefused(
            _("You have reported this comment already."), "already_reported"
        ) from None
    return report


def _lock(comment: Comment) -> Comment:
    return (
        Comment.objects.select_for_update(of=("self",))
        .select_related("area__parent__parent")
        .get(pk=comment.pk)
    )


def _handle_reports(comment: Comment) -> int:
    return CommentReport.objects.filter(comment=comment, handled_at__isnull=True).update(
        handled_at=timezone.now()
    )


def comment_hide(*, actor: Any, comment: Comment, reason: str) -> Comment:
    """Hide a comment with a public reason (shown in its place); its open reports are handled."""
    reason = _text(reason, limit=REASON_MAX, empty=_("Give the public reason for hiding it."))
    with transaction.atomic():
        comment = _lock(comment)
        if not actor.has_perm("comments.moderate_comment", comment):
            raise PermissionDenied
        if comment.status == CommentStatus.HIDDEN:
            raise CommentRefused(_("This comment is hidden already."), "already_hidden")
        comment.status = CommentStatus.HIDDEN
        comment.hidden_reason = reason
        comment.hidden_at = timezone.now()
        comment.hidden_by = actor
        comment.save(update_fields=["status", "hidden_reason", "hidden_at", "hidden_by"])
        handled = _handle_reports(comment)
        audit.record(
            actor=actor,
            action=CommentAction.HIDE,
            instance=comment,
            before={"status": CommentStatus.VISIBLE},
            after={"status": comment.status, "hidden_reason": reason, "reports": handled},
        )
    return comment


def comment_restore(*, actor: Any, comment: Comment) -> Comment:
    with transaction.atomic():
        comment = _lock(comment)
        if not actor.has_perm("comments.moderate_comment", comment):
            raise PermissionDenied
        if comment.status != CommentStatus.HIDDEN:
            raise CommentRefused(_("This comment is not hidden."), "not_hidden")
        before = {"status": comment.status, "hidden_reason": comment.hidden_reason}
        comment.status = CommentStatus.VISIBLE
        comment.hidden_reason = ""
        comment.hidden_at = None
        comment.hidden_by = None
        comment.save(update_fields=["status", "hidden_reason", "hidden_at", "hidden_by"])
        audit.record(
            actor=actor,
            action=CommentAction.RESTORE,
            instance=comment,
            before=before,
            after={"status": comment.status},
        )
    return comment


def comment_keep(*, actor: Any, comment: Comment) -> int:
    """The moderator read the reports and keeps the comment: the reports are handled."""
    with transaction.atomic():
        comment = _lock(comment)
        if not actor.has_perm("comments.moderate_comment", comment):
            raise PermissionDenied
        handled = _handle_reports(comment)
        if not handled:
            raise CommentRefused(_("This comment has no open reports."), "nothing_reported")
        audit.record(
            actor=actor, action=CommentAction.KEEP, instance=comment, after={"reports": handled}
        )
    return handled


def user_block(
    *, actor: Any, comment: Comment, reason: str, until: datetime.date | None = None
) -> CommentBlock:
    """Block the comment's author from commenting in its municipality (until `until`, or for
    good); a block that exists is replaced."""
    reason = _text(reason, limit=REASON_MAX, empty=_("Give the reason for the block."))
    if until is not None and until < timezone.localdate():
        raise CommentRefused(_("The end of the block must be today or later."), "bad_date")
    with transaction.atomic():
        if not actor.has_perm("comments.moderate_comment", comment):
            raise PermissionDenied
        if comment.author_id == actor.pk:
            raise CommentRefused(_("You cannot block yourself."), "own_block")
        block, created = CommentBlock.objects.select_for_update().get_or_create(
            municipality_id=comment.municipality_id,
            user_id=comment.author_id,
            defaults={"reason": reason, "until": until, "created_by": actor},
        )
        before = None
        if not created:
            before = audit.snapshot(block, ["reason", "until"])
            block.reason, block.until, block.created_by = reason, until, actor
            block.save(update_fields=["reason", "until", "created_by"])
        audit.record(
            actor=actor,
            action=CommentAction.BLOCK,
            instance=block,
            before=before,
            after=audit.snapshot(block, ["user", "reason", "until"]),
        )
    return block


def block_lift(*, actor: Any, block: CommentBlock) -> None:
    with transaction.atomic():
        if not moderates_in_municipality(actor, block.municipality):
            raise PermissionDenied
        audit.record(
            actor=actor,
            action=CommentAction.UNBLOCK,
            instance=block,
            before=audit.snapshot(block, ["user", "reason", "until"]),
        )
        block.delete()
