"""Who may see and manage pilots and lessons (docs/learning.md, "Pilots and lessons").

    pilots         public; managed (changed, lessons recorded, their residents' lessons
                   moderated) by the officials of one of the pilot's areas — broker, area
                   coordinator, community worker, for the area or an area around it — and by the
                   administrators of the pilot's municipality
    lessons        public once published; a resident's own lesson waits (pending) for an
                   official who manages one of its areas (the lesson's area and its pilot's
                   areas) to approve or reject it; its author sees it meanwhile
    new pilots     officials of an area of the municipality, or its administrators

Checks on a pilot need its `areas` loaded with `parent__parent`; on a lesson its `area` with
`parent__parent` and its pilot's `areas` likewise (selectors.pilot, selectors.lesson).
"""

from __future__ import annotations

from typing import Any

import rules
from django.db.models import Q

from wijkwerk.accounts.models import Role, RoleAssignment
from wijkwerk.accounts.policy import is_official
from wijkwerk.accounts.roles import role_index
from wijkwerk.areas.models import Area, Municipality
from wijkwerk.core.policy import (
    NOTHING,
    Condition,
    IsPerson,
    ObjectCondition,
    PermissionPolicy,
    is_authenticated,
)

from .models import Lesson, Pilot
from .states import LessonStatus

# The officials of an area who manage its pilots (aldermen read them, as everyone does).
MANAGER_ROLES = (Role.BROKER, Role.AREA_COORDINATOR, Role.COMMUNITY_WORKER)


def _own_area_ids(user: Any) -> frozenset[int]:
    index = role_index(user)
    own: set[int] = set()
    for role in MANAGER_ROLES:
        own |= index.area_roles.get(role, frozenset())
    return frozenset(own)


def _managed_areas(user: Any) -> Any:
    """A subquery: the areas the user manages, with every area inside them."""
    own = sorted(_own_area_ids(user))
    return Area.objects.filter(
        Q(pk__in=own) | Q(parent_id__in=own) | Q(parent__parent_id__in=own)
    ).values("pk")


def _managers(area_lineage: set[int], municipality_id: int) -> Q:
    return Q(
        pk__in=RoleAssignment.objects.filter(
            role__in=MANAGER_ROLES, area_id__in=sorted(area_lineage)
        ).values("user_id")
    ) | Q(
        pk__in=RoleAssignment.objects.filter(
            role=Role.ADMIN, municipality_id=municipality_id, area__isnull=True
        ).values("user_id")
    )


def _manages(user: Any, areas: list[Area], municipality_id: int) -> bool:
    index = role_index(user)
    if index.holds_for_municipality(Role.ADMIN, municipality_id):
        return True
    own = _own_area_ids(user)
    return bool(own) and any(not own.isdisjoint(area.lineage_ids) for area in areas)


def _lineage(areas: list[Area]) -> set[int]:
    return {pk for area in areas for pk in area.lineage_ids}


def lesson_areas(lesson: Lesson) -> list[Area]:
    """The areas a lesson is about: its own area and its pilot's areas."""
    areas = [lesson.area] if lesson.area_id is not None and lesson.area is not None else []
    if lesson.pilot_id is not None and lesson.pilot is not None:
        areas.extend(lesson.pilot.areas.all())
    return areas


class ManagesPilot(Condition):
    """An official who manages one of the pilot's areas, or an administrator of its
    municipality."""

    name = "manages_pilot"

    def check(self, user: Any, obj: Any) -> bool:
        return obj is not None and _manages(user, list(obj.areas.all()), obj.municipality_id)

    def objects(self, user: Any) -> Q:
        q = NOTHING
        if _own_area_ids(user):
            q |= Q(
                pk__in=Pilot.areas.through.objects.filter(area_id__in=_managed_areas(user)).values(
                    "pilot_id"
                )
            )
        admin = role_index(user).admin_municipality_ids
        if admin:
            q |= Q(municipality_id__in=sorted(admin))
        return q

    def users(self, obj: Any) -> Q:
        return _managers(_lineage(list(obj.areas.all())), obj.municipality_id)


class ManagesLesson(Condition):
    """An official who manages the lesson's area or one of its pilot's areas, or an
    administrator of its municipality."""

    name = "manages_lesson"

    def check(self, user: Any, obj: Any) -> bool:
        return obj is not None and _manages(user, lesson_areas(obj), obj.municipality_id)

    def objects(self, user: Any) -> Q:
        q = NOTHING
        if _own_area_ids(user):
            managed = _managed_areas(user)
            q |= Q(pk__in=Lesson.objects.filter(area_id__in=managed).values("pk")) | Q(
                pk__in=Lesson.objects.filter(
                    pilot_id__in=Pilot.areas.through.objects.filter(area_id__in=managed).values(
                        "pilot_id"
                    )
                ).values("pk")
            )
        admin = role_index(user).admin_municipality_ids
        if admin:
            q |= Q(municipality_id__in=sorted(admin))
        return q

    def users(self, obj: Any) -> Q:
        return _managers(_lineage(lesson_areas(obj)), obj.municipality_id)


class ManagesInMunicipality(Condition):
    """An official who manages an area of the municipality, or its administrator (may start a
    pilot there). On `Municipality` objects."""

    name = "manages_in_municipality"

    def check(self, user: Any, obj: Any) -> bool:
        if obj is None:
            return False
        index = role_index(user)
        if index.holds_for_municipality(Role.ADMIN, obj.pk):
            return True
        own = _own_area_ids(user)
        return bool(own) and Area.objects.filter(pk__in=sorted(own), municipality=obj).exists()

    def objects(self, user: Any) -> Q:
        own = sorted(_own_area_ids(user))
        admin = sorted(role_index(user).admin_municipality_ids)
        q = NOTHING
        if own:
            q |= Q(pk__in=Area.objects.filter(pk__in=own).values("municipality_id"))
        if admin:
            q |= Q(pk__in=admin)
        return q

    def users(self, obj: Any) -> Q:
        return Q(
            pk__in=RoleAssignment.objects.filter(
                role__in=MANAGER_ROLES, area__municipality_id=obj.pk
            ).values("user_id")
        ) | Q(
            pk__in=RoleAssignment.objects.filter(
                role=Role.ADMIN, municipality_id=obj.pk, area__isnull=True
            ).values("user_id")
        )


manages_pilot = ManagesPilot()
manages_lesson = ManagesLesson()
manages_in_municipality = ManagesInMunicipality()
is_author = IsPerson("author")
is_published = ObjectCondition(
    "is_published",
    lambda lesson: lesson.status == LessonStatus.PUBLISHED,
    Q(status=LessonStatus.PUBLISHED),
)
is_pending = ObjectCondition(
    "is_pending",
    lambda lesson: lesson.status == LessonStatus.PENDING,
    Q(status=LessonStatus.PENDING),
)
everyone = ObjectCondition("is_pilot", lambda pilot: True, ~Q(pk__in=[]))
# A resident: logged in and holding no role (officials record lessons through their own form).
is_resident = is_authenticated & ~is_official

PILOT_POLICY = PermissionPolicy(
    Pilot,
    {
        "view_pilot": everyone,
        "change_pilot": manages_pilot,
        "record_lesson": manages_pilot,
        "send_lesson": is_resident,
    },
)

LESSON_POLICY = PermissionPolicy(
    Lesson,
    {
        "view_lesson": is_published | is_author | manages_lesson,
        "moderate_lesson": is_pending & manages_lesson,
        "follow_up_lesson": is_published & manages_lesson,
    },
)

MUNICIPALITY_POLICY = PermissionPolicy(
    Municipality,
    {
        "create_pilot": manages_in_municipality,
        "record_lesson_in": manages_in_municipality,
        "send_lesson_in": is_resident,
    },
)


def register() -> None:
    PILOT_POLICY.register("learning")
    LESSON_POLICY.register("learning")
    MUNICIPALITY_POLICY.register("learning")
    name = "learning.moderate_lessons"
    if rules.perm_exists(name):
        rules.remove_perm(name)
    rules.add_perm(
        name,
        rules.Predicate(
            lambda user: bool(_own_area_ids(user)) or bool(role_index(user).admin_municipality_ids),
            name="moderate_lessons",
        ),
    )
