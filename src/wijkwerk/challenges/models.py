"""The right to challenge (uitdaagrecht): a proposal by residents, organised in a legal entity,
to take over a task of the municipality (see `shared/dutch-practice.md`).

A `Challenge` carries the seven items Dutch participation ordinances ask for, the legal entity
and the areas concerned; the admissibility decision is a `ChallengeDecision` (an Awb decision
with its letter); if admitted, an `Agreement` (tasks, result, budget, term, report frequency),
money booked from a fund (`Booking`, each against a ledger entry) and `ProgressReport`s.
The term for the admissibility decision is the municipality's `ChallengeSettings`.
Money in integer cents; everything reaches its municipality through `area`.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from wijkwerk.core.models import AwbDecision
from wijkwerk.core.money import MAX_CENTS
from wijkwerk.core.workflow import StateFlags

from .states import BOOKABLE, STATES, Status

KVK_VALIDATOR = RegexValidator(
    r"^[0-9]{8}$", _("A KvK number has exactly 8 digits."), code="kvk_invalid"
)
DEFAULT_TERM_DAYS = 56  # eight weeks: the Awb's reasonable term when the ordinance sets none


class LegalForm(models.TextChoices):
    ASSOCIATION = "association", _("association (vereniging)")
    FOUNDATION = "foundation", _("foundation (stichting)")
    COOPERATIVE = "cooperative", _("cooperative (coöperatie)")


class TermUnit(models.TextChoices):
    DAYS = "days", _("days")
    WEEKS = "weeks", _("weeks")


class ChallengeSettings(models.Model):
    """A municipality's rules for challenges: the term for the admissibility decision (its
    ordinance's, otherwise eight weeks, Awb 4:13)."""

    municipality = models.OneToOneField(
        "areas.Municipality",
        verbose_name=_("municipality"),
        on_delete=models.CASCADE,
        related_name="challenge_settings",
    )
    decision_term = models.PositiveSmallIntegerField(
        _("term for the admissibility decision"),
        default=8,
        validators=[MinValueValidator(1), MaxValueValidator(365)],
    )
    term_unit = models.CharField(
        _("unit"), max_length=10, choices=TermUnit.choices, default=TermUnit.WEEKS
    )

    class Meta:
        verbose_name = _("settings for the right to challenge")
        verbose_name_plural = _("settings for the right to challenge")
        constraints = [
            models.CheckConstraint(
                condition=Q(decision_term__gte=1, decision_term__lte=365),
                name="challenge_term_plausible",
            )
        ]

    def __str__(self) -> str:
        return str(self.municipality)

    @property
    def term_days(self) -> int:
        return self.decision_term * (7 if self.term_unit == TermUnit.WEEKS else 1)


class Challenge(models.Model):
    title = models.CharField(_("title"), max_length=150)
    area = models.ForeignKey(
        "areas.Area",
        verbose_name=_("area concerned"),
        on_delete=models.PROTECT,
        related_name="challenges",
    )
    other_areas = models.ManyToManyField(
        "areas.Area", verbose_name=_("other areas concerned"), blank=True, related_name="+"
    )
    submitter = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("submitter"),
        on_delete=models.PROTECT,
        related_name="challenges",
    )
    # The legal entity that challenges (a resident submits on its behalf).
    organisation_name = models.CharField(_("name of the organisation"), max_length=150)
    legal_form = models.CharField(
        _("legal form"), max_length=20, choices=LegalForm.choices, blank=True
    )
    kvk_number = models.CharField(
        _("KvK number"), max_length=8, blank=True, validators=[KVK_VALIDATOR]
    )
    entity_confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("legal entity confirmed by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    entity_confirmed_at = models.DateTimeField(_("legal entity confirmed"), null=True, blank=True)
    # The seven items of the ordinances.
    task = models.TextField(_("task to take over"), blank=True)
    why_better = models.TextField(_("why better or cheaper"), blank=True)
    experience = models.TextField(_("experience and expertise"), blank=True)
    support = models.TextField(_("support among affected residents"), blank=True)
    support_signatures = models.PositiveIntegerField(
        _("number of signatures"), null=True, blank=True
    )
    cost_estimate_cents = models.BigIntegerField(_("cost estimate"), null=True, blank=True)
    cooperation = models.TextField(_("cooperation wanted from the municipality"), blank=True)
    continuity = models.TextField(_("quality and continuity"), blank=True)

    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.DRAFT
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    decision_due_on = models.DateField(_("decision due"), null=True, blank=True)
    decided_on = models.DateField(_("decided"), null=True, blank=True)
    decided_late = models.BooleanField(_("decided after the term"), default=False)
    ended_reason = models.TextField(_("reason for ending"), blank=True)
    closed_on = models.DateField(_("completed or ended"), null=True, blank=True)

    class Meta:
        verbose_name = _("challenge")
        verbose_name_plural = _("challenges")
        ordering = ["-submitted_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(cost_estimate_cents__isnull=True)
                | Q(cost_estimate_cents__gte=0, cost_estimate_cents__lte=MAX_CENTS),
                name="challenge_cost_estimate_range",
            ),
            models.CheckConstraint(
                condition=Q(status="draft") | Q(submitted_at__isnull=False),
                name="challenge_submitted_at_set",
            ),
        ]
        indexes = [models.Index(fields=["status", "area"], name="challenge_status_area")]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("challenges:detail", kwargs={"pk": self.pk})

    @property
    def states(self) -> StateFlags:
        return STATES.flags(self)

    @property
    def municipality(self) -> Any:
        return self.area.municipality

    @property
    def municipality_id(self) -> int:
        return int(self.area.municipality_id)

    # What the ledger asks of a case it books money for (funds.services.Bookable; the kind is
    # registered in ChallengesConfig.ready as funds.cases.CaseType "challenge").
    @property
    def accepts_commitments(self) -> bool:
        return self.status in BOOKABLE

    @property
    def accepts_payments(self) -> bool:
        return self.status in BOOKABLE

    @property
    def ledger_title(self) -> str:
        return f"{self.title} ({self.organisation_name})"

    def is_overdue(self, today: datetime.date) -> bool:
        """Waiting for the admissibility decision past its term."""
        return (
            self.status == Status.SUBMITTED
            and self.decision_due_on is not None
            and today > self.decision_due_on
        )


class AttachmentPurpose(models.TextChoices):
    SUPPORT = "support", _("evidence of support")
    OTHER = "other", _("other document")


def attachment_path(instance: ChallengeAttachment, filename: str) -> str:
    # The stored name never comes from the uploader: only our id and the checked extension.
    return f"challenges/{instance.challenge_id}/{instance.token}.{instance.extension}"


class ChallengeAttachment(models.Model):
    challenge = models.ForeignKey(Challenge, on_delete=models.CASCADE, related_name="attachments")
    purpose = models.CharField(
        _("purpose"), max_length=20, choices=AttachmentPurpose.choices, default="other"
    )
    file = models.FileField(_("file"), upload_to=attachment_path, max_length=200)
    token = models.CharField(max_length=32, unique=True)
    extension = models.CharField(max_length=8)
    original_name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(_("file type"), max_length=60)
    size = models.PositiveIntegerField(_("size in bytes"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("uploaded"), auto_now_add=True)

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return self.original_name

    def get_absolute_url(self) -> str:
        return reverse(
            "challenges:attachment", kwargs={"pk": self.challenge_id, "attachment": self.pk}
        )


class DecisionKind(models.TextChoices):
    ADMITTED = "admitted", _("admitted")
    NOT_ADMITTED = "not_admitted", _("not admitted")


def decision_letter_path(instance: ChallengeDecision, filename: str) -> str:
    return f"challenge-decisions/{instance.municipality_id}/{instance.reference}-{instance.pk}.pdf"


class ChallengeDecision(AwbDecision):
    """The admissibility decision (a beschikking under the Awb), its content frozen when made,
    its letter (PDF) rendered once and kept."""

    challenge = models.ForeignKey(
        Challenge, verbose_name=_("challenge"), on_delete=models.PROTECT, related_name="decisions"
    )
    kind = models.CharField(_("decision"), max_length=20, choices=DecisionKind.choices)
    decided_on = models.DateField(_("date of the decision"))
    recorded_at = models.DateTimeField(_("recorded"), auto_now_add=True)
    due_on = models.DateField(_("decision due"), null=True, blank=True)
    late = models.BooleanField(_("decided after the term"), default=False)
    submitter_name = models.CharField(_("submitter"), max_length=150)
    submitter_email = models.EmailField(_("e-mail address"))
    organisation_name = models.CharField(_("organisation"), max_length=150)
    kvk_number = models.CharField(_("KvK number"), max_length=8, blank=True)
    title = models.CharField(_("title"), max_length=150)
    submitted_on = models.DateField(_("submitted"), null=True, blank=True)
    reasons = models.TextField(_("reasons"))
    letter = models.FileField(
        _("letter"), upload_to=decision_letter_path, blank=True, max_length=200
    )

    class Meta:
        verbose_name = _("admissibility decision")
        verbose_name_plural = _("admissibility decisions")
        ordering = ["recorded_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "year", "number"], name="challenge_decision_number"
            ),
            models.CheckConstraint(condition=~Q(reasons=""), name="challenge_decision_reasons"),
        ]

    def get_absolute_url(self) -> str:
        return reverse("challenges:letter", kwargs={"pk": self.challenge_id, "decision": self.pk})

    @property
    def filename(self) -> str:
        return f"besluit-{self.reference}.pdf"


class Agreement(models.Model):
    """What the municipality and the organisation agreed: tasks, result, budget, term, who does
    what, and how often the organisation reports."""

    challenge = models.OneToOneField(
        Challenge, verbose_name=_("challenge"), on_delete=models.CASCADE, related_name="agreement"
    )
    tasks = models.TextField(_("tasks"))
    result = models.TextField(_("intended result"))
    parties = models.TextField(_("who does what"))
    budget_cents = models.BigIntegerField(_("budget"), default=0)
    starts_on = models.DateField(_("start"))
    ends_on = models.DateField(_("end"))
    report_every_months = models.PositiveSmallIntegerField(
        _("progress report every (months)"),
        default=3,
        validators=[MinValueValidator(1), MaxValueValidator(12)],
    )
    made_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    made_at = models.DateTimeField(_("recorded"), auto_now_add=True)

    class Meta:
        verbose_name = _("agreement")
        verbose_name_plural = _("agreements")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")), name="agreement_term_order"
            ),
            models.CheckConstraint(
                condition=Q(budget_cents__gte=0, budget_cents__lte=MAX_CENTS),
                name="agreement_budget_range",
            ),
            models.CheckConstraint(
                condition=Q(report_every_months__gte=1, report_every_months__lte=12),
                name="agreement_report_frequency",
            ),
        ]

    def __str__(self) -> str:
        return str(self.challenge)


class BookingKind(models.TextChoices):
    COMMITMENT = "commitment", _("commitment")
    PAYMENT = "payment", _("payment")


class Booking(models.Model):
    """Money of a challenge: a commitment from a fund or a payment of what was committed, each
    kept beside its ledger entry (a commitment or payment entry for the case "challenge": the
    ledger is where the fund's figures come from; this row holds the challenge's own note)."""

    challenge = models.ForeignKey(
        Challenge, verbose_name=_("challenge"), on_delete=models.PROTECT, related_name="bookings"
    )
    fund = models.ForeignKey(
        "funds.Fund", verbose_name=_("fund"), on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=BookingKind.choices)
    amount_cents = models.BigIntegerField(_("amount"))
    ledger_entry = models.OneToOneField(
        "funds.LedgerEntry", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    note = models.CharField(_("note"), max_length=200)
    booked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("booked by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    booked_at = models.DateTimeField(_("booked"), auto_now_add=True)

    class Meta:
        verbose_name = _("booking")
        verbose_name_plural = _("bookings")
        ordering = ["booked_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(amount_cents__gt=0, amount_cents__lte=MAX_CENTS),
                name="challenge_booking_positive",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.amount_cents}"


class ProgressReport(models.Model):
    challenge = models.ForeignKey(
        Challenge, verbose_name=_("challenge"), on_delete=models.CASCADE, related_name="reports"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    text = models.TextField(_("what was done"))
    spent_cents = models.BigIntegerField(_("spent so far"), default=0)
    hours = models.PositiveIntegerField(_("volunteer hours"), null=True, blank=True)
    residents_reached = models.PositiveIntegerField(_("residents reached"), null=True, blank=True)
    created_at = models.DateTimeField(_("reported"), auto_now_add=True)

    class Meta:
        verbose_name = _("progress report")
        verbose_name_plural = _("progress reports")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(spent_cents__gte=0, spent_cents__lte=MAX_CENTS),
                name="progress_spent_range",
            )
        ]

    def __str__(self) -> str:
        return str(self.challenge)
