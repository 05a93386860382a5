"""Pilots in areas and the lessons learned from them, seen from the municipality and from the
residents (docs/learning.md, "Pilots and lessons").

Oosterhout's council (22 September 2020) wants the lessons from the area pilots "seen from the
municipality and from the residents" every quarter: the perspective is part of every lesson, and
the quarterly report reads them through `selectors.pilots_for_report`.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from wijkwerk.core.workflow import StateFlags

# The statuses are declared in states.py (imported from here too).
from .states import LESSON_STATES, PILOT_STATES, LessonStatus, PilotStatus

__all__ = [
    "Lesson",
    "LessonStatus",
    "Perspective",
    "Pilot",
    "PilotStatus",
    "Tag",
]

TITLE_MAX = 150
GOAL_MAX = 3000
PEOPLE_MAX = 1000
LESSON_TEXT_MAX = 3000
FOLLOW_UP_MAX = 2000
REASON_MAX = 1000
TAG_MAX = 40
TAGS_PER_LESSON = 8
AREAS_PER_PILOT = 20


class Perspective(models.TextChoices):
    """Whose lesson it is: part of the lesson, shown wherever it is shown."""

    MUNICIPALITY = "municipality", _("seen from the municipality")
    RESIDENTS = "residents", _("seen from the residents")


class Tag(models.Model):
    """A tag on lessons, normalised (lower case, single spaces): "Groen " and "groen" are one."""

    name = models.CharField(_("tag"), max_length=TAG_MAX, unique=True)

    class Meta:
        verbose_name = _("tag")
        verbose_name_plural = _("tags")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Pilot(models.Model):
    """A pilot in one or more areas of a municipality: a goal, a period, the people in it."""

    municipality = models.ForeignKey(
        "areas.Municipality",
        verbose_name=_("municipality"),
        on_delete=models.PROTECT,
        related_name="pilots",
    )
    areas = models.ManyToManyField("areas.Area", verbose_name=_("areas"), related_name="pilots")
    title = models.CharField(_("title"), max_length=TITLE_MAX)
    goal = models.TextField(_("goal"), max_length=GOAL_MAX)
    starts_on = models.DateField(_("start"))
    ends_on = models.DateField(_("end"))
    officials = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("officials"),
        related_name="learning_pilots",
        blank=True,
    )
    # Residents and partners by name or description ("bewoners van de Vijf Eikenweg", "Surplus
    # welzijn"): free text, as they hold no role in the app.
    people = models.TextField(_("residents and partners"), max_length=PEOPLE_MAX, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=PilotStatus.choices, default=PilotStatus.PLANNED
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("changed"), auto_now=True)

    class Meta:
        verbose_name = _("pilot")
        verbose_name_plural = _("pilots")
        ordering = ["-starts_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__gt=models.F("starts_on")),
                name="pilot_ends_after_start",
            ),
        ]
        indexes = [models.Index(fields=["municipality", "starts_on", "ends_on"])]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("learning:pilot", kwargs={"pk": self.pk})

    @property
    def states(self) -> StateFlags:
        """For templates: `{% if pilot.states.running %}` (states.py declares the states)."""
        return PILOT_STATES.flags(self)


class Lesson(models.Model):
    """A lesson learned in a pilot or in an area (at least one), from one perspective.

    Officials record lessons of either perspective, published at once (a residents' lesson they
    note from a meeting is marked `on_behalf`); a resident's own lesson waits for an official of
    its area to approve or reject it (`status`)."""

    municipality = models.ForeignKey(
        "areas.Municipality",
        verbose_name=_("municipality"),
        on_delete=models.PROTECT,
        related_name="lessons",
    )
    pilot = models.ForeignKey(
        Pilot,
        verbose_name=_("pilot"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="lessons",
    )
    area = models.ForeignKey(
        "areas.Area",
        verbose_name=_("area"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="lessons",
    )
    perspective = models.CharField(_("perspective"), max_length=12, choices=Perspective.choices)
    title = models.CharField(_("title"), max_length=TITLE_MAX)
    text = models.TextField(_("lesson"), max_length=LESSON_TEXT_MAX)
    tags = models.ManyToManyField(Tag, verbose_name=_("tags"), related_name="lessons", blank=True)
    learned_on = models.DateField(_("learned on"))
    follow_up = models.TextField(
        _("what changed because of it"), max_length=FOLLOW_UP_MAX, blank=True
    )
    follow_up_on = models.DateField(_("changed on"), null=True, blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("written by"),
        on_delete=models.PROTECT,
        related_name="learning_lessons",
    )
    # An official noted the residents' lesson (e.g. from a meeting) on their behalf.
    on_behalf = models.BooleanField(_("recorded on behalf of residents"), default=False)
    status = models.CharField(
        _("status"), max_length=10, choices=LessonStatus.choices, default=LessonStatus.PUBLISHED
    )
    moderated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("moderated by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    moderated_at = models.DateTimeField(_("moderated"), null=True, blank=True)
    rejection_reason = models.TextField(_("reason"), max_length=REASON_MAX, blank=True)
    created_at = models.DateTimeField(_("recorded"), auto_now_add=True)
    updated_at = models.DateTimeField(_("changed"), auto_now=True)

    class Meta:
        verbose_name = _("lesson")
        verbose_name_plural = _("lessons")
        ordering = ["-learned_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(pilot__isnull=False) | models.Q(area__isnull=False),
                name="lesson_has_pilot_or_area",
            ),
            models.CheckConstraint(
                condition=models.Q(follow_up="") | models.Q(follow_up_on__isnull=False),
                name="lesson_follow_up_dated",
            ),
            models.CheckConstraint(
                condition=~models.Q(status="rejected") | ~models.Q(rejection_reason=""),
                name="lesson_rejection_has_reason",
            ),
            models.CheckConstraint(
                condition=models.Q(on_behalf=False) | models.Q(perspective="residents"),
                name="lesson_on_behalf_of_residents",
            ),
        ]
        indexes = [
            models.Index(fields=["municipality", "status", "-learned_on"]),
            models.Index(fields=["pilot", "status", "learned_on"]),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("learning:lesson", kwargs={"pk": self.pk})

    @property
    def states(self) -> StateFlags:
        """For templates: `{% if lesson.states.pending %}` (states.py declares the states)."""
        return LESSON_STATES.flags(self)

    @property
    def from_residents(self) -> bool:
        return self.perspective == Perspective.RESIDENTS
