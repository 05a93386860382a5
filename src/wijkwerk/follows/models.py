"""Who follows what, and what waits for their weekly digest.

A `Follow` points at any registered followable object (`registry.py`: an area, a council, a
resident group, an initiative, a budget round …) through contenttypes, so this app knows none of
the apps above it. `DigestItem` is one mail kept back for a weekly follower: its line is written
when the mail would have gone (in the recipient's language), so the digest reads nothing else.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _


class Frequency(models.TextChoices):
    IMMEDIATE = "immediate", _("an e-mail straight away")
    WEEKLY = "weekly", _("a weekly digest")


class Follow(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person"),
        on_delete=models.CASCADE,
        related_name="follows",
    )
    content_type = models.ForeignKey(
        ContentType, verbose_name=_("kind"), on_delete=models.CASCADE, related_name="+"
    )
    object_id = models.PositiveBigIntegerField(_("object"))
    target = GenericForeignKey("content_type", "object_id")
    # the municipality of the followed object: scopes the audit trail and lists
    municipality = models.ForeignKey(
        "areas.Municipality",
        verbose_name=_("municipality"),
        on_delete=models.CASCADE,
        related_name="+",
        null=True,
        blank=True,
    )
    frequency = models.CharField(
        _("how often"), max_length=10, choices=Frequency.choices, default=Frequency.WEEKLY
    )
    created_at = models.DateTimeField(_("since"), auto_now_add=True)

    class Meta:
        verbose_name = _("follow")
        verbose_name_plural = _("follows")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "content_type", "object_id"], name="follow_once"
            )
        ]
        indexes = [models.Index(fields=["content_type", "object_id"], name="follow_target")]

    def __str__(self) -> str:
        return f"{self.content_type_id}:{self.object_id}"


class DigestItem(models.Model):
    """One update kept for a weekly follower's digest; removed once the digest is sent."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="digest_items"
    )
    # an update of something no longer followed goes with the follow
    follow = models.ForeignKey(Follow, on_delete=models.CASCADE, related_name="digest_items")
    event = models.CharField(_("kind of update"), max_length=100)
    line = models.CharField(_("update"), max_length=300)
    link = models.CharField(_("link"), max_length=500, blank=True)
    target_label = models.CharField(_("followed"), max_length=200)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("digest item")
        verbose_name_plural = _("digest items")
        ordering = ["user_id", "created_at", "id"]
        indexes = [models.Index(fields=["user", "created_at"], name="digest_user_created")]

    def __str__(self) -> str:
        return self.line


class Announcement(models.Model):
    """A key for something followers hear of once only (a round's phase that opened, found by a
    cron job that runs every few minutes): `services.notify_followers_once`."""

    key = models.CharField(_("key"), max_length=150, unique=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("announcement")
        verbose_name_plural = _("announcements")

    def __str__(self) -> str:
        return self.key
