"""Councils decide: a council's meetings (an `events.Event` of kind council_meeting, with its
agenda, documents and minutes) and its decisions on the initiatives addressed to it, with the
members present, each one's vote and the written reasons.

The council's budget is a fund of the ledger (`funds.Fund.council`); the initiative addressed to
the council is `initiatives.Initiative.deciding_council`; the decision letter is the
initiatives' `Decision` (an Awb decision, the council named in it).
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


class QuorumRule(models.TextChoices):
    MAJORITY = "majority", _("more than half of the members")
    NUMBER = "number", _("a fixed number of members")


class CouncilRules(models.Model):
    """A council's own rules for its decisions (from its regulations): the quorum, as "more
    than half of the members" (the default, also without a row) or a fixed number of members."""

    council = models.OneToOneField(
        "areas.AreaCouncil",
        verbose_name=_("council"),
        on_delete=models.CASCADE,
        related_name="rules",
    )
    quorum_rule = models.CharField(
        _("quorum"), max_length=20, choices=QuorumRule.choices, default=QuorumRule.MAJORITY
    )
    quorum_number = models.PositiveSmallIntegerField(_("members needed"), null=True, blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("changed by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    updated_at = models.DateTimeField(_("changed"), auto_now=True)

    class Meta:
        verbose_name = _("council rules")
        verbose_name_plural = _("council rules")
        constraints = [
            models.CheckConstraint(
                condition=(models.Q(quorum_rule="majority") & models.Q(quorum_number=None))
                | (models.Q(quorum_rule="number") & models.Q(quorum_number__gte=1)),
                name="council_rules_quorum_number",
            )
        ]

    def __str__(self) -> str:
        return str(self.council)


class MinutesStatus(models.TextChoices):
    DRAFT = "draft", _("draft")
    APPROVED = "approved", _("approved by the council")
    PUBLISHED = "published", _("published")


class Meeting(models.Model):
    """A council's meeting: the event (date, place, public or closed, RSVP and .ics come from
    the events app) with what the councils app adds: the agenda, documents and minutes."""

    event = models.OneToOneField(
        "events.Event", verbose_name=_("event"), on_delete=models.PROTECT, related_name="meeting"
    )
    council = models.ForeignKey(
        "areas.AreaCouncil",
        verbose_name=_("council"),
        on_delete=models.PROTECT,
        related_name="meetings",
    )
    minutes = models.TextField(_("minutes"), blank=True, max_length=50_000)
    minutes_status = models.CharField(
        _("status of the minutes"),
        max_length=20,
        choices=MinutesStatus.choices,
        default=MinutesStatus.DRAFT,
    )
    # The council approves the minutes (usually at its next meeting): the date it did.
    minutes_approved_on = models.DateField(_("minutes approved on"), null=True, blank=True)
    minutes_published_at = models.DateTimeField(_("minutes published"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("council meeting")
        verbose_name_plural = _("council meetings")
        ordering = ["-event__starts_at"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(minutes_status="draft") | models.Q(minutes_approved_on=None),
                name="meeting_draft_minutes_not_approved",
            ),
            models.CheckConstraint(
                condition=models.Q(minutes_status="draft")
                | models.Q(minutes_approved_on__isnull=False),
                name="meeting_minutes_approved_on",
            ),
            models.CheckConstraint(
                condition=~models.Q(minutes_status="published")
                | models.Q(minutes_published_at__isnull=False),
                name="meeting_minutes_published_at",
            ),
        ]

    def __str__(self) -> str:
        return str(self.event.title)

    def get_absolute_url(self) -> str:
        return reverse("councils:meeting", kwargs={"pk": self.pk})

    @property
    def area(self) -> Any:
        """The council's area (for the audit log and the area policies)."""
        return self.council.area

    @property
    def minutes_published(self) -> bool:
        return self.minutes_status == MinutesStatus.PUBLISHED

    @property
    def minutes_approved(self) -> bool:
        """Approved by the council and not yet published."""
        return self.minutes_status == MinutesStatus.APPROVED

    @property
    def is_cancelled(self) -> bool:
        from wijkwerk.events.models import EventStatus

        return str(self.event.status) == EventStatus.CANCELLED


class AgendaItem(models.Model):
    meeting = models.ForeignKey(
        Meeting, verbose_name=_("meeting"), on_delete=models.CASCADE, related_name="agenda"
    )
    position = models.PositiveSmallIntegerField(_("order"))
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True, max_length=5_000)
    initiative = models.ForeignKey(
        "initiatives.Initiative",
        verbose_name=_("initiative"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="agenda_items",
    )

    class Meta:
        verbose_name = _("agenda item")
        verbose_name_plural = _("agenda items")
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "initiative"],
                condition=models.Q(initiative__isnull=False),
                name="agenda_initiative_once_per_meeting",
            )
        ]

    def __str__(self) -> str:
        return self.title


def document_path(instance: MeetingDocument, filename: str) -> str:
    # The stored name never comes from the uploader: our token and the checked extension.
    return f"councils/{instance.meeting_id}/{instance.token}.{instance.extension}"


class MeetingDocument(models.Model):
    """A meeting's document (agenda papers, a proposal): PDF, ODT or DOCX. Of a closed meeting
    only the council's members and the officials supporting it read them."""

    meeting = models.ForeignKey(
        Meeting, verbose_name=_("meeting"), on_delete=models.CASCADE, related_name="documents"
    )
    title = models.CharField(_("title"), max_length=200)
    file = models.FileField(_("file"), upload_to=document_path, max_length=200)
    token = models.CharField(max_length=32, unique=True)
    extension = models.CharField(max_length=8)
    original_name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(_("file type"), max_length=100)
    size = models.PositiveIntegerField(_("size in bytes"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("uploaded"), auto_now_add=True)

    class Meta:
        verbose_name = _("meeting document")
        verbose_name_plural = _("meeting documents")
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("councils:document", kwargs={"pk": self.meeting_id, "document": self.pk})


class Outcome(models.TextChoices):
    APPROVED = "approved", _("approved")
    REJECTED = "rejected", _("rejected")


class Choice(models.TextChoices):
    FOR = "for", _("for")
    AGAINST = "against", _("against")
    ABSTAIN = "abstain", _("abstain")


class CouncilDecision(models.Model):
    """The council's decision on an agenda item with an initiative, taken at the meeting: the
    members present (one vote each: for, against or abstain), the outcome by majority (a tie is
    a rejection), the amount from the council's fund and the written reasons. `decision` is the
    Awb decision (and its letter) the initiatives app made of it."""

    agenda_item = models.OneToOneField(
        AgendaItem,
        verbose_name=_("agenda item"),
        on_delete=models.PROTECT,
        related_name="council_decision",
    )
    council = models.ForeignKey(
        "areas.AreaCouncil",
        verbose_name=_("council"),
        on_delete=models.PROTECT,
        related_name="decisions",
    )
    initiative = models.ForeignKey(
        "initiatives.Initiative",
        verbose_name=_("initiative"),
        on_delete=models.PROTECT,
        related_name="council_decisions",
    )
    outcome = models.CharField(_("outcome"), max_length=20, choices=Outcome.choices)
    amount_cents = models.PositiveBigIntegerField(_("amount granted"), null=True, blank=True)
    fund = models.ForeignKey(
        "funds.Fund",
        verbose_name=_("fund"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="council_decisions",
    )
    reasons = models.TextField(_("reasons"), max_length=10_000)
    votes_for = models.PositiveSmallIntegerField(_("votes for"))
    votes_against = models.PositiveSmallIntegerField(_("votes against"))
    abstentions = models.PositiveSmallIntegerField(_("abstentions"))
    members = models.PositiveSmallIntegerField(_("members of the council"))
    # the members that had to be present under the council's quorum rule when it decided
    quorum = models.PositiveSmallIntegerField(_("quorum"), null=True, blank=True)
    decision = models.OneToOneField(
        "initiatives.Decision",
        verbose_name=_("decision letter"),
        on_delete=models.PROTECT,
        related_name="council_decision",
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided"))

    class Meta:
        verbose_name = _("council decision")
        verbose_name_plural = _("council decisions")
        ordering = ["-decided_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(reasons=""), name="council_decision_reasons"
            ),
            models.CheckConstraint(
                condition=models.Q(outcome="rejected")
                | (models.Q(amount_cents__gt=0) & models.Q(fund__isnull=False)),
                name="council_decision_approval_has_amount",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.council}: {self.initiative}"

    @property
    def present(self) -> int:
        return self.votes_for + self.votes_against + self.abstentions

    @property
    def approved(self) -> bool:
        return self.outcome == Outcome.APPROVED


class Vote(models.Model):
    """A present member's vote on a decision (presence is having a vote: abstaining counts)."""

    decision = models.ForeignKey(
        CouncilDecision, verbose_name=_("decision"), on_delete=models.CASCADE, related_name="votes"
    )
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("member"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    choice = models.CharField(_("vote"), max_length=10, choices=Choice.choices)

    class Meta:
        verbose_name = _("vote")
        verbose_name_plural = _("votes")
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["decision", "member"], name="council_vote_once")
        ]

    def __str__(self) -> str:
        return f"{self.member}: {self.choice}"
