"""Meetings and events in an area: a council's meeting or a neighbourhood event, with a date,
a place, and (in this app) RSVPs, a waiting list and attendance. The councils app adds a
meeting's agenda, documents and minutes to an event of kind `council_meeting`."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


class EventKind(models.TextChoices):
    EVENT = "event", _("neighbourhood event")
    COUNCIL_MEETING = "council_meeting", _("council meeting")


class EventStatus(models.TextChoices):
    SCHEDULED = "scheduled", _("scheduled")
    CANCELLED = "cancelled", _("cancelled")


class Event(models.Model):
    area = models.ForeignKey(
        "areas.Area", verbose_name=_("area"), on_delete=models.PROTECT, related_name="events"
    )
    # Who organises it: a council, a resident group, or (neither) the municipality.
    council = models.ForeignKey(
        "areas.AreaCouncil",
        verbose_name=_("council"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="events",
    )
    group = models.ForeignKey(
        "areas.ResidentGroup",
        verbose_name=_("resident group"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="events",
    )
    kind = models.CharField(
        _("kind"), max_length=20, choices=EventKind.choices, default=EventKind.EVENT
    )
    title = models.CharField(_("title"), max_length=150)
    description = models.TextField(_("description"), blank=True, max_length=10_000)
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    place_name = models.CharField(_("place"), max_length=150)
    address = models.CharField(_("address"), max_length=200, blank=True)
    latitude = models.DecimalField(
        _("latitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    longitude = models.DecimalField(
        _("longitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    # None: no limit. Above it, an RSVP goes on the waiting list.
    capacity = models.PositiveIntegerField(_("capacity"), null=True, blank=True)
    rsvp_enabled = models.BooleanField(_("residents can sign up"), default=True)
    # A closed council meeting is announced but not open to the public.
    is_public = models.BooleanField(_("open to the public"), default=True)
    status = models.CharField(
        _("status"), max_length=20, choices=EventStatus.choices, default=EventStatus.SCHEDULED
    )
    cancel_reason = models.TextField(_("reason for cancelling"), blank=True)
    # Recorded afterwards: how many came (the count; names, if kept, are on the RSVPs).
    attendance_count = models.PositiveIntegerField(_("attendance"), null=True, blank=True)
    # iCalendar: a stable UID and a SEQUENCE raised on every change, so calendars update.
    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    sequence = models.PositiveIntegerField(default=0, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("event")
        verbose_name_plural = _("events")
        ordering = ["starts_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")),
                name="event_ends_after_start",
            ),
            models.CheckConstraint(
                condition=~models.Q(kind="council_meeting") | models.Q(council__isnull=False),
                name="council_meeting_has_council",
            ),
        ]
        indexes = [models.Index(fields=["area", "starts_at"])]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("events:detail", kwargs={"pk": self.pk})
