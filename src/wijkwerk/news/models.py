"""News posts: an area's, a council's or a resident group's news (plain text, paragraphs)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from .states import PostStatus

TITLE_MAX = 150
LEAD_MAX = 300
BODY_MAX = 10_000
REASON_MAX = 1_000
ALT_MAX = 250


def picture_path(instance: NewsPost, filename: str) -> str:
    # never the uploader's name: a random token and the checked extension, per municipality
    return f"news/{instance.municipality_id}/{filename}"


class NewsPost(models.Model):
    """One news post. It always lies in an area (`area`); a council's or a group's post names
    the council or group too (never both), and its area is theirs."""

    municipality = models.ForeignKey(
        "areas.Municipality", on_delete=models.CASCADE, related_name="news_posts"
    )
    area = models.ForeignKey(
        "areas.Area", verbose_name=_("area"), on_delete=models.CASCADE, related_name="news_posts"
    )
    council = models.ForeignKey(
        "areas.AreaCouncil",
        verbose_name=_("council"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="news_posts",
    )
    group = models.ForeignKey(
        "areas.ResidentGroup",
        verbose_name=_("resident group"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="news_posts",
    )
    title = models.CharField(_("title"), max_length=TITLE_MAX)
    lead = models.CharField(_("lead"), max_length=LEAD_MAX)
    body = models.TextField(_("text"), max_length=BODY_MAX)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="news_posts",
    )
    status = models.CharField(
        _("status"), max_length=20, choices=PostStatus.choices, default=PostStatus.DRAFT
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("changed"), auto_now=True)
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    unpublished_at = models.DateTimeField(_("taken offline"), null=True, blank=True)
    unpublished_reason = models.TextField(
        _("why it was taken offline"), blank=True, max_length=REASON_MAX
    )
    # a picture (re-encoded without metadata, pictures.py) with its size and its text alternative
    picture = models.FileField(_("picture"), upload_to=picture_path, blank=True, max_length=200)
    picture_width = models.PositiveIntegerField(null=True, blank=True)
    picture_height = models.PositiveIntegerField(null=True, blank=True)
    picture_alt = models.CharField(_("description of the picture"), max_length=ALT_MAX, blank=True)

    class Meta:
        verbose_name = _("news post")
        verbose_name_plural = _("news posts")
        ordering = ["-published_at", "-pk"]
        indexes = [
            models.Index(fields=["area", "status", "-published_at"], name="news_area_recent"),
            models.Index(
                fields=["municipality", "status", "-published_at"], name="news_mun_recent"
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(council__isnull=True) | Q(group__isnull=True),
                name="news_one_publisher",
            ),
            models.CheckConstraint(
                condition=~Q(status=PostStatus.PUBLISHED) | Q(published_at__isnull=False),
                name="news_published_has_date",
            ),
            models.CheckConstraint(
                condition=Q(picture="")
                | (
                    ~Q(picture_alt="")
                    & Q(picture_width__isnull=False)
                    & Q(picture_height__isnull=False)
                ),
                name="news_picture_has_alt_and_size",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("news:detail", kwargs={"pk": self.pk})

    @property
    def picture_url(self) -> str:
        """The picture's address, with its file's token: a new picture is a new address."""
        if not self.picture:
            return ""
        token = str(self.picture.name).rsplit("/", 1)[-1].split(".")[0]
        return f"{reverse('news:picture', kwargs={'pk': self.pk})}?v={token}"

    @property
    def publisher_name(self) -> str:
        """Who the post is from: the council, the group, or the area."""
        if self.council is not None:
            return str(self.council.name)
        if self.group is not None:
            return str(self.group.name)
        return str(self.area.name)

    @property
    def states(self) -> dict[str, bool]:
        return {
            "draft": self.status == PostStatus.DRAFT,
            "published": self.status == PostStatus.PUBLISHED,
            "unpublished": self.status == PostStatus.UNPUBLISHED,
        }
