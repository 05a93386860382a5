"""What a scheme asks of an application, said to the resident before and while they write it,
and what still stands in the way of submitting it (each with the form field to go to).

The rules themselves live in the funds app (`scheme_check`) and in effects.py
(`missing_fields`); this module only words them for the application's three pages: choosing a
scheme, the form, and checking before submitting.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from wijkwerk.core.money import format_money
from wijkwerk.funds.models import Scheme

from .effects import missing_fields, scheme_problems
from .models import Initiative

# The form field (its id on the form page) each kind of gap or scheme problem is about.
ANCHORS = {
    "summary": "id_summary",
    "description": "id_description",
    "planned_start": "id_planned_start",
    "activity_start": "id_planned_start",
    "lines": "id_lines-0-description",
    "amount": "id_lines-0-description",
    "scheme": "id_scheme",
    "applicant_age": "id_applicant_age",
    "applicant": "id_applicant_age",
    "legal_entity": "id_legal_entity",
    "category": "id_category",
    "support": "co-applicants",
}


@dataclass(frozen=True)
class Gap:
    """One thing to do before the application can be submitted (or, `later`, approved)."""

    anchor: str
    message: str
    later: bool = False


def requirements(scheme: Scheme) -> list[str]:
    """What the scheme asks, in the resident's words, shown before and on the form."""
    items = [_("You ask at most %(max)s.") % {"max": format_money(scheme.max_per_initiative_cents)}]
    if scheme.min_applicant_age:
        items.append(_("You are at least %(age)d years old.") % {"age": scheme.min_applicant_age})
    if scheme.applicant_must_live_in_area:
        items.append(_("You live in the area of your initiative."))
    if scheme.legal_entity_above_cents is not None:
        items.append(
            _("If you ask more than %(limit)s, you apply as a foundation or association.")
            % {"limit": format_money(scheme.legal_entity_above_cents)}
        )
    if scheme.required_cosigners:
        cosigners = ngettext(
            "%(count)d neighbour aged %(age)d or older signs with you",
            "%(count)d neighbours aged %(age)d or older sign with you",
            scheme.required_cosigners,
        ) % {"count": scheme.required_cosigners, "age": scheme.cosigner_min_age}
        if scheme.cosigners_must_live_in_area:
            cosigners = _("%(cosigners)s; they live in the area") % {"cosigners": cosigners}
        if scheme.required_online_supporters:
            cosigners = _("%(cosigners)s, or %(count)d neighbours support your plan online") % {
                "cosigners": cosigners,
                "count": scheme.required_online_supporters,
            }
        items.append(
            _("%(support)s (needed for approval, not to submit).") % {"support": cosigners}
        )
    elif scheme.required_online_supporters:
        items.append(
            ngettext(
                "%(count)d neighbour supports your plan online (needed for approval, not to "
                "submit).",
                "%(count)d neighbours support your plan online (needed for approval, not to "
                "submit).",
                scheme.required_online_supporters,
            )
            % {"count": scheme.required_online_supporters}
        )
    if scheme.lead_time_days:
        items.append(
            ngettext(
                "Your activity starts at least %(days)d day after you apply.",
                "Your activity starts at least %(days)d days after you apply.",
                scheme.lead_time_days,
            )
            % {"days": scheme.lead_time_days}
        )
    categories = [c.name for c in scheme.categories.all()]
    if categories:
        items.append(_("Only for: %(categories)s.") % {"categories": ", ".join(categories)})
    items.append(
        ngettext(
            "You hear within %(weeks)d week whether your application is granted.",
            "You hear within %(weeks)d weeks whether your application is granted.",
            scheme.decision_term_weeks,
        )
        % {"weeks": scheme.decision_term_weeks}
    )
    return items


def gaps(initiative: Initiative) -> list[Gap]:
    """What stops this application from being submitted now, then what the scheme still needs
    before it can be approved (support is gathered after submitting: `later`)."""
    found = [Gap(ANCHORS.get(field, ""), message) for field, message in missing_fields(initiative)]
    for problem in scheme_problems(initiative):
        if problem.code in {"activity_start_missing", "amount_not_positive"}:
            continue  # said already by the gaps above
        found.append(
            Gap(ANCHORS.get(problem.field, ""), problem.message, later=problem.field == "support")
        )
    return found
