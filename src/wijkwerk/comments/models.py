"""Comments on initiatives, budget plans and news posts (`registry.py` names what may be
commented on), reports of abuse, and blocks.

A comment points at its object through contenttypes and keeps the object's area and
municipality, so that the officials of that area moderate it and the audit log files it under
the municipality. Replies go one level deep: a reply answers a comment, never another reply.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

BODY_MAX = 2_000
REASON_MAX = 500


class CommentStatus(models.TextChoices):
    VISIBLE = "visible", _("visible")
    HIDDEN = "hidden", _("hidden by a moderator")


class Comment(models.Model):
    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    object_id = models.PositiveBigIntegerField()
    target = GenericForeignKey("content_type", "object_id")
    municipality = models.ForeignKey(
        "areas.Municipality", on_delete=models.CASCADE, related_name="comments"
    )
    area = models.ForeignKey(
        "areas.Area", verbose_name=_("area"), on_delete=models.CASCADE, related_name="comments"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        on_delete=models.CASCADE,
        related_name="comments",
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("reply to"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="replies",
    )
    body = models.TextField(pgettext_lazy("a comment", "comment"), max_length=BODY_MAX)
    created_at = models.DateTimeField(_("written"), auto_now_add=True)
    status = models.CharField(
        _("status"), max_length=20, choices=CommentStatus.choices, default=CommentStatus.VISIBLE
    )
    hidden_reason = models.CharField(_("why it was hidden"), max_length=REASON_MAX, blank=True)
    hidden_at = models.DateTimeField(_("hidden"), null=True, blank=True)
    hidden_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("hidden by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        # "comment" alone is core's verb ("reageren"): these are the thing written
        verbose_name = pgettext_lazy("a comment", "comment")
        verbose_name_plural = pgettext_lazy("a comment", "comments")
        ordering = ["created_at", "pk"]
        indexes = [
            models.Index(fields=["content_type", "object_id", "created_at"], name="comment_of"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status=CommentStatus.HIDDEN) | ~Q(hidden_reason=""),
                name="comment_hidden_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return str(_("number %(number)s") % {"number": self.pk})

    @property
    def is_hidden(self) -> bool:
        return self.status == CommentStatus.HIDDEN


class ReportReason(models.TextChoices):
    INSULT = "insult", _("insulting, threatening or discriminating")
    PERSONAL = "personal", _("personal details of someone")
    SPAM = "spam", _("advertising or spam")
    FALSE = "false", _("misleading or untrue")
    OTHER = "other", _("something else")


class CommentReport(models.Model):
    """A person's report of a comment as abuse: once per person per comment. Open until a
    moderator hides the comment or keeps it (`handled_at`)."""

    comment = models.ForeignKey(Comment, on_delete=models.CASCADE, related_name="reports")
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reported by"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    reason = models.CharField(_("reason"), max_length=20, choices=ReportReason.choices)
    explanation = models.CharField(_("explanation"), max_length=REASON_MAX, blank=True)
    created_at = models.DateTimeField(_("reported"), auto_now_add=True)
    handled_at = models.DateTimeField(_("handled"), null=True, blank=True)

    class Meta:
        verbose_name = _("report")
        verbose_name_plural = _("reports")
        constraints = [
            models.UniqueConstraint(fields=["comment", "reporter"], name="comment_report_once"),
        ]

    def __str__(self) -> str:
        return f"#{self.comment_id}: {self.get_reason_display()}"


class CommentBlock(models.Model):
    """A person may not comment in a municipality (until `until`, inclusive, or for good)."""

    municipality = models.ForeignKey(
        "areas.Municipality", on_delete=models.CASCADE, related_name="comment_blocks"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person"),
        on_delete=models.CASCADE,
        related_name="comment_blocks",
    )
    reason = models.CharField(_("reason"), max_length=REASON_MAX)
    until = models.DateField(_("blocked until"), null=True, blank=True)
    created_at = models.DateTimeField(_("blocked on"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("blocked by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("block")
        verbose_name_plural = _("blocks")
        constraints = [
            models.UniqueConstraint(fields=["municipality", "user"], name="comment_block_once"),
        ]

    def __str__(self) -> str:
        return str(self.user)
