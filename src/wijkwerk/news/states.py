"""A news post's states.

    draft ─publish→ published ─unpublish (with a reason)→ unpublished ─publish→ published

A draft is seen only by those who may write it; an unpublished post's page stays for its
writers, for everyone else it is gone (404)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from wijkwerk.core.workflow import StateSet


class PostStatus(models.TextChoices):
    DRAFT = "draft", _("draft")
    PUBLISHED = "published", _("published")
    UNPUBLISHED = "unpublished", _("taken offline")


PUBLISHED = StateSet("published", {PostStatus.PUBLISHED}, "Everyone reads the post.")
PUBLISHABLE = StateSet(
    "publishable",
    {PostStatus.DRAFT, PostStatus.UNPUBLISHED},
    "A draft, or a post taken offline, can be published (again).",
)
