from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from wijkwerk.core.models import AwbDecision
from wijkwerk.core.workflow import StateFlags

# Status and the named sets of statuses are declared in states.py (Status imported from here too).
from .states import COMMITMENTS_ACCEPTED, PAYMENTS_ACCEPTED, PUBLIC, STATES, Status


class ApplicantKind(models.TextChoices):
    PERSON = "person", _("myself")
    GROUP = "group", _("a resident group")
    COUNCIL = "council", _("an area council")


class Initiative(models.Model):
    """A residents' plan for their surroundings (bewonersinitiatief), usually asking for money."""

    title = models.CharField(_("title"), max_length=150)
    area = models.ForeignKey(
        "areas.Area", verbose_name=_("area"), on_delete=models.PROTECT, related_name="initiatives"
    )
    applicant = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("applicant"),
        on_delete=models.PROTECT,
        related_name="initiatives",
    )
    status = models.CharField(
        _("status"), max_length=30, default=Status.DRAFT, db_index=True, choices=Status.choices
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    summary = models.CharField(_("summary"), max_length=300, blank=True)
    description = models.TextField(_("description"), blank=True)
    category = models.ForeignKey(
        "funds.Category",
        verbose_name=_("category"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="initiatives",
    )
    scheme = models.ForeignKey(
        "funds.Scheme",
        verbose_name=_("scheme"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="initiatives",
    )
    fund = models.ForeignKey(
        "funds.Fund",
        verbose_name=_("fund"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="initiatives",
    )
    applicant_age = models.PositiveSmallIntegerField(
        _("age of the applicant"), null=True, blank=True
    )
    legal_entity = models.CharField(
        _("foundation or association"),
        max_length=150,
        blank=True,
        help_text=_("Only if you apply as a legal entity: its name as registered."),
    )
    applicant_kind = models.CharField(
        _("submitted on behalf of"),
        max_length=10,
        choices=ApplicantKind.choices,
        default=ApplicantKind.PERSON,
    )
    resident_group = models.ForeignKey(
        "areas.ResidentGroup",
        verbose_name=_("resident group"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="initiatives",
    )
    area_council = models.ForeignKey(
        "areas.AreaCouncil",
        verbose_name=_("area council"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="initiatives",
    )
    # Addressed to the council of its area, which decides it at a meeting from its own fund
    # (the councils app: the broker or coordinator hands it to the council), not the broker.
    deciding_council = models.ForeignKey(
        "areas.AreaCouncil",
        verbose_name=_("decided by the council"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="addressed_initiatives",
    )
    address = models.CharField(_("address or place"), max_length=200, blank=True)
    latitude = models.DecimalField(
        _("latitude"), max_digits=8, decimal_places=6, null=True, blank=True
    )
    longitude = models.DecimalField(
        _("longitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    planned_start = models.DateField(_("planned start"), null=True, blank=True)
    planned_end = models.DateField(_("planned end"), null=True, blank=True)
    own_contribution_cents = models.PositiveBigIntegerField(
        _("own contribution (money)"), default=0
    )
    own_contribution_hours = models.PositiveIntegerField(_("own contribution (hours)"), default=0)
    own_contribution_materials = models.TextField(_("own contribution (materials)"), blank=True)
    consent_to_publish = models.BooleanField(_("consent to publish"), default=False)
    # Kept equal to the sum of the budget lines by the services, so lists need no aggregate.
    requested_cents = models.PositiveBigIntegerField(_("amount requested"), default=0)
    granted_cents = models.PositiveBigIntegerField(_("amount granted"), null=True, blank=True)
    paid_cents = models.PositiveBigIntegerField(_("amount paid"), default=0)
    # The amount finally set when the accountability is accepted (vaststelling): the accepted
    # actual costs, at most the grant. Until it is paid, the initiative awaits payment.
    final_cents = models.PositiveBigIntegerField(_("amount finally set"), null=True, blank=True)
    conditions = models.TextField(_("conditions"), blank=True)
    decision_reason = models.TextField(_("reason for the decision"), blank=True)
    broker = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("broker"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="assigned_initiatives",
    )
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    decision_due = models.DateField(_("decision due"), null=True, blank=True)
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    # Who granted the money: payments above the scheme's threshold need another official.
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("approved by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # The account the grant is paid to, given by the applicant before payment; shown masked and
    # only to the applicant and the officials who handle payment.
    payee_iban = models.CharField(_("IBAN"), max_length=34, blank=True)
    payee_name = models.CharField(_("account holder"), max_length=70, blank=True)
    support_count = models.PositiveIntegerField(_("supporters"), default=0)

    class Meta:
        verbose_name = _("initiative")
        verbose_name_plural = _("initiatives")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(planned_start__isnull=True)
                | models.Q(planned_end__isnull=True)
                | models.Q(planned_end__gte=models.F("planned_start")),
                name="initiative_end_not_before_start",
            ),
            models.CheckConstraint(
                condition=models.Q(granted_cents__isnull=True)
                | models.Q(granted_cents__lte=models.F("requested_cents")),
                name="initiative_granted_at_most_requested",
            ),
            models.CheckConstraint(
                condition=~models.Q(applicant_kind="group")
                | models.Q(resident_group__isnull=False),
                name="initiative_group_named",
            ),
            models.CheckConstraint(
                condition=~models.Q(applicant_kind="council")
                | models.Q(area_council__isnull=False),
                name="initiative_council_named",
            ),
        ]
        indexes = [
            # The public list's index, `initiative_public_list`, is created by migration 0007
            # per database: its order must put drafts (no submission date) last, which
            # PostgreSQL needs NULLS LAST for and SQLite cannot declare in an index.
            models.Index(fields=["-support_count", "-submitted_at"], name="initiative_support"),
            models.Index(fields=["area", "status"], name="initiative_area_status"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("initiatives:detail", kwargs={"pk": self.pk})

    @property
    def is_public(self) -> bool:
        return self.consent_to_publish and self.status in PUBLIC

    @property
    def states(self) -> StateFlags:
        """For templates: `{% if initiative.states.editable %}` (states.py names the sets)."""
        return STATES.flags(self)

    # What the funds app asks of what it books for (funds.services.Bookable), so that it never
    # needs to know an initiative's statuses.
    @property
    def accepts_commitments(self) -> bool:
        return self.status in COMMITMENTS_ACCEPTED

    @property
    def accepts_payments(self) -> bool:
        return self.status in PAYMENTS_ACCEPTED

    @property
    def on_behalf_of(self) -> str:
        if self.applicant_kind == ApplicantKind.GROUP and self.resident_group_id:
            return str(self.resident_group)
        if self.applicant_kind == ApplicantKind.COUNCIL and self.area_council_id:
            return str(self.area_council)
        return ""


class BudgetLine(models.Model):
    initiative = models.ForeignKey(
        Initiative, on_delete=models.CASCADE, related_name="budget_lines"
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    description = models.CharField(_("description"), max_length=200)
    amount_cents = models.PositiveBigIntegerField(_("amount"))
    actual_cents = models.PositiveBigIntegerField(_("actual costs"), null=True, blank=True)

    class Meta:
        verbose_name = _("budget line")
        verbose_name_plural = _("budget lines")
        ordering = ["position", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(amount_cents__gt=0), name="budget_line_amount_positive"
            )
        ]

    def __str__(self) -> str:
        return self.description


class CoApplicant(models.Model):
    """A co-signer of the application (medeondertekenaar), as the scheme counts them."""

    initiative = models.ForeignKey(
        Initiative, on_delete=models.CASCADE, related_name="co_applicants"
    )
    name = models.CharField(_("name"), max_length=150)
    age = models.PositiveSmallIntegerField(_("age"))
    lives_in_area = models.BooleanField(_("lives in the area"), default=True)

    class Meta:
        verbose_name = _("co-applicant")
        verbose_name_plural = _("co-applicants")
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(condition=models.Q(age__lte=130), name="co_applicant_age")
        ]

    def __str__(self) -> str:
        return self.name


class AttachmentPurpose(models.TextChoices):
    APPLICATION = "application", _("with the application")
    RECEIPT = "receipt", _("receipt")
    RESULT_PHOTO = "result_photo", _("photo of the result")


def attachment_path(instance: Attachment, filename: str) -> str:
    # The stored name never comes from the uploader: only our id and the checked extension.
    return f"initiatives/{instance.initiative_id}/{instance.token}.{instance.extension}"


class Attachment(models.Model):
    initiative = models.ForeignKey(Initiative, on_delete=models.CASCADE, related_name="attachments")
    purpose = models.CharField(
        _("purpose"),
        max_length=20,
        choices=AttachmentPurpose.choices,
        default=AttachmentPurpose.APPLICATION,
    )
    file = models.FileField(_("file"), upload_to=attachment_path, max_length=200)
    token = models.CharField(max_length=32, unique=True)
    extension = models.CharField(max_length=8)
    original_name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(_("file type"), max_length=60)
    size = models.PositiveIntegerField(_("size in bytes"))
    is_image = models.BooleanField(default=False)
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
            "initiatives:attachment", kwargs={"pk": self.initiative_id, "attachment": self.pk}
        )


def pending_upload_path(instance: PendingUpload, filename: str) -> str:
    return f"pending/{instance.owner_id}/{instance.token}.{instance.extension}"


class PendingUpload(models.Model):
    """A file chosen on the form of a new application that could not be saved yet (something
    else on the form was wrong): checked and stored for its owner, referenced by the form
    again, attached when the application is first saved. `manage.py cleanup_pending_uploads`
    removes those older than a day."""

    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    file = models.FileField(_("file"), upload_to=pending_upload_path, max_length=200)
    token = models.CharField(max_length=32, unique=True)
    extension = models.CharField(max_length=8)
    original_name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(_("file type"), max_length=60)
    size = models.PositiveIntegerField(_("size in bytes"))
    is_image = models.BooleanField(default=False)
    created_at = models.DateTimeField(_("chosen"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("file not yet saved")
        verbose_name_plural = _("files not yet saved")
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return self.original_name


class Support(models.Model):
    initiative = models.ForeignKey(Initiative, on_delete=models.CASCADE, related_name="supports")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="initiative_supports"
    )
    created_at = models.DateTimeField(_("since"), auto_now_add=True)

    class Meta:
        verbose_name = _("support")
        verbose_name_plural = _("supports")
        constraints = [
            models.UniqueConstraint(fields=["initiative", "user"], name="support_once_per_person")
        ]

    def __str__(self) -> str:
        return f"{self.user} → {self.initiative}"


class HelpOffer(models.Model):
    initiative = models.ForeignKey(Initiative, on_delete=models.CASCADE, related_name="help_offers")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    text = models.TextField(_("what I can do"), max_length=2000)
    created_at = models.DateTimeField(_("offered"), auto_now_add=True)

    class Meta:
        verbose_name = _("offer of help")
        verbose_name_plural = _("offers of help")
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.user} → {self.initiative}"


class Message(models.Model):
    """A question or answer between applicant and municipality, or an internal note."""

    initiative = models.ForeignKey(Initiative, on_delete=models.CASCADE, related_name="messages")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    body = models.TextField(_("message"), max_length=5000)
    is_internal = models.BooleanField(_("internal note (only for officials)"), default=False)
    created_at = models.DateTimeField(_("sent"), auto_now_add=True)

    class Meta:
        verbose_name = _("message")
        verbose_name_plural = _("messages")
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.author}: {self.body[:40]}"


class StatusChange(models.Model):
    """One step on the initiative's timeline, written by every transition."""

    initiative = models.ForeignKey(
        Initiative, on_delete=models.CASCADE, related_name="status_changes"
    )
    action = models.CharField(_("action"), max_length=30)
    from_status = models.CharField(_("from"), max_length=30, choices=Status.choices)
    to_status = models.CharField(_("to"), max_length=30, choices=Status.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    note = models.TextField(_("note"), blank=True)
    created_at = models.DateTimeField(_("time"), auto_now_add=True)

    class Meta:
        verbose_name = _("status change")
        verbose_name_plural = _("status changes")
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.initiative}: {self.from_status} → {self.to_status}"

    @property
    def headline(self) -> str:
        """What the timeline says of this step: the status it reached, or, for a booking that
        leaves the status as it was (a payment, a repayment), what was booked."""
        if self.from_status == self.to_status and self.action in BOOKINGS:
            return str(BOOKINGS[self.action])
        return self.get_to_status_display()


# Timeline steps that book money without changing the status.
BOOKINGS = {"pay": _("payment made"), "repayment": _("repayment received")}


class Accountability(models.Model):
    """What the applicant reports after the activity (verantwoording)."""

    initiative = models.OneToOneField(
        Initiative, on_delete=models.CASCADE, related_name="accountability"
    )
    report = models.TextField(_("what was done"), max_length=10000)
    took_place = models.BooleanField(_("the activity took place"), default=True)
    participants = models.PositiveIntegerField(_("number of participants"), default=0)
    level = models.CharField(_("accountability level"), max_length=30, blank=True)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    feedback = models.TextField(_("request for more information"), blank=True)
    accepted_at = models.DateTimeField(_("accepted"), null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("accountability")
        verbose_name_plural = _("accountabilities")

    def __str__(self) -> str:
        return str(self.initiative)


class DecisionKind(models.TextChoices):
    GRANT = "grant", _("grant")
    REJECTION = "rejection", _("rejection")
    SETTLEMENT = "settlement", _("final setting of the amount")


def decision_letter_path(instance: Decision, filename: str) -> str:
    return f"decisions/{instance.municipality_id}/{instance.reference}-{instance.pk}.pdf"


class Decision(AwbDecision):
    """A decision on an application (beschikking under the Awb): the grant, the rejection or the
    final setting of the amount (vaststelling).

    Made in the transaction of the step that decides, with its content frozen at that moment, so
    that the letter says the same later even when the initiative, the official or the applicant
    changes. The letter (a PDF) is rendered from these fields once and then kept in `letter`.
    """

    initiative = models.ForeignKey(
        Initiative, verbose_name=_("initiative"), on_delete=models.PROTECT, related_name="decisions"
    )
    kind = models.CharField(_("kind of decision"), max_length=20, choices=DecisionKind.choices)
    # (AwbDecision: numbered per municipality and calendar year, "WW-2026-000123"; who decided.)
    decided_at = models.DateTimeField(_("decided"))
    # The content, as it was when decided.
    applicant_name = models.CharField(_("applicant"), max_length=150)
    applicant_on_behalf_of = models.CharField(_("on behalf of"), max_length=200, blank=True)
    applicant_email = models.EmailField(_("e-mail address"))
    applicant_area = models.CharField(_("area of the applicant"), max_length=150, blank=True)
    initiative_title = models.CharField(_("title"), max_length=150)
    scheme_name = models.CharField(_("scheme"), max_length=150, blank=True)
    fund_name = models.CharField(_("fund"), max_length=150, blank=True)
    submitted_on = models.DateField(_("submitted"), null=True, blank=True)
    requested_cents = models.PositiveBigIntegerField(_("amount requested"), default=0)
    # Grant: the amount granted. Settlement: the amount finally set. Rejection: none.
    amount_cents = models.PositiveBigIntegerField(_("amount"), null=True, blank=True)
    conditions = models.TextField(_("conditions"), blank=True)
    reasons = models.TextField(_("reasons"), blank=True)
    # Settlement only: the grant, the accepted actual costs and what follows for the money.
    granted_cents = models.PositiveBigIntegerField(_("amount granted"), null=True, blank=True)
    actual_cents = models.PositiveBigIntegerField(_("accepted actual costs"), null=True, blank=True)
    advance_cents = models.PositiveBigIntegerField(_("paid before"), null=True, blank=True)
    to_pay_cents = models.PositiveBigIntegerField(_("still to be paid"), null=True, blank=True)
    owed_cents = models.PositiveBigIntegerField(_("to be paid back"), null=True, blank=True)
    released_cents = models.PositiveBigIntegerField(
        _("returned to the fund"), null=True, blank=True
    )
    letter = models.FileField(
        _("letter"), upload_to=decision_letter_path, blank=True, max_length=200
    )

    class Meta:
        verbose_name = _("decision")
        verbose_name_plural = _("decisions")
        ordering = ["decided_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "year", "number"], name="decision_number_per_year"
            )
        ]

    def get_absolute_url(self) -> str:
        return reverse(
            "initiatives:decision", kwargs={"pk": self.initiative_id, "decision": self.pk}
        )

    @property
    def filename(self) -> str:
        return f"besluit-{self.reference}.pdf"
