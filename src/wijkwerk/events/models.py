"""Meetings and events in an area: a council's meeting or a neighbourhood event, with a date,
a place, and (in this app) RSVPs, a waiting list and attendance. The councils app adds a
meeting's agenda, documents and minutes to an event of kind `council_meeting`."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from wijkwerk.core.workflow import StateFlags

# The statuses are declared in states.py (EventStatus and RsvpStatus imported from here too).
from .states import EVENT_STATES, RSVP_STATES, EventStatus, RsvpStatus


class EventKind(models.TextChoices):
    EVENT = "event", _("neighbourhood event")
    COUNCIL_MEETING = "council_meeting", _("council meeting")


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

    @property
    def states(self) -> StateFlags:
        """For templates: `{% if event.states.cancelled %}` (states.py declares the states)."""
        return EVENT_STATES.flags(self)


class Rsvp(models.Model):
    """One person's sign-up for an event: an account's, or a name and an address confirmed by
    e-mail. Only GOING takes a place; WAITING is the waiting list, first come first served by
    `queued_at` (the moment the sign-up counted: the click, or the confirmation)."""

    event = models.ForeignKey(
        Event, verbose_name=_("event"), on_delete=models.CASCADE, related_name="rsvps"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("account"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="event_rsvps",
    )
    # for a sign-up without an account (an account's own name and address are on the account)
    name = models.CharField(_("name"), max_length=150, blank=True)
    email = models.EmailField(_("e-mail address"), max_length=254, blank=True)
    language = models.CharField(_("language"), max_length=10, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=RsvpStatus.choices, default=RsvpStatus.PENDING
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    queued_at = models.DateTimeField(_("counted from"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("cancelled"), null=True, blank=True)
    reminded_at = models.DateTimeField(_("reminder sent"), null=True, blank=True)
    attended = models.BooleanField(_("came"), default=False)

    class Meta:
        verbose_name = _("sign-up")
        verbose_name_plural = _("sign-ups")
        ordering = ["queued_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["event", "user"],
                condition=models.Q(user__isnull=False),
                name="rsvp_once_per_account",
            ),
            models.UniqueConstraint(
                "event",
                Lower("email"),
                condition=models.Q(user__isnull=True),
                name="rsvp_once_per_address",
            ),
            models.CheckConstraint(
                condition=models.Q(user__isnull=False) | ~models.Q(email=""),
                name="rsvp_has_account_or_address",
            ),
        ]
        indexes = [models.Index(fields=["event", "status", "queued_at"])]

    def __str__(self) -> str:
        # no name or address: this is what the audit trail shows
        return f"{self.event.title} #{self.pk}"

    @property
    def states(self) -> StateFlags:
        """For templates: `{% if rsvp.states.going %}` (states.py declares the states)."""
        return RSVP_STATES.flags(self)

    @property
    def display_name(self) -> str:
        if self.user is not None:
            return str(self.user.display_name)
        return self.name

    @property
    def address(self) -> str:
        return str(self.user.email) if self.user is not None else self.email
