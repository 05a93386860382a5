"""Writes about quarterly reports: one transaction each, the policy's check, an audit event.
A refused write saves nothing (`ReportRefused`, `PermissionDenied`).

    generate(actor, municipality, quarter)   a draft with the figures of now (a snapshot)
    regenerate(actor, report)                a draft's figures taken again
    edit(actor, report, introduction, notes) a draft's texts
    publish(actor, report)                   renders the page and the tagged PDF from the
                                             snapshot, keeps both with the PDF's SHA-256, tells
                                             the followers of the municipality's areas

A published report is archived unchanged: every one of these refuses it ("published").
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from wijkwerk.areas.models import Municipality
from wijkwerk.core import audit
from wijkwerk.core.quarters import Quarter

from . import notifications, rendering
from .audit_actions import ReportAction
from .models import INTRODUCTION_MAX, NOTE_MAX, SECTIONS, QuarterlyReport, ReportStatus
from .policy import POLICY, may_manage
from .refusals import ReportRefused
from .sections import snapshot


def published_refusal() -> ReportRefused:
    return ReportRefused(
        _("This report has been published and no longer changes."), code="published"
    )


def _locked(report: QuarterlyReport) -> QuarterlyReport:
    """The report locked for the write, refused when it is published (in the database)."""
    locked = (
        QuarterlyReport.objects.select_for_update().select_related("municipality").get(pk=report.pk)
    )
    if locked.status == ReportStatus.PUBLISHED:
        raise published_refusal()
    return locked


def _may_change(actor: Any, report: QuarterlyReport) -> None:
    if not POLICY.user_has_permission_for_instance(actor, "manage_report", report):
        raise PermissionDenied


def generate(actor: Any, municipality: Municipality, quarter: Quarter) -> QuarterlyReport:
    """A draft report for the quarter with the figures of now."""
    if not (may_manage(actor, municipality) or getattr(actor, "is_system", False)):
        raise PermissionDenied
    if quarter > Quarter.current():
        raise ReportRefused(
            _("%(quarter)s has not begun yet: a report covers a quarter that has begun.")
            % {"quarter": quarter},
            code="future_quarter",
        )
    existing = QuarterlyReport.objects.filter(
        municipality=municipality, year=quarter.year, number=quarter.number
    ).first()
    if existing is not None:
        if existing.status == ReportStatus.PUBLISHED:
            raise published_refusal()
        raise ReportRefused(
            _("There is a draft for %(quarter)s already: take its figures again there.")
            % {"quarter": quarter},
            code="exists",
        )
    now = timezone.now()
    person = actor if getattr(actor, "is_authenticated", False) else None
    try:
        with transaction.atomic():
            report = QuarterlyReport.objects.create(
                municipality=municipality,
                year=quarter.year,
                number=quarter.number,
                figures=snapshot(municipality, quarter),
                generated_at=now,
                generated_by=person,
            )
            audit.record(
                actor=actor,
                action=ReportAction.GENERATE,
                instance=report,
                after={"quarter": str(quarter)},
            )
    except IntegrityError as error:  # generated twice at once
        raise ReportRefused(
            _("There is a draft for %(quarter)s already: take its figures again there.")
            % {"quarter": quarter},
            code="exists",
        ) from error
    return report


def regenerate(actor: Any, report: QuarterlyReport) -> QuarterlyReport:
    """A draft's figures taken again (its texts stay)."""
    _may_change(actor, report)
    with transaction.atomic():
        report = _locked(report)
        report.figures = snapshot(report.municipality, report.quarter)
        report.generated_at = timezone.now()
        report.generated_by = actor if getattr(actor, "is_authenticated", False) else None
        report.save(update_fields=["figures", "generated_at", "generated_by", "updated_at"])
        audit.record(
            actor=actor,
            action=ReportAction.REGENERATE,
            instance=report,
            after={"quarter": str(report.quarter)},
        )
    return report


def edit(
    actor: Any, report: QuarterlyReport, *, introduction: str, notes: Mapping[str, str]
) -> QuarterlyReport:
    """A draft's introduction and notes per section (plain text); the figures stay."""
    _may_change(actor, report)
    introduction = (introduction or "").strip()
    errors = []
    if len(introduction) > INTRODUCTION_MAX:
        errors.append(
            _("The introduction is %(length)s characters long; at most %(max)s are kept.")
            % {"length": len(introduction), "max": INTRODUCTION_MAX}
        )
    unknown = sorted(set(notes) - set(SECTIONS))
    if unknown:
        raise ReportRefused(
            _("The report has no section “%(name)s”.") % {"name": unknown[0]},
            code="unknown_section",
        )
    clean = {key: (notes.get(key) or "").strip() for key in SECTIONS if key in notes}
    for text in clean.values():
        if len(text) > NOTE_MAX:
            errors.append(
                _("A note is %(length)s characters long; at most %(max)s are kept.")
                % {"length": len(text), "max": NOTE_MAX}
            )
    if errors:
        raise ReportRefused(errors, code="too_long")
    with transaction.atomic():
        report = _locked(report)
        before_notes = dict(report.notes or {})
        merged = {**before_notes, **clean}
        merged = {key: text for key, text in merged.items() if text}
        changed = [key for key in SECTIONS if before_notes.get(key, "") != merged.get(key, "")]
        before = {"introduction": report.introduction}
        report.introduction = introduction
        report.notes = merged
        report.save(update_fields=["introduction", "notes", "updated_at"])
        audit.record(
            actor=actor,
            action=ReportAction.EDIT,
            instance=report,
            before=before,
            after={"introduction": introduction, "sections": ", ".join(changed)},
        )
    return report


def publish(actor: Any, report: QuarterlyReport) -> QuarterlyReport:
    """Renders the page and the tagged PDF from the snapshot, keeps them with the PDF's SHA-256
    and tells the followers; from then on the report never changes."""
    _may_change(actor, report)
    with transaction.atomic():
        report = _locked(report)
        now = timezone.now()
        report.published_at = now
        report.published_by = actor if getattr(actor, "is_authenticated", False) else None
        html = rendering.report_html(report)
        pdf = rendering.render_pdf(html)
        report.html = html
        report.pdf_sha256 = hashlib.sha256(pdf).hexdigest()
        report.pdf.save(f"{report.slug}.pdf", ContentFile(pdf), save=False)
        report.status = ReportStatus.PUBLISHED
        try:
            report.save()
        except Exception:
            report.pdf.storage.delete(str(report.pdf.name))
            raise
        audit.record(
            actor=actor,
            action=ReportAction.PUBLISH,
            instance=report,
            after={"quarter": str(report.quarter), "sha256": report.pdf_sha256},
        )
        notifications.tell_followers(report, actor=actor)
    return report
