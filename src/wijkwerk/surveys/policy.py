"""Who may do what with a survey (`core.policy`; rules.py registers it as `surveys.<action>`).

A survey is built, published, closed and exported by its holders: the area's officials (and
those of an area it lies in), the municipality's administrator, and, for a council's survey,
the council's chair and secretary; for a resident group's, the group's contacts. Everybody sees
a published survey; whether one may answer it (open now, once) the services decide and say why.
Its results are public when the survey's setting allows (live, or after closing); the holders
see them always, and they alone see the open answers.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q
from django.db.models.functions import Now

from wijkwerk.accounts.policy import AREA_OFFICIAL_ROLES, AdministersMunicipality, HoldsAreaRole
from wijkwerk.areas.models import CouncilMembership, CouncilPosition, GroupMembership
from wijkwerk.core.policy import NOTHING, Condition, ObjectCondition, PermissionPolicy, is_superuser

from .models import ResultsShown, Survey, SurveyStatus

COUNCIL_OFFICERS = (CouncilPosition.CHAIR, CouncilPosition.SECRETARY)


class CouncilOfficer(Condition):
    """The chair or secretary of the survey's council."""

    name = "council_officer"

    def check(self, user: Any, obj: Any) -> bool:
        if obj is None or not obj.council_id or not getattr(user, "is_authenticated", False):
            return False
        return CouncilMembership.objects.filter(
            council_id=obj.council_id, user_id=user.pk, position__in=COUNCIL_OFFICERS
        ).exists()

    def objects(self, user: Any) -> Q:
        if not getattr(user, "is_authenticated", False):
            return NOTHING
        return Q(
            council_id__in=CouncilMembership.objects.filter(
                user_id=user.pk, position__in=COUNCIL_OFFICERS
            ).values("council_id")
        )

    def users(self, obj: Any) -> Q:
        if not obj.council_id:
            return NOTHING
        return Q(
            pk__in=CouncilMembership.objects.filter(
                council_id=obj.council_id, position__in=COUNCIL_OFFICERS
            ).values("user_id")
        )


class GroupContact(Condition):
    """A contact person of the survey's resident group."""

    name = "group_contact"

    def check(self, user: Any, obj: Any) -> bool:
        if obj is None or not obj.group_id or not getattr(user, "is_authenticated", False):
            return False
        return GroupMembership.objects.filter(
            group_id=obj.group_id, user_id=user.pk, is_contact=True
        ).exists()

    def objects(self, user: Any) -> Q:
        if not getattr(user, "is_authenticated", False):
            return NOTHING
        return Q(
            group_id__in=GroupMembership.objects.filter(user_id=user.pk, is_contact=True).values(
                "group_id"
            )
        )

    def users(self, obj: Any) -> Q:
        if not obj.group_id:
            return NOTHING
        return Q(
            pk__in=GroupMembership.objects.filter(group_id=obj.group_id, is_contact=True).values(
                "user_id"
            )
        )


PUBLIC = (SurveyStatus.PUBLISHED, SurveyStatus.CLOSED)

holds_survey = (
    HoldsAreaRole(AREA_OFFICIAL_ROLES)
    | AdministersMunicipality("municipality")
    | CouncilOfficer()
    | GroupContact()
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
