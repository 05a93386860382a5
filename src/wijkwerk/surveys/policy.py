"""Who may do what with a survey (`core.policy`; rules.py registers it as `surveys.<action>`).

A survey is built, published, closed and exported by its holders: the area's officials (and
those of an area it lies in), the municipality's administrator, and, for a council's survey,
the council's chair and secretary; for a resident group's, the group's contacts. Everybody sees
a published survey; whether one may answer it (open now, once) the services decide and say why.
Its results are public when the survey's setting allows (live, or after closing); the holders
see them always, and they alone see the open answers.
"""

from __future__ import annotations

from django.db.models import Q
from django.db.models.functions import Now

from wijkwerk.accounts.policy import AREA_OFFICIAL_ROLES, AdministersMunicipality, HoldsAreaRole
from wijkwerk.areas.rules import is_council_officer, is_group_contact
from wijkwerk.core.policy import ObjectCondition, PermissionPolicy, is_superuser

from .models import ResultsShown, Survey, SurveyStatus

PUBLIC = (SurveyStatus.PUBLISHED, SurveyStatus.CLOSED)

holds_survey = (
    HoldsAreaRole(AREA_OFFICIAL_ROLES)
    | AdministersMunicipality("municipality")
    | is_council_officer
    | is_group_contact
    | is_superuser
)
survey_is_public = ObjectCondition(
    "survey_is_public", lambda survey: survey.status in PUBLIC, Q(status__in=PUBLIC)
)
results_are_public = ObjectCondition(
    "results_are_public",
    lambda survey: (
        survey.status in PUBLIC
        and (survey.results_shown == ResultsShown.LIVE or survey.has_ended())
    ),
    Q(status__in=PUBLIC)
    & (
        Q(results_shown=ResultsShown.LIVE) | Q(status=SurveyStatus.CLOSED) | Q(closes_at__lte=Now())
    ),
)

POLICY = PermissionPolicy(
    Survey,
    {
        "view_survey": survey_is_public | holds_survey,
        "manage_survey": holds_survey,
        "view_results": results_are_public | holds_survey,
        "view_open_answers": holds_survey,
        "export_responses": holds_survey,
    },
)
