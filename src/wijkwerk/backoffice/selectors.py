"""Reads for the back office. Every queryset is limited to the municipalities the user manages,
and every page needs a fixed number of queries, however many rows there are. A single object the
user may not manage (or that does not exist) is None: the views answer 404."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any

from django.db.models import (
    Case,
    Count,
    F,
    Func,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from wijkwerk.accounts.models import RoleAssignment, RoleInvitation, User
from wijkwerk.accounts.roles import role_index
from wijkwerk.areas.models import (
    Area,
    AreaCouncil,
    CouncilMembership,
    GroupMembership,
    GroupRole,
    Municipality,
    ResidentGroup,
)
from wijkwerk.core import auditlog
from wijkwerk.core.models import AuditEvent


def managed_municipalities(user: Any) -> QuerySet[Municipality]:
    if user.is_superuser:
        return Municipality.objects.all()
    return Municipality.objects.filter(pk__in=role_index(user).admin_municipality_ids)


def municipality_for(user: Any, slug: str) -> Municipality | None:
    """The municipality if the user manages it (the view answers 404 otherwise, so that its
    existence is not told)."""
    return managed_municipalities(user).filter(slug=slug).first()


def _count(queryset: QuerySet[Any]) -> Coalesce:
    return Coalesce(
        Subquery(
            # Func, not Count: an aggregate here would add a GROUP BY to the subquery.
            queryset.order_by().annotate(n=Func(F("pk"), function="COUNT")).values("n")[:1],
            output_field=IntegerField(),
        ),
        0,
    )


def dashboard_municipalities(user: Any) -> QuerySet[Municipality]:
    """Counts per municipality as subqueries: joins over four tables would multiply the rows."""
    here = OuterRef("pk")
    return managed_municipalities(user).annotate(
        area_count=_count(Area.objects.filter(municipality=here)),
        council_count=_count(AreaCouncil.objects.filter(area__municipality=here)),
        group_count=_count(ResidentGroup.objects.filter(area__municipality=here)),
        role_count=_count(RoleAssignment.objects.filter(municipality=here)),
    )


def area_rows(municipality: Municipality, query: str = "") -> QuerySet[Area]:
    areas = Area.objects.filter(municipality=municipality)
    if query:
        areas = areas.filter(Q(name__icontains=query) | Q(cbs_code__istartswith=query))
    return (
        areas.select_related("parent")
        .annotate(
            role_count=_count(RoleAssignment.objects.filter(area=OuterRef("pk"))),
            child_count=_count(Area.objects.filter(parent=OuterRef("pk"))),
        )
        .order_by("name", "pk")
    )


def area_for(municipality: Municipality, pk: int) -> Area | None:
    return (
        Area.objects.select_related("municipality", "parent")
        .filter(municipality=municipality, pk=pk)
        .first()
    )


def role_rows(municipality: Municipality, area: Area | None = None) -> QuerySet[RoleAssignment]:
    assignments = RoleAssignment.objects.filter(municipality=municipality)
    if area is not None:
        assignments = assignments.filter(area=area)
    return assignments.select_related("user", "area").order_by("area__name", "role", "user__email")


def assignment_for(municipality: Municipality, pk: int) -> RoleAssignment | None:
    return (
        RoleAssignment.objects.select_related("user", "area", "municipality")
        .filter(municipality=municipality, pk=pk)
        .first()
    )


def open_invitations(municipality: Municipality) -> QuerySet[RoleInvitation]:
    """Invitations to a role that can still be accepted, newest first."""
    return (
        RoleInvitation.objects.filter(
            municipality=municipality, accepted_at__isnull=True, expires_at__gt=timezone.now()
        )
        .select_related("area")
        .order_by("-created_at", "-pk")
    )


def invitation_for(municipality: Municipality, pk: int) -> RoleInvitation | None:
    return RoleInvitation.objects.filter(municipality=municipality, pk=pk).first()


def person_for(municipality: Municipality, pk: int) -> User | None:
    """A person who holds a role in the municipality (whose account its administrators
    manage), or None."""
    return (
        User.objects.filter(
            pk=pk, pk__in=RoleAssignment.objects.filter(municipality=municipality).values("user")
        )
        .only("id", "email", "full_name", "is_active", "is_superuser", "last_login")
        .first()
    )


def council_rows(municipality: Municipality) -> QuerySet[AreaCouncil]:
    return (
        AreaCouncil.objects.filter(area__municipality=municipality)
        .select_related("area")
        .annotate(member_count=Count("memberships"))
        .order_by("name", "pk")
    )


def group_rows(municipality: Municipality) -> QuerySet[ResidentGroup]:
    return (
        ResidentGroup.objects.filter(area__municipality=municipality)
        .select_related("area")
        .annotate(member_count=Count("memberships"))
        .order_by("name", "pk")
    )


def council_for(municipality: Municipality, pk: int) -> AreaCouncil | None:
    return (
        AreaCouncil.objects.filter(area__municipality=municipality, pk=pk)
        .select_related("area__municipality")
        .prefetch_related(
            Prefetch(
                "memberships",
                queryset=CouncilMembership.objects.select_related("user").order_by(
                    "position", "user__email"
                ),
            )
        )
        .first()
    )


def group_for(municipality: Municipality, pk: int) -> ResidentGroup | None:
    return (
        ResidentGroup.objects.filter(area__municipality=municipality, pk=pk)
        .select_related("area__municipality")
        .prefetch_related(
            Prefetch(
                "memberships",
                queryset=GroupMembership.objects.select_related("user").order_by(
                    Case(
                        *(When(role=role, then=Value(i)) for i, role in enumerate(GroupRole)),
                        output_field=IntegerField(),
                    ),
                    "user__email",
                ),
            )
        )
        .first()
    )


def council_membership_for(council: AreaCouncil, pk: int) -> CouncilMembership | None:
    return council.memberships.select_related("user", "council__area").filter(pk=pk).first()


def group_membership_for(group: ResidentGroup, pk: int) -> GroupMembership | None:
    return group.memberships.select_related("user", "group__area").filter(pk=pk).first()


# ----- Audit log ---------------------------------------------------------------------------------


def _in_municipalities(ids: list[int]) -> Q:
    return Q(municipality_id__in=ids)


AUDIT_EARLIEST = date(1900, 1, 1)
AUDIT_LATEST = date(9000, 12, 31)


def audit_events(
    municipality: Municipality,
    *,
    kind: str = "",
    person: str = "",
    date_from: date | None = None,
    date_to: date | None = None,
) -> QuerySet[AuditEvent]:
    events = AuditEvent.objects.filter(_in_municipalities([municipality.pk]))
    if kind:
        # an app's actions, or one action (the filter's choices come from the same registry)
        events = events.filter(action__in=auditlog.actions_for(kind) or [])
    if person:
        events = events.filter(actor__email__icontains=person)
    zone = timezone.get_current_timezone()
    # Bounds outside the years events can have filter nothing: 0001-01-01 and 9999-12-31 would
    # overflow as times (a server error), and no event lies before EARLIEST or after LATEST.
    if date_from and date_from > AUDIT_EARLIEST:
        events = events.filter(created_at__gte=datetime.combine(date_from, time.min, zone))
    if date_to and date_to < AUDIT_LATEST:
        end = datetime.combine(date_to + timedelta(days=1), time.min, zone)
        events = events.filter(created_at__lt=end)
    return events.select_related("actor")


def recent_events(user: Any, limit: int = 10) -> list[AuditEvent]:
    ids = list(managed_municipalities(user).values_list("pk", flat=True))
    return list(AuditEvent.objects.filter(_in_municipalities(ids)).select_related("actor")[:limit])


def object_history(instance: Area | AreaCouncil | ResidentGroup) -> list[AuditEvent]:
    """The events of the object and, for councils and groups, of their memberships."""
    label = instance._meta.label_lower
    condition = Q(object_type=label, object_id=str(instance.pk))
    if isinstance(instance, AreaCouncil):
        condition |= Q(object_type="areas.councilmembership") & (
            Q(after__council=instance.pk) | Q(before__council=instance.pk)
        )
    elif isinstance(instance, ResidentGroup):
        condition |= Q(object_type="areas.groupmembership") & (
            Q(after__group=instance.pk) | Q(before__group=instance.pk)
        )
    return list(AuditEvent.objects.filter(condition).select_related("actor")[:100])


def describe(events: list[AuditEvent]) -> list[auditlog.EventView]:
    """Events as people read them (core.auditlog: every app's actions and fields)."""
    return auditlog.describe(events)
