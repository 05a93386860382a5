"""The pages every Dutch government site has, per municipality: the privacy statement, the
accessibility statement (in the form of the national model, digitoegankelijk.nl) and the contact
page.

They are the municipality's own texts: content in Dutch stored here, edited by its administrator in
the back office (`site/manage_views.py`) through `site/services.py`. The page around them (headings,
labels) goes through gettext. Defaults generated from what the platform really stores are in
`site/defaults.py`. See ADR 005.
"""

from __future__ import annotations

from typing import Any

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from wijkwerk.areas.models import Municipality

# The accessibility statement must be based on research at most 36 months old (digitoegankelijk.nl).
RESEARCH_VALID_MONTHS = 36


class StatementKind(models.TextChoices):
    PRIVACY = "privacy", _("privacy statement")
    ACCESSIBILITY = "accessibility", _("accessibility statement")
    CONTACT = "contact", _("contact page")


class Statement(models.Model):
    """What the three pages share: one per municipality, and when it was last changed."""

    municipality = models.OneToOneField(
        Municipality,
        verbose_name=_("municipality"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    updated_at = models.DateTimeField(_("last changed"), auto_now=True)

    kind: StatementKind
    objects: models.Manager[Any]

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return f"{self.kind.label} – {self.municipality}"

    def get_absolute_url(self) -> str:
        return reverse(f"site:{self.kind.value}", kwargs={"municipality": self.municipality.slug})


def _years(label: Any, default: int, help_text: Any = "") -> models.PositiveSmallIntegerField:
    return models.PositiveSmallIntegerField(
        label,
        default=default,
        validators=[MinValueValidator(1), MaxValueValidator(30)],
        help_text=help_text,
    )


class PrivacyStatement(Statement):
    kind = StatementKind.PRIVACY

    controller = models.CharField(
        _("controller"),
        max_length=200,
        help_text=_("Who is responsible for the data, e.g. the mayor and aldermen of the town."),
    )
    introduction = models.TextField(_("introduction"), max_length=3000)
    data_and_purposes = models.TextField(
        _("what data and why"),
        max_length=10000,
        help_text=_("A line that starts with '- ' becomes a list item; an empty line a paragraph."),
    )
    legal_basis = models.TextField(_("legal basis"), max_length=5000)
    recipients = models.TextField(_("who else sees the data"), max_length=5000)
    # Retention periods (bewaartermijnen): what the statement promises, in whole units.
    draft_months = models.PositiveSmallIntegerField(
        _("drafts never submitted (months)"),
        default=12,
        validators=[MinValueValidator(1), MaxValueValidator(60)],
    )
    case_years = _years(
        _("applications, decisions and their files (years after the case is closed)"),
        7,
        _("7 years is the tax retention period and the archive selection list's term for grants."),
    )
    account_years = _years(_("accounts without activity (years after the last login)"), 2)
    audit_years = _years(_("audit trail of changes (years)"), 7)
    mail_days = models.PositiveSmallIntegerField(
        _("sent e-mails in the mail queue (days)"),
        default=90,
        validators=[MinValueValidator(1), MaxValueValidator(730)],
    )
    login_days = models.PositiveSmallIntegerField(
        _("failed login attempts (days)"),
        default=30,
        validators=[MinValueValidator(1), MaxValueValidator(365)],
    )
    retention_note = models.TextField(_("more about retention"), max_length=3000, blank=True)
    privacy_email = models.EmailField(
        _("e-mail address for privacy requests"),
        help_text=_("Where residents ask to inspect, correct or delete their data."),
    )
    dpo_email = models.EmailField(
        _("e-mail address of the data protection officer"),
        help_text=_("Every government body has a data protection officer (GDPR art. 37)."),
    )

    class Meta:
        verbose_name = _("privacy statement")
        verbose_name_plural = _("privacy statements")


class Compliance(models.TextChoices):
    FULL = "full", _("fully compliant")
    PARTIAL = "partial", _("partially compliant")
    NONE = "none", _("not compliant")


class Standard(models.TextChoices):
    WCAG21 = "wcag21", _("EN 301 549 (WCAG 2.1 level AA)")
    WCAG22 = "wcag22", _("EN 301 549 with WCAG 2.2 level AA")


class AccessibilityStatement(Statement):
    """The fields of the national model statement (modelverklaring toegankelijkheid)."""

    kind = StatementKind.ACCESSIBILITY

    organisation = models.CharField(_("organisation"), max_length=200)
    scope = models.CharField(
        _("website or app covered"),
        max_length=300,
        help_text=_("The name and web address the statement is about."),
    )
    compliance = models.CharField(
        _("compliance"), max_length=10, choices=Compliance.choices, default=Compliance.PARTIAL
    )
    standard = models.CharField(
        _("standard"), max_length=10, choices=Standard.choices, default=Standard.WCAG21
    )
    statement_date = models.DateField(_("date of the statement"))
    research_date = models.DateField(
        _("date of the last research"),
        help_text=_("The research may be at most 36 months old on the date of the statement."),
    )
    research_method = models.TextField(_("how it was researched"), max_length=5000)
    research_report_url = models.URLField(_("research report (web address)"), blank=True)
    known_problems = models.TextField(
        _("known problems and when they are solved"),
        max_length=10000,
        blank=True,
        help_text=_(
            "One problem per line, starting with '- ', with when it will be solved. Required "
            "unless the website is fully compliant."
        ),
    )
    feedback_email = models.EmailField(_("e-mail address for feedback"))
    feedback_phone = models.CharField(_("telephone for feedback"), max_length=30, blank=True)
    response_days = models.PositiveSmallIntegerField(
        _("answer within (working days)"),
        default=5,
        validators=[MinValueValidator(1), MaxValueValidator(30)],
    )

    class Meta:
        verbose_name = _("accessibility statement")
        verbose_name_plural = _("accessibility statements")


class ContactPage(Statement):
    kind = StatementKind.CONTACT

    introduction = models.TextField(_("introduction"), max_length=3000, blank=True)
    email = models.EmailField(_("e-mail address"))
    phone = models.CharField(_("telephone"), max_length=30, blank=True)
    phone_hours = models.CharField(_("when to call"), max_length=200, blank=True)
    visiting_address = models.TextField(_("visiting address"), max_length=500, blank=True)
    postal_address = models.TextField(_("postal address"), max_length=500, blank=True)
    opening_hours = models.TextField(_("opening hours"), max_length=1000, blank=True)
    more = models.TextField(
        _("more ways to reach us"),
        max_length=3000,
        blank=True,
        help_text=_("For example social media, a web form or the area brokers."),
    )

    class Meta:
        verbose_name = _("contact page")
        verbose_name_plural = _("contact pages")


STATEMENT_MODELS: dict[str, type[Statement]] = {
    StatementKind.PRIVACY: PrivacyStatement,
    StatementKind.ACCESSIBILITY: AccessibilityStatement,
    StatementKind.CONTACT: ContactPage,
}
