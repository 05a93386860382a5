from __future__ import annotations

from typing import Any, NoReturn

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from wijkwerk.core.money import format_money


class Category(models.Model):
    """A kind of initiative a municipality funds (physical, social, other ...): configuration."""

    municipality = models.ForeignKey(
        "areas.Municipality",
        verbose_name=_("municipality"),
        on_delete=models.PROTECT,
        related_name="initiative_categories",
    )
    name = models.CharField(_("name"), max_length=80)
    slug = models.SlugField(_("slug"), max_length=80)
    description = models.TextField(_("description"), blank=True)

    class Meta:
        verbose_name = _("category")
        verbose_name_plural = _("categories")
        ordering = ["municipality__name", "name"]
        constraints = [
            models.UniqueConstraint(fields=["municipality", "slug"], name="category_slug_unique"),
        ]

    def __str__(self) -> str:
        return self.name


class AccountabilityLevel(models.TextChoices):
    NOTICE = "notice", _("notice only if it did not happen")
    REPORT = "report", _("report")
    ACCOUNTANT = "accountant", _("accountant's statement")


class Scheme(models.Model):
    """A municipality's rules for residents' initiatives (regeling): configuration, not code.

    `scheme_check` in checks.py applies them to an application; `accountability_level` tells what
    is asked afterwards. Amounts are in cents.
    """

    municipality = models.ForeignKey(
        "areas.Municipality",
        verbose_name=_("municipality"),
        on_delete=models.PROTECT,
        related_name="schemes",
    )
    name = models.CharField(_("name"), max_length=150)
    description = models.TextField(_("description"), blank=True)
    max_per_initiative_cents = models.PositiveBigIntegerField(_("maximum per initiative"))
    min_applicant_age = models.PositiveSmallIntegerField(
        _("minimum age of the applicant"), default=18
    )
    applicant_must_live_in_area = models.BooleanField(
        _("applicant must live in the area"), default=True
    )
    legal_entity_above_cents = models.PositiveBigIntegerField(
        _("legal entity required above"),
        null=True,
        blank=True,
        help_text=_("Leave empty if a legal entity is never required."),
    )
    required_cosigners = models.PositiveSmallIntegerField(
        _("number of co-signers required"), default=0
    )
    cosigner_min_age = models.PositiveSmallIntegerField(_("minimum age of co-signers"), default=12)
    cosigners_must_live_in_area = models.BooleanField(
        _("co-signers must live in the area"), default=True
    )
    required_online_supporters = models.PositiveIntegerField(
        _("number of online supporters required"),
        default=0,
        help_text=_(
            "If both co-signers and online supporters are asked for, either one is enough. "
            "0 means this form of support is not asked for."
        ),
    )
    lead_time_days = models.PositiveSmallIntegerField(
        _("lead time before the activity (days)"), default=0
    )
    decision_term_weeks = models.PositiveSmallIntegerField(_("decision term (weeks)"), default=8)
    settle_at_once_below_cents = models.PositiveBigIntegerField(
        _("settled at once below"),
        default=500_000,
        help_text=_("Below this amount only a notice is needed if the activity did not happen."),
    )
    report_up_to_cents = models.PositiveBigIntegerField(
        _("report up to"),
        default=5_000_000,
        help_text=_("Up to this amount a report is enough; above it an accountant's statement."),
    )
    second_official_above_cents = models.PositiveBigIntegerField(
        _("payment by a second official above"),
        default=0,
        help_text=_(
            "A grant above this amount is paid by an official other than the one who approved "
            "it. 0 means every grant."
        ),
    )
    categories = models.ManyToManyField(
        Category, verbose_name=_("categories accepted"), blank=True, related_name="schemes"
    )
    is_active = models.BooleanField(_("open for applications"), default=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("scheme")
        verbose_name_plural = _("schemes")
        ordering = ["municipality__name", "name"]
        constraints = [
            models.UniqueConstraint(fields=["municipality", "name"], name="scheme_name_unique"),
            models.CheckConstraint(
                condition=Q(max_per_initiative_cents__gt=0), name="scheme_max_positive"
            ),
            models.CheckConstraint(
                condition=Q(settle_at_once_below_cents__lte=models.F("report_up_to_cents")),
                name="scheme_accountability_thresholds_ordered",
            ),
            models.CheckConstraint(
                condition=Q(decision_term_weeks__gte=1), name="scheme_decision_term_positive"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if (
            self.settle_at_once_below_cents is not None
            and self.report_up_to_cents is not None
            and self.settle_at_once_below_cents > self.report_up_to_cents
        ):
            raise ValidationError(
                {
                    "report_up_to_cents": _(
                        "The report threshold cannot be lower than the settled-at-once threshold."
                    )
                }
            )


class Fund(models.Model):
    """A named pot of money for one year, paid out under one scheme (fonds, budget, potje).

    An empty `areas` means the fund covers the whole municipality. Balances are never stored:
    they are sums over the ledger (see selectors.fund_figures).
    """

    municipality = models.ForeignKey(
        "areas.Municipality",
        verbose_name=_("municipality"),
        on_delete=models.PROTECT,
        related_name="funds",
    )
    scheme = models.ForeignKey(
        Scheme, verbose_name=_("scheme"), on_delete=models.PROTECT, related_name="funds"
    )
    name = models.CharField(_("name"), max_length=150)
    year = models.PositiveSmallIntegerField(_("year"))
    amount_cents = models.PositiveBigIntegerField(_("amount"))
    purpose = models.TextField(_("purpose"), blank=True)
    areas = models.ManyToManyField(
        "areas.Area",
        verbose_name=_("areas covered"),
        blank=True,
        related_name="funds",
        help_text=_("Leave empty for a fund that covers the whole municipality."),
    )
    is_active = models.BooleanField(_("active"), default=True)
    # A council's own budget (leefbaarheidsbudget, as Oss's councils hold): the council decides
    # the grants from it at its meetings (the councils app); its officers may commit on it.
    council = models.ForeignKey(
        "areas.AreaCouncil",
        verbose_name=_("council"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="funds",
        help_text=_("Only for a council's own budget: the council decides the grants from it."),
    )
    # The municipality's account the fund pays from: the debtor of its SEPA payment batches.
    payment_iban = models.CharField(_("IBAN paid from"), max_length=34, blank=True)
    payment_bic = models.CharField(_("BIC paid from"), max_length=11, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("fund")
        verbose_name_plural = _("funds")
        ordering = ["-year", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "name", "year"], name="fund_name_year_unique"
            ),
            models.CheckConstraint(
                condition=Q(year__gte=2000, year__lte=2100), name="fund_year_plausible"
            ),
        ]
        indexes = [models.Index(fields=["municipality", "year"])]

    def __str__(self) -> str:
        return f"{self.name} ({self.year})"


class EntryKind(models.TextChoices):
    COMMITMENT = "commitment", _("commitment")
    PAYMENT = "payment", _("payment")
    RELEASE = "release", _("release")
    REFUND = "refund", _("refund")
    CORRECTION = "correction", _("correction")


class LedgerEntryQuerySet(models.QuerySet["LedgerEntry"]):
    def update(self, **kwargs: Any) -> NoReturn:
        raise LedgerIsAppendOnly(_("Ledger entries are never changed; add a correction."))

    def delete(self) -> NoReturn:
        raise LedgerIsAppendOnly(_("Ledger entries are never deleted; add a correction."))


class LedgerIsAppendOnly(Exception):
    pass


class LedgerEntry(models.Model):
    """One movement of money against a fund. Append-only: corrections are new entries.

    `amount_cents` is positive; the kind gives the direction. Only corrections are signed (a
    positive correction adds to what is available, a negative one takes from it). On PostgreSQL
    a trigger refuses UPDATE and DELETE as well (migration 0002).
    """

    fund = models.ForeignKey(
        Fund, verbose_name=_("fund"), on_delete=models.PROTECT, related_name="entries"
    )
    initiative = models.ForeignKey(
        "initiatives.Initiative",
        verbose_name=_("initiative"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="ledger_entries",
    )
    # Another kind of case than an initiative (a right to challenge ...), registered by the app
    # that owns it (funds.cases): its key, its id and its title when the money was booked.
    case_type = models.CharField(_("kind of case"), max_length=40, blank=True, default="")
    case_id = models.PositiveBigIntegerField(_("case number"), null=True, blank=True)
    case_title = models.CharField(_("case"), max_length=200, blank=True, default="")
    kind = models.CharField(_("kind"), max_length=20, choices=EntryKind.choices)
    amount_cents = models.BigIntegerField(_("amount"))
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("booked by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    reason = models.TextField(_("reason"))
    created_at = models.DateTimeField(_("time"), auto_now_add=True)

    objects = LedgerEntryQuerySet.as_manager()

    class Meta:
        verbose_name = _("ledger entry")
        verbose_name_plural = _("ledger entries")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(kind="correction") & ~Q(amount_cents=0))
                | (~Q(kind="correction") & Q(amount_cents__gt=0)),
                name="ledger_amount_sign_matches_kind",
            ),
            models.CheckConstraint(
                condition=Q(kind="correction")
                | Q(initiative__isnull=False)
                | Q(case_id__isnull=False),
                name="ledger_case_required",
            ),
            # a case of another kind is named whole (key, id and title) or not at all
            models.CheckConstraint(
                condition=Q(case_type="", case_id__isnull=True, case_title="")
                | (~Q(case_type="") & Q(case_id__isnull=False) & ~Q(case_title="")),
                name="ledger_case_complete",
            ),
            # an entry is for one case: an initiative or a case of another kind, never both
            models.CheckConstraint(
                condition=Q(initiative__isnull=True) | Q(case_id__isnull=True),
                name="ledger_one_case",
            ),
            models.CheckConstraint(condition=~Q(reason=""), name="ledger_reason_required"),
        ]
        indexes = [
            models.Index(fields=["fund", "kind"], name="ledger_fund_kind"),
            models.Index(fields=["initiative", "kind"], name="ledger_initiative_kind"),
            models.Index(fields=["case_type", "case_id", "kind"], name="ledger_case_kind"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {format_money(self.amount_cents)}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise LedgerIsAppendOnly(_("Ledger entries are never changed; add a correction."))
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise LedgerIsAppendOnly(_("Ledger entries are never deleted; add a correction."))

    @property
    def case_name(self) -> str:
        """What the money is for: the initiative's title or the other case's, or ""."""
        if self.initiative is not None:
            return str(self.initiative.title)
        return self.case_title

    @property
    def case_kind_name(self) -> str:
        """The kind of a case other than an initiative, in words ("right to challenge")."""
        from . import cases

        case_type = cases.get(self.case_type) if self.case_type else None
        return str(case_type.verbose_name) if case_type is not None else ""

    @property
    def case_url(self) -> str:
        """The page of the case the money is for, or ""."""
        from . import cases

        if self.initiative is not None:
            return str(self.initiative.get_absolute_url())
        case_type = cases.get(self.case_type) if self.case_type else None
        return case_type.url(self.case_id) if case_type is not None else ""


class PaymentBatch(models.Model):
    """Payments of one fund handed to the bank together (a CSV and a SEPA credit transfer file).

    A payment joins one batch only, so nothing is sent to the bank twice."""

    fund = models.ForeignKey(
        Fund, verbose_name=_("fund"), on_delete=models.PROTECT, related_name="payment_batches"
    )
    reference = models.CharField(_("reference"), max_length=35, unique=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("made by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("made"), auto_now_add=True)
    total_cents = models.PositiveBigIntegerField(_("total"))
    count = models.PositiveIntegerField(_("number of payments"))

    class Meta:
        verbose_name = _("payment batch")
        verbose_name_plural = _("payment batches")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.reference


class PaymentInstruction(models.Model):
    """To whom a payment in the ledger goes: the account as it was when the money was paid.

    Kept beside the append-only ledger entry (which is never updated) so that joining a batch
    changes this row only."""

    entry = models.OneToOneField(
        LedgerEntry,
        verbose_name=_("ledger entry"),
        on_delete=models.PROTECT,
        related_name="instruction",
    )
    payee_iban = models.CharField(_("IBAN"), max_length=34)
    payee_name = models.CharField(_("account holder"), max_length=70)
    batch = models.ForeignKey(
        PaymentBatch,
        verbose_name=_("payment batch"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="instructions",
    )

    class Meta:
        verbose_name = _("payment instruction")
        verbose_name_plural = _("payment instructions")
        ordering = ["entry_id"]

    def __str__(self) -> str:
        return f"{self.payee_name} {self.entry}"
